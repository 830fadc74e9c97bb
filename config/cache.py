"""Cache backends: the page cache's file backend when there is no Redis, and (imported only when
settings name it, that is with REDIS_URL) the Redis backend of config/redis_cache.py.

`config.cache.ResilientRedisCache` stays the backend's path: the module attribute is looked up
on first use (PEP 562), so a site without Redis never loads django-redis and the redis client
(about 20 MiB per worker).
"""

import os
import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

REDIS_NAMES = {"ResilientRedisCache", "FailureLog", "failures", "UNAVAILABLE", "logger"}


def __getattr__(name):
    if name in REDIS_NAMES:
        from . import redis_cache

        return getattr(redis_cache, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RECOUNT_SECONDS = 60
_counts = {}  # folder -> (files counted, writes of this process since, when counted)


class PageFileCache(FileBasedCache):
    """Django's file-based cache without zlib: the page cache's backend when there is no Redis.

    Files are shared by every worker of the host (a clear in one clears all), which the local
    memory cache is not. Pages are read far more often than written and a hit must cost about
    what the floor costs: decompressing a 60 KB page took a third of a hit's CPU, so the bytes
    are stored as pickled (the disk holds at most two files per page).
    """

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.loads(f.read())
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def _cull(self):
        """Django lists and globs every file of the folder on each write to count them (30 ms a
        stored page at 1,100 entries, most of a save's re-render); counting the folder's names is
        enough to know that the bound is not reached, and while a count made in the last minute
        is far below it (half the bound, counting this process's writes since), not even that
        (0.4 ms a stored page at 1,100 entries: a save stores some thirty)."""
        count, writes, when = _counts.get(self._dir, (None, 0, 0.0))
        now = time.monotonic()
        if count is not None and now - when < RECOUNT_SECONDS:
            if count + writes + 1 < self._max_entries // 2:
                _counts[self._dir] = (count, writes + 1, when)
                return
        try:
            count = len(os.listdir(self._dir))
        except FileNotFoundError:
            return
        _counts[self._dir] = (count, 0, now)
        if count >= self._max_entries:
            super()._cull()

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        return value is not None and self.set(key, value, timeout, version) is None
