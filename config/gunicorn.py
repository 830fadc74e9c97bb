"""gunicorn in production: `.venv/bin/gunicorn -c config/gunicorn.py config.wsgi`.

Threaded workers (gthread), because a page must not wait in a queue behind slow or many requests:
with sync workers every request holds a whole worker, so 20 clients asking for PDFs (or reading a
large one slowly) made an edition page, itself a 1 ms cache hit, wait behind all of them (p99
366–1,116 ms measured by bench/pdf_load.py). A thread takes each connection as it arrives, and
the pages' work is short, so they are answered between the others.

- `GUNICORN_WORKERS` (default 2, one per core of the 2-core host) and `GUNICORN_THREADS`
  (default 8) per worker; `GUNICORN_BIND` (default 127.0.0.1:8000, behind the reverse proxy).
- A worker switches between its threads every 1 ms rather than Python's 5 ms, so that a short
  request that arrives while others run waits for a few ms of theirs, not tens.
- Each thread keeps its own database connection (settings.CONN_MAX_AGE): at most workers ×
  threads connections (16 by default) to PostgreSQL.
- Once a worker has loaded the application, what it loaded is moved out of the garbage
  collector's sight (`gc.freeze()`): Django, the models, the URLconf and the templates live as long
  as the worker, yet every full collection walked them all again. Measured by bench/save.py, a
  full collection in the middle of a save cost 80–150 ms of CPU before (see `freeze_heap`).
"""

import gc
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = 30
graceful_timeout = 10
keepalive = 5
# gunicorn's control socket has one default path per user: two servers would share it.
control_socket_disable = True

SWITCH_INTERVAL_SECONDS = 0.001


def freeze_heap():
    """Collect once, then keep every object alive now out of later collections: they are the
    worker's for its lifetime, and a full collection no longer costs what it takes to walk them.
    Objects made afterwards (requests, the page fragments' memo) are collected as before."""
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    freeze_heap()
