"""PDF burst against HTML pages: 20 threads ask for PDFs not rendered yet (HEAD and GET) while
one reader times an edition page. Bounded (seconds, threads), on 127.0.0.1 only.

The site runs as in production (gunicorn, 2 sync workers, DJANGO_DEBUG=0) on a SQLite file in a
temporary folder: the seed plus `EXTRA` complete editions (bench.dataset), none of whose PDFs is
stored; the PDFs go to a temporary PDF_STORE_DIR. Prints one JSON object; `measure()` is what
tests/takeaway/test_pdf_load.py asserts on.

    .venv/bin/python bench/pdf_load.py [--seconds 10] [--threads 20]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.operations import servers  # noqa: E402

EXTRA = 20
HTML = "/ja/seminars/17/"


def build_database(env):
    def manage(*args):
        command = [sys.executable, "manage.py", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600)

    manage("migrate", "--noinput", "-v0")
    manage("loaddata", "seminars", "participants", "-v0")
    manage("shell", "-c", f"from bench.dataset import add_editions; add_editions({EXTRA})")


def pdf_paths():
    editions = [17, *range(18, 18 + EXTRA)]
    return [
        f"/{lang}/seminars/{edition}/{kind}.pdf"
        for edition in editions
        for kind in ("programme", "report")
        for lang in ("ja", "zh-hans")
    ]


def pdf_burst(port, paths, threads, seconds, tally):
    stop = time.monotonic() + seconds

    def work(offset):
        n = offset
        while time.monotonic() < stop:
            method = "HEAD" if n % 2 else "GET"
            status, _headers, _body = servers.request(port, method, paths[n % len(paths)])
            with lock:
                tally[f"{method} {status}"] = tally.get(f"{method} {status}", 0) + 1
            n += 7

    lock = threading.Lock()
    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    return workers


def time_html(port, seconds):
    latencies, stop = [], time.monotonic() + seconds
    while time.monotonic() < stop:
        start = time.perf_counter()
        status, _headers, _body = servers.request(port, "GET", HTML)
        latencies.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    return latencies


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def worker_pids(master):
    """The gunicorn workers: the processes whose parent is the master."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        if proc.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(proc.name))
    return pids


def loaded_pango(pid):
    try:
        return "libpango" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def measure(seconds=10, threads=20):
    folder = Path(tempfile.mkdtemp(prefix="seminars-pdfload-"))
    env = servers.production_env(
        f"sqlite:///{folder / 'db.sqlite3'}", PDF_STORE_DIR=str(folder / "pdf")
    )
    env.pop("PYTEST_CURRENT_TEST", None)  # the site runs as outside a test: it renders
    site = None
    try:
        build_database(env)
        servers.collectstatic(env)
        site = servers.Site(env)
        servers.request(site.port, "GET", HTML)  # the page is cached, as any visited page
        quiet = time_html(site.port, 2)
        tally = {}
        paths = pdf_paths()
        workers = pdf_burst(site.port, paths, threads, seconds, tally)
        loaded = time_html(site.port, seconds)
        for worker in workers:
            worker.join()
        gunicorn_workers = worker_pids(site.process.pid)
        return {
            "load_average": round(os.getloadavg()[0], 1),
            "pdf_urls": len(paths),
            "threads": threads,
            "seconds": seconds,
            "html_quiet_p50_ms": round(statistics.median(quiet), 1),
            "html_p50_ms": round(statistics.median(loaded), 1),
            "html_p99_ms": round(percentile(loaded, 99), 1),
            "html_responses": len(loaded),
            "pdf_responses": tally,
            "web_workers_loaded_pdf_engine": any(map(loaded_pango, gunicorn_workers)),
            "web_workers": len(gunicorn_workers),
            "stored_pdfs": len(list((folder / "pdf").glob("*/*.pdf"))),
        }
    finally:
        if site is not None:
            site.close()
        stop_renderers(folder)
        shutil.rmtree(folder, ignore_errors=True)


def stop_renderers(folder):
    """The renderer this run started (its command line names this run's database)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if b"render_pdfs" in command and str(folder).encode() in environ:
            os.kill(int(proc.name), 15)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=20)
    options = parser.parse_args()
    print(json.dumps(measure(options.seconds, options.threads), indent=2))
