"""CPU milliseconds per request, in-process: the WSGI application called in a loop, no server.

Steadier than req/s on a busy host (it counts this process's CPU time, not wall time).
    python bench/cpu.py site|site-cold|floor PATH [REQUESTS]
`site-cold` empties the per-process fragment memo (seminars/public/fragments.py) before each
request: the cost of a page none of whose pieces this process has rendered yet.
with the environment of the server it stands for (run.py passes the same variables).
"""

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def main(which, path, requests):
    if which == "floor":
        from bench.floor import application
    else:
        from config.wsgi import application
    statuses = []
    forget = None
    if which == "site-cold":
        from seminars.public.fragments import FRAGMENTS

        forget = FRAGMENTS.clear

    def call():
        if forget is not None:
            forget()
        body = application(environ(path), lambda status, headers, exc=None: statuses.append(status))
        b"".join(body)
        body.close()

    for _warm in range(10):
        call()
    start = time.process_time()
    for _request in range(requests):
        call()
    elapsed = time.process_time() - start
    assert statuses[-1].startswith("200"), statuses[-1]
    print(f"{elapsed / requests * 1000:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200)
