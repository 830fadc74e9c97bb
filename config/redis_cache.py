"""The Redis cache backend: Redis as an accelerator, not a dependency (a django-redis backend
that never raises). Imported only when REDIS_URL is set (through config.cache): django-redis and
the redis client cost a worker about 20 MiB.

django-redis's own IGNORE_EXCEPTIONS returns a default on errors but still waits for every
timeout and logs every failure. This subclass adds what a public site needs when Redis is
stopped, slow or full:

- a failure returns the same as a miss (`get` → default, `set` → False, …);
- after a connection error or a timeout, Redis is skipped for REDIS_RETRY_SECONDS (a circuit
  breaker), so a dead or slow server costs one short timeout per interval, not one per request;
- each kind of failure is logged once per REDIS_LOG_SECONDS per process, with the count of
  failures not logged since.

An out-of-memory refusal (`maxmemory` with `noeviction`) fails writes only: it is logged but does
not open the breaker, so reads keep being served from what is stored.
"""

import logging
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("config.cache")
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, TimeoutError, ConnectionError)


class FailureLog:
    """Log a recurring failure once per interval, with how often it happened meanwhile."""

    def __init__(self):
        self._lock = threading.Lock()
        self._last = {}  # kind -> (monotonic time logged, failures since)

    def failed(self, kind, message, interval):
        now = time.monotonic()
        with self._lock:
            logged_at, since = self._last.get(kind, (None, 0))
            if logged_at is not None and now - logged_at < interval:
                self._last[kind] = (logged_at, since + 1)
                return False
            self._last[kind] = (now, 0)
        suffix = f" ({since} more since the last report)" if since else ""
        logger.warning("%s%s", message, suffix)
        return True


failures = FailureLog()


def _cause(error):
    return error.__cause__ if isinstance(error, ConnectionInterrupted) else error


class ResilientRedisCache(RedisCache):
    """RedisCache whose every operation degrades to a miss while Redis is unavailable."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    @property
    def available(self):
        return time.monotonic() >= self._down_until

    def _guard(self, name, fallback, *args, **kwargs):
        if not self.available:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (ConnectionInterrupted, RedisError, OSError) as error:
            self._failed(name, _cause(error))
            return fallback

    def _failed(self, operation, error):
        retry = getattr(settings, "REDIS_RETRY_SECONDS", 5)
        if isinstance(error, UNAVAILABLE):
            self._down_until = time.monotonic() + retry
            action = f"skipped for {retry} s"
        else:
            action = "write not stored"
        message = f"Redis cache {operation} failed ({type(error).__name__}: {error}); {action}"
        failures.failed(type(error).__name__, message, getattr(settings, "REDIS_LOG_SECONDS", 60))

    def get(self, key, default=None, version=None, client=None):
        return self._guard("get", default, key, default=default, version=version, client=client)

    def get_many(self, *args, **kwargs):
        return self._guard("get_many", {}, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guard("set", False, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard("add", False, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard("set_many", [], *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", 0, *args, **kwargs)

    def delete_pattern(self, *args, **kwargs):
        return self._guard("delete_pattern", 0, *args, **kwargs)

    def clear(self):
        return self._guard("clear", None)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._guard("incr", None, *args, **kwargs)
