"""Database restarts cost no GET, and no POST answers 500.

Persistent connections with health checks (settings.DATABASES) replace a connection that died
while idle. This middleware covers the rest, the connections that fail during a request:

- a GET or HEAD that meets a dropped or refused connection (OperationalError, InterfaceError) is
  run again on a fresh connection, with a short back-off, for at most DB_RETRY_SECONDS (about
  2 s: a PostgreSQL restart takes well under a second); if the database is still away, the
  reader gets the translated 503 page;
- any other request (an admin POST) is not repeated: its transaction was rolled back, so the
  staff member gets the translated 503 page "the database is restarting, nothing was saved, try
  again" instead of a 500.

Django turns exceptions into responses inside each middleware, so the view's exception is caught
in `process_exception` (innermost first) and one raised by another middleware (a session save)
is recognized by `got_request_exception`, which Django sends before building its 500.
"""

import logging
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import get_language, get_language_from_path, override

logger = logging.getLogger("config.db")
DISCONNECTED = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD")
BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.5)
RETRY_AFTER_SECONDS = 5


class DatabaseUnavailable(HttpResponse):
    """The translated 503 page; after a failed POST it says that nothing was saved."""

    status_code = 503

    def __init__(self, request):
        super().__init__(render_unavailable(request, request.method not in SAFE_METHODS))
        self["Retry-After"] = str(RETRY_AFTER_SECONDS)
        self["Cache-Control"] = "no-store"


def render_unavailable(request, nothing_saved):
    """The translated 503 page, rendered without the database (no request context)."""
    language = get_language_from_path(request.path_info) or get_language() or "ja"
    with override(language):
        context = {"is_error_page": True, "nothing_saved": nothing_saved}
        return loader.get_template("503.html").render(context)


def _is_disconnect(exception):
    return isinstance(exception, DISCONNECTED)


def close_connections():
    """Drop this thread's connections so that the next query opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # a broken connection may fail to close; it is discarded anyway
            conn.connection = None


class DatabaseRestartMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        retry = request.method in SAFE_METHODS and not request.META.get("seminars.page_warm")
        deadline = time.monotonic() + getattr(settings, "DB_RETRY_SECONDS", 2.0)
        attempt = 0
        while True:
            request._database_failed = None
            response = self.get_response(request)
            failed = request._database_failed
            if failed is None:
                return response
            close_connections()
            pause = BACKOFF[min(attempt, len(BACKOFF) - 1)]
            if not retry or time.monotonic() + pause > deadline:
                logger.warning(
                    "Database unavailable: %s %s (%s)", request.method, request.path, failed
                )
                return DatabaseUnavailable(request)
            time.sleep(pause)
            attempt += 1

    def process_exception(self, request, exception):
        if _is_disconnect(exception):
            request._database_failed = exception
            return DatabaseUnavailable(request)  # or run again by __call__
        return None


def _note_disconnect(sender, request=None, **kwargs):
    """A disconnect raised outside the view (e.g. saving the session): remember it."""
    import sys

    exception = sys.exc_info()[1]
    if request is not None and _is_disconnect(exception):
        request._database_failed = exception


got_request_exception.connect(_note_disconnect, dispatch_uid="config_db_disconnect")
