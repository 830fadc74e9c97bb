"""WSGI entry point (`gunicorn -c config/gunicorn.py config.wsgi`).

PDF requests are a bulkhead: at most PDF_REQUESTS_AT_ONCE (environment, default 2) run in a
worker at the same time; the others wait on a lock, which costs no CPU and holds no interpreter
lock, so a burst of PDF requests leaves a threaded worker's other threads free for the pages.
Measured by bench/pdf_load.py: without it, 20 clients asking for PDFs kept all 8 threads of each
worker competing for the interpreter lock, and an edition page (a 1 ms cache hit) waited for all
of them (p99 250–800 ms on a busy 2-core host; 140–155 ms with it).

Searches (`/<lang>/search/?q=…`) are the other thing an anonymous visitor can make a worker compute
on every request (the page cache does not keep them: the query varies): a bulkhead of their own,
SEARCH_REQUESTS_AT_ONCE (default 2) per worker. The same burst test sends them beside the PDFs.
"""

import os
import threading

from django.core.wsgi import get_wsgi_application

from seminars.apps import SeminarAdminConfig

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A worker loads the admins' modules with the first admin URL (config/admin_urls.py).
SeminarAdminConfig.load_admins_on_first_use = True
django_application = get_wsgi_application()

PDF_REQUESTS_AT_ONCE = max(1, int(os.environ.get("PDF_REQUESTS_AT_ONCE", "2")))
_pdf_requests = threading.BoundedSemaphore(PDF_REQUESTS_AT_ONCE)
SEARCH_REQUESTS_AT_ONCE = max(1, int(os.environ.get("SEARCH_REQUESTS_AT_ONCE", "2")))
_searches = threading.BoundedSemaphore(SEARCH_REQUESTS_AT_ONCE)


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.endswith(".pdf"):
        # Until the response is handed over: a stored PDF is then sent by the server (sendfile).
        with _pdf_requests:
            return django_application(environ, start_response)
    if path.endswith("/search/"):
        with _searches:
            return django_application(environ, start_response)
    return django_application(environ, start_response)
