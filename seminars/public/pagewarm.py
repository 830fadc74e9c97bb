"""Warm, not cold, after an edit: the removed public pages are rendered again by this process.

Each page is requested through the project's own WSGI handler as an anonymous reader of a known
origin (seminars.public.pagecache.remember_origin), so the page cache middleware stores exactly
what a
visitor's request would have stored. The edited edition's pages are rendered before the saving
request returns (`warm_pages_now`, on a separate thread so that its language, URLconf and
database connection stay apart from the caller's); the other pages the change touched are
rendered by one background thread per process (`warm_pages_later`), which picks up pages
submitted meanwhile. Other workers never render these pages at the same time unless a visitor
asks first: no stampede after an edit. seminars.public.invalidation decides which pages; only pages
that were
stored are rendered again.

Never raises: a failure (database or cache unavailable) is logged and the page stays cold.
"""

import io
import logging
import sys
import threading
from urllib.parse import urlsplit

from django.db import connections

logger = logging.getLogger("seminars.public.pagewarm")
# Not an HTTP_ header: a client cannot set it. Tells config.db not to wait for the database.
WARM_ENVIRON_KEY = "seminars.page_warm"
NOW_TIMEOUT = 10

_lock = threading.Lock()
_pending = {}  # (origin, path) -> None, in submission order
_worker = None
_running = False
_handler = None


def _get_handler():
    global _handler
    if _handler is None:
        from django.core.handlers.wsgi import WSGIHandler

        _handler = WSGIHandler()
    return _handler


def environ_for(origin, path):
    parts = urlsplit(origin)
    path, _, query = path.partition("?")
    https = parts.scheme == "https"
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if https else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": parts.netloc,
        "HTTP_X_FORWARDED_PROTO": parts.scheme,  # read only behind the trusted proxy setting
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        WARM_ENVIRON_KEY: True,
    }


def render(origin, path):
    """One anonymous GET through the full middleware stack; the status code."""
    status = []
    try:
        response = _get_handler()(environ_for(origin, path), lambda s, h: status.append(s))
        try:
            for _chunk in response:
                pass
        finally:
            response.close()  # request_finished, as a WSGI server sends it
    except Exception:
        logger.exception("Warming %s%s failed", origin, path)
        return None
    return int(status[0].split()[0]) if status else None


def _render_all(pages):
    try:
        for origin, path in pages:
            render(origin, path)
    finally:
        connections.close_all()  # this thread's connections only


def warm_pages_now(pages):
    """Render these (origin, path) pages before returning (on a separate thread, joined)."""
    if not pages:
        return
    thread = threading.Thread(target=_render_all, args=(pages,), name="page-warm-now")
    thread.start()
    thread.join(NOW_TIMEOUT)


def warm_pages_later(pages):
    """Render these (origin, path) pages in this process's background thread, soon."""
    global _worker, _running
    with _lock:
        for page in pages:
            _pending[page] = None
        if not _pending or _running:
            return
        _running = True
        # Not a daemon: a management command or a stopping worker finishes its pages first.
        _worker = threading.Thread(target=_drain, name="page-warm-later")
        _worker.start()


def _drain():
    global _running
    try:
        while True:
            with _lock:
                if not _pending:
                    _running = False
                    return
                page = next(iter(_pending))
                del _pending[page]
            render(*page)
    finally:
        connections.close_all()


def wait_for_background(timeout=30):
    """For tests and commands: until the background thread has rendered everything."""
    worker = _worker
    if worker is not None:
        worker.join(timeout)
