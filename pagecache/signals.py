"""The content version: one number, bumped whenever staff change what the public pages show.

The version is the time of the change in nanoseconds, so a version that is lost (eviction, restart)
is replaced by a newer one and can never match a page rendered before it was lost.
A change bumps the version at once and, inside a transaction, again after the commit: a page
rendered from the not-yet-committed state is stored under the intermediate version only.

Where it lives: with a shared cache (Redis), in the cache, next to the pages, so every app server
sees a bump. With the local-memory cache each gunicorn worker has its own pages, and a bump in the
worker that saved would never reach the others; there the version is the modification time of a
small file (var/pagecache.version, or PAGECACHE_VERSION_FILE) that every worker on the host stats.
"""

import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from seminars.content import CONTENT_MODELS

VERSION_KEY = "pagecache:version"
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}


def uses_local_memory():
    return isinstance(caches["default"], LocMemCache)


def version_file():
    return Path(
        os.environ.get("PAGECACHE_VERSION_FILE") or settings.BASE_DIR / "var" / "pagecache.version"
    )


def file_version():
    """The version file's modification time (ns); a new file when there is none."""
    try:
        return os.stat(version_file()).st_mtime_ns
    except FileNotFoundError:
        return _touch_version_file()


def _touch_version_file():
    path, now = version_file(), time.time_ns()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.utime(path, ns=(now, now))  # exact, not the file system's coarse clock
    return now


def current_version():
    """The version now; a fresh one when there is none (first request, eviction)."""
    if uses_local_memory():
        return file_version()
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    return cache.get(VERSION_KEY) or time.time_ns()


def bump_version():
    if uses_local_memory():
        _touch_version_file()
    else:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _bump_after_commit():
    bump_version()


def content_changed():
    bump_version()
    if connection.in_atomic_block:
        pending = (entry[1] for entry in connection.run_on_commit)
        if not any(callback is _bump_after_commit for callback in pending):
            transaction.on_commit(_bump_after_commit)


def content_models():
    return {apps.get_model(label) for label in CONTENT_MODELS}


def _on_save_or_delete(sender, **kwargs):
    if sender._meta.concrete_model in _models:
        content_changed()


def _on_m2m_changed(sender, instance, action, **kwargs):
    if action in M2M_ACTIONS and type(instance)._meta.concrete_model in _models:
        content_changed()


_models = set()


def connect():
    """Called from PagecacheConfig.ready(); the sets are filled once the registry is ready."""
    _models.update(content_models())
    post_save.connect(_on_save_or_delete, dispatch_uid="pagecache_post_save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="pagecache_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="pagecache_m2m_changed")
