"""Public pages follow the content: every change of a content model clears and re-warms them.

Every write path (admin forms, inlines, actions, history revert, imports, commands, services)
saves or deletes through the ORM, so the model signals see them all. The page cache is cleared at
once (a reader meanwhile gets the committed state, rendered afresh) and again after the commit;
after the commit the pages the change touched are rendered again before the saving request
returns, and the rest of the site in the background (seminars.pagewarm). None of this raises: with
Redis down the save succeeds and the failure is logged once per interval (config.cache).
"""

import logging

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import translation

from . import pagecache, pagewarm
from .content import content_models

logger = logging.getLogger(__name__)
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}
ALL = "all"

_models = set()


def languages():
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES]


def public_paths(seminar_ids=None):
    """Public pages in both languages: the series pages, the editions (all, or these), sitemap."""
    from .models import Seminar
    from .views import EDITIONS_PER_PAGE

    published = Seminar.objects.published()
    if seminar_ids is not None:
        published = published.filter(pk__in=seminar_ids)
    editions = list(published.order_by("edition").values_list("edition", flat=True))
    pages = range(1, 2) if seminar_ids is not None else series_pages(EDITIONS_PER_PAGE)
    paths = []
    for language in languages():
        with translation.override(language):
            series = reverse("seminars:series")
            paths += [series if n == 1 else f"{series}?page={n}" for n in pages]
            paths += [reverse("seminars:detail", args=[edition]) for edition in editions]
    if seminar_ids is None:
        paths.append(reverse("sitemap"))
    return paths


def series_pages(per_page):
    from .models import Seminar

    return Paginator(Seminar.objects.published().values("pk"), per_page).page_range


def affected_seminar(instance):
    """The seminar whose page shows `instance`, or ALL (cities and organizations: many pages)."""
    from .models import Seminar

    if isinstance(instance, Seminar):
        return instance.pk
    if getattr(instance, "seminar_id", None):
        return instance.seminar_id
    delegation_id = getattr(instance, "delegation_id", None)
    if delegation_id:
        from participants.models import Delegation

        seminar_id = Delegation.objects.filter(pk=delegation_id).values("seminar_id").first()
        return seminar_id["seminar_id"] if seminar_id else ALL
    return ALL


def pages_changed(instance):
    """Clear now; after the commit, clear again and warm (once per transaction).

    Inside one transaction the pages are cleared again only when this process stored a page
    meanwhile (a read on the same connection sees the uncommitted rows); other processes see the
    committed state until the commit, which clears again.
    """
    in_transaction = connection.in_atomic_block
    registered = in_transaction and any(
        entry[1] is _after_commit for entry in connection.run_on_commit
    )
    if not registered:
        connection._changed_seminars = set()
    connection._changed_seminars.add(affected_seminar(instance))
    if not in_transaction:
        _after_commit()  # autocommit: the change is committed already
        return
    if not registered or pagecache.stored_since_clear():
        pagecache.clear_pages()
    if not registered:
        transaction.on_commit(_after_commit, robust=True)


def _after_commit():
    changed = getattr(connection, "_changed_seminars", set())
    connection._changed_seminars = set()
    try:
        refresh_pages(changed)
    except Exception:  # the content is committed; the pages are only an accelerator
        logger.exception("Refreshing the public pages after a change failed")


def refresh_pages(changed):
    origins = pagecache.clear_pages()
    if not origins or not pagecache.cache_available():
        return
    first = public_paths({pk for pk in changed if pk != ALL})
    pagewarm.warm_now(origins, first)
    pagewarm.warm_later(origins, [path for path in public_paths() if path not in first])


def _on_save_or_delete(sender, instance, **kwargs):
    if sender._meta.concrete_model in _models:
        pages_changed(instance)


def _on_m2m_changed(sender, instance, action, **kwargs):
    if action in M2M_ACTIONS and type(instance)._meta.concrete_model in _models:
        pages_changed(instance)


def connect():
    """Called from SeminarsConfig.ready()."""
    _models.update(content_models())
    post_save.connect(_on_save_or_delete, dispatch_uid="seminars_pages_post_save")
    post_delete.connect(_on_save_or_delete, dispatch_uid="seminars_pages_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="seminars_pages_m2m_changed")
