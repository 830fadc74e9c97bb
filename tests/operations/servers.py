"""Servers of the fault suite, started and stopped by the tests: Redis, PostgreSQL, the site.

Private servers listen on 127.0.0.1 only, on ports 6390–6399 (Redis) and 5440–5449 (PostgreSQL),
in folders under /tmp, and are stopped by the fixture that started them. The site runs under
gunicorn in production mode (DJANGO_DEBUG=0, 2 sync workers), as the issue measured it.
"""

import atexit
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port(low, high):
    for port in range(low, high + 1):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {low}-{high}")


def wait_for_port(port, timeout=30, up=True):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if (sock.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


class Redis:
    """redis-server on a private port, nothing on disk; `maxmemory` for the "full" case."""

    def __init__(self, binary, *extra):
        self.port = free_port(6390, 6399)
        self.dir = tempfile.mkdtemp(prefix="seminars-redis-")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", self.dir, *extra]
        self.command = command
        self.process = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_for_port(self.port, up=False)

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgreSQL:
    """A private cluster (initdb, pg_ctl) run by the postgres user, trust auth, 127.0.0.1 only."""

    def __init__(self, bindir):
        self.bindir = Path(bindir)
        self.port = free_port(5440, 5449)
        self.dir = Path(tempfile.mkdtemp(prefix="seminars-pg-"))
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = self.dir / "data"
        self.as_postgres("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def as_postgres(self, tool, *args, check=True):
        command = ["runuser", "-u", "postgres", "--", str(self.bindir / tool), *map(str, args)]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.as_postgres(
            "pg_ctl", "start", "-w", "-D", self.data, "-l", self.dir / "log", "-o", options
        )

    def restart(self):
        """Stop (fast: sessions are terminated) and start again, as a package upgrade does."""
        self.as_postgres("pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)
        self.start()

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def close(self):
        self.as_postgres("pg_ctl", "stop", "-m", "immediate", "-D", self.data, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def static_root():
    """This process's own STATIC_ROOT for the servers it starts (removed when it ends).

    `collectstatic` deletes and writes hashed files as it goes; the two CI passes run side by
    side in one checkout, and a collection into var/static made the other pass's tests, whose
    WhiteNoise scans var/static, fail with FileNotFoundError."""
    folder = Path(tempfile.gettempdir()) / f"seminars-static-{os.getpid()}"
    if not folder.exists():
        folder.mkdir()
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def production_env(database_url, redis_url=None, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PAGECACHE_DISABLED")}
    env.update(
        DJANGO_STATIC_ROOT=str(static_root()),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def collectstatic(env):
    """Production pages need the static manifest (var/static), as after a deploy."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


class Site:
    """The project under gunicorn, 2 sync workers, on a free port; its log in `self.log`.
    `options` replace the workers' (bench/pdf_load.py: the production config/gunicorn.py)."""

    def __init__(self, env, options=("--workers", "2", "--timeout", "30")):
        self.port = free_port(18300, 18399)
        self.logfile = tempfile.NamedTemporaryFile(prefix="seminars-gunicorn-", suffix=".log")
        command = [str(BIN / "gunicorn"), "config.wsgi", *options]
        command += ["--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "5"]
        # No control socket: gunicorn's default path is shared by every server of the user.
        command += ["--no-control-socket"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.logfile, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, timeout=60)

    @property
    def log(self):
        return Path(self.logfile.name).read_text(errors="replace")

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.logfile.close()


def request(port, method, path, body=None, headers=None, timeout=15):
    """One request on a new connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Browser:
    """A staff member's browser: cookies kept, CSRF token sent, redirects not followed."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _send(self, method, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        status, response_headers, content = request(self.port, method, path, body, headers)
        for value in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return status, content.decode(errors="replace")

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._send("POST", path, data)

    def login(self, username, password):
        self.get("/admin/login/")
        status, _ = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert status == 302, "login failed"


def load(port, paths, seconds, threads=4, max_requests=20_000, min_requests=0):
    """Bounded GET load from `threads` clients: a Counter of statuses (and exception names).

    It runs for `seconds`, and on until `min_requests` have been answered on a busy host (CI
    runs two passes side by side), at most ten times as long: a test then asserts its minimum
    as proof that the load spanned the fault, whatever the host's speed."""
    counts, lock = Counter(), threading.Lock()
    started = time.monotonic()
    deadline, last = started + seconds, started + 10 * seconds

    def going():
        now = time.monotonic()
        return now < deadline or (now < last and sum(counts.values()) < min_requests)

    def client(offset):
        done = 0
        while going() and done < max_requests // threads:
            path = paths[(offset + done) % len(paths)]
            try:
                status = request(port, "GET", path)[0]
            except Exception as error:  # a refused or reset connection is a failed request too
                status = type(error).__name__
            with lock:
                counts[status] += 1
            done += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    return workers, counts


def join(workers):
    for worker in workers:
        worker.join(120)
