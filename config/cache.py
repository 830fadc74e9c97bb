"""Cache backends: the page cache's file backend when there is no Redis, and (imported only when
settings name it, that is with REDIS_URL) the Redis backend of config/redis_cache.py.

`config.cache.ResilientRedisCache` stays the backend's path: the module attribute is looked up
on first use (PEP 562), so a site without Redis never loads django-redis and the redis client
(about 20 MiB per worker).
"""

import os
import pickle
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

REDIS_NAMES = {"ResilientRedisCache", "FailureLog", "failures", "UNAVAILABLE", "logger"}


def __getattr__(name):
    if name in REDIS_NAMES:
        from . import redis_cache

        return getattr(redis_cache, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


RECOUNT_SECONDS = 60
MAX_PATHS = 20_000  # paths remembered per backend instance; 101 editions make about 1,100 pages


class FileBytes:
    """The bytes of recently read page files, kept per process (shared by its threads) while the
    file is unchanged: the same inode, size, modification and change times, read with one
    `stat()`. A file another worker replaced or removed (Django writes a new file and renames
    it over the old one) fails that check and is read again. At most `limit` bytes, the least
    recently used dropped first."""

    def __init__(self, limit):
        self.limit, self.size, self.entries = limit, 0, OrderedDict()
        self.lock = threading.Lock()

    def get(self, path, identity):
        entry = self.entries.get(path)
        if entry is None or entry[0] != identity:
            return None
        with self.lock:
            if path in self.entries:
                self.entries.move_to_end(path)
        return entry[1], entry[2]

    def keep(self, path, identity, expiry, data):
        if len(data) > self.limit // 4:
            return
        with self.lock:
            self._drop(path)
            self.entries[path] = (identity, expiry, data)
            self.size += len(data)
            while self.size > self.limit:
                self._drop(next(iter(self.entries)))

    def forget(self, path):
        if path in self.entries:
            with self.lock:
                self._drop(path)

    def _drop(self, path):
        entry = self.entries.pop(path, None)
        if entry is not None:
            self.size -= len(entry[2])


FILE_BYTES = FileBytes(limit=4 * 1024 * 1024)


def identity(info):
    """What changes when a file is replaced or rewritten (an os.stat_result)."""
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


_counts = {}  # folder -> (files counted, writes of this process since, when counted)


class PageFileCache(FileBasedCache):
    """Django's file-based cache without zlib: the page cache's backend when there is no Redis.

    Files are shared by every worker of the host (a clear in one clears all), which the local
    memory cache is not. Pages are read far more often than written and a hit must cost about
    what the floor costs: decompressing a 60 KB page took a third of a hit's CPU, so the bytes
    are stored as pickled (the disk holds at most two files per page).

    A hit also keeps the file's bytes in this process (`FileBytes`), so the next hit of the same
    unchanged file reads only its metadata: opening and reading a 43 KB page cost 20 of a hit's
    150 µs. Each hit still unpickles its own response from those bytes, as from the file.
    """

    def get(self, key, default=None, version=None):
        path = self._key_to_file(key, version)
        try:
            kept = FILE_BYTES.get(path, identity(os.stat(path)))
            if kept is not None and (kept[0] is None or kept[0] > time.time()):
                return pickle.loads(kept[1])
            with open(path, "rb") as f:
                try:
                    expiry = pickle.load(f)
                except EOFError:
                    expiry = 0  # an empty file is expired (as in Django's `_is_expired`)
                if expiry is not None and expiry < time.time():
                    f.close()
                    self._delete(path)
                    return default
                data = f.read()
                FILE_BYTES.keep(path, identity(os.fstat(f.fileno())), expiry, data)
            return pickle.loads(data)
        except FileNotFoundError:
            FILE_BYTES.forget(path)
            return default

    def _delete(self, fname):
        FILE_BYTES.forget(fname)
        return super()._delete(fname)

    def _key_to_file(self, key, version=None):
        """Django's path for the key (an MD5 of it), remembered per key: a hit no longer hashes."""
        # Per instance: the path depends on its folder, key prefix and key function.
        paths = self.__dict__.setdefault("_paths", {})
        path = paths.get((key, version))
        if path is None:
            path = super()._key_to_file(key, version)
            if len(paths) < MAX_PATHS:
                paths[key, version] = path
        return path

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
