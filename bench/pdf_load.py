"""PDF burst against HTML pages: 20 clients ask for PDFs, most not rendered yet (HEAD and GET),
and (one request in SEARCH_EVERY) search the record, while one reader times an edition page.
Bounded (seconds, clients), on 127.0.0.1 only.

The site runs as in production: gunicorn with the production settings (config/gunicorn.py:
2 gthread workers of 8 threads), DJANGO_DEBUG=0, on a SQLite file in a temporary folder: the seed
plus `EXTRA` complete editions (bench.dataset). Edition 17's four PDFs are stored before the
burst (`manage.py render_pdfs`); the other 80 are not, and the site's own renderer process stores
them as visitors ask (PDF_STORE_DIR in the temporary folder).

The burst's clients run in a process of their own (`--burst`), so that the reader's timings are
the server's and not the wait for the client's own interpreter lock; at nice 10
(PDF_LOAD_CLIENT_NICE), because they stand for visitors on other machines: on loopback their
own CPU would otherwise be taken from the server they are measuring. Prints one JSON object;
`measure()` is what tests/takeaway/test_pdf_load.py asserts on.

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
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.operations import servers  # noqa: E402

EXTRA = 20
HTML = "/ja/seminars/17/"
STORED_EDITION = 17
GUNICORN = ("-c", "config/gunicorn.py")  # the production settings
RENDER_WAIT_SECONDS = 60
# Searches that find many editions (the costly kind), on changing pages: never the same request.
SEARCHES = ("交流", "セミナー", "研讨会", "中国", "日本 交流")
SEARCH_EVERY = 3
CLIENT_NICE = int(
    os.environ.get("PDF_LOAD_CLIENT_NICE", "10")
)  # after the burst, for the renderer to store a first PDF


def manage(env, *args):
    command = [sys.executable, "manage.py", *args]
    # Its messages to stderr: stdout is the JSON report.
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600, stdout=sys.stderr)


def build_database(env):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "loaddata", "seminars", "participants", "-v0")
    manage(env, "shell", "-c", f"from bench.dataset import add_editions; add_editions({EXTRA})")


def pdf_paths():
    editions = [STORED_EDITION, *range(18, 18 + EXTRA)]
    return [
        f"/{lang}/seminars/{edition}/{kind}.pdf"
        for edition in editions
        for kind in ("programme", "report")
        for lang in ("ja", "zh-hans")
    ]


def search_path(n):
    query = urlencode({"q": SEARCHES[n % len(SEARCHES)], "page": n % 5 + 1})
    return f"/{('ja', 'zh-hans')[n % 2]}/search/?{query}"


def pdf_burst(port, paths, threads, seconds, folder):
    """The clients (run in their own process): a tally of answers, and the most renderer
    processes of this run seen at once (sampled every half second)."""
    tally, lock, stop = {}, threading.Lock(), time.monotonic() + seconds

    def work(offset):
        n = offset
        while time.monotonic() < stop:
            method = "HEAD" if n % 2 else "GET"
            path = paths[n % len(paths)]
            if n % SEARCH_EVERY == 0:
                method, path = "SEARCH", search_path(n)
            try:
                status = servers.request(port, "GET" if method == "SEARCH" else method, path)[0]
            except OSError as error:  # a refused or reset connection counts as an answer too
                status = type(error).__name__
            with lock:
                tally[f"{method} {status}"] = tally.get(f"{method} {status}", 0) + 1
            n += 7

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    most_renderers = 0
    while time.monotonic() < stop:
        most_renderers = max(most_renderers, len(renderers(folder, rendering=True)))
        time.sleep(0.5)
    for worker in workers:
        worker.join()
    searches = {key: count for key, count in tally.items() if key.startswith("SEARCH ")}
    pdfs = {key: count for key, count in tally.items() if key not in searches}
    return {
        "pdf_responses": pdfs,
        "search_responses": searches,
        "most_renderers_at_once": most_renderers,
    }


def start_burst(port, threads, seconds, folder):
    command = ["nice", "-n", str(CLIENT_NICE), sys.executable, __file__, "--burst", str(port)]
    command += ["--threads", str(threads)]
    command += ["--seconds", str(seconds), "--folder", str(folder)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


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


def stored(folder):
    """Every stored PDF: path → (inode, mtime_ns), to tell a file written again."""
    found = {}
    for path in (folder / "pdf").glob("*/*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # replaced by a newer version meanwhile
            continue
        found[path] = (stat.st_ino, stat.st_mtime_ns)
    return found


def wait_for_new(folder, before, timeout):
    """Seconds until the renderer stored a PDF that was not there before; None past timeout."""
    start = time.monotonic()
    while time.monotonic() < start + timeout:
        if set(stored(folder)) - set(before):
            return round(time.monotonic() - start, 1)
        time.sleep(0.5)
    return None


def measure(seconds=10, threads=20, wait_for_render=True):
    folder = Path(tempfile.mkdtemp(prefix="seminars-pdfload-"))
    env = servers.production_env(
        f"sqlite:///{folder / 'db.sqlite3'}", PDF_STORE_DIR=str(folder / "pdf")
    )
    env.pop("PYTEST_CURRENT_TEST", None)  # the site runs as outside a test: it renders
    env.pop("PDF_RENDER_SPAWN", None)  # bench/run.py forbids it for its other steps
    site = None
    try:
        # Building saves editions, cities …: each save asks for its PDFs and may start a
        # renderer. Those go to a store of their own, thrown away with their renderer, so that
        # what the burst measures is what the visitors' requests make the site do.
        build_database({**env, "PDF_STORE_DIR": str(folder / "build-pdf")})
        for pid in renderers(folder):
            os.kill(pid, 15)
        shutil.rmtree(folder / "build-pdf", ignore_errors=True)
        servers.collectstatic(env)
        manage(env, "render_pdfs", "--edition", str(STORED_EDITION), "-v0")
        ready = stored(folder)
        site = servers.Site(env, GUNICORN)
        # The page is cached, as any visited page (its first render may be slow on a busy host).
        servers.request(site.port, "GET", HTML, timeout=120)
        quiet = time_html(site.port, 2)
        burst = start_burst(site.port, threads, seconds, folder)
        loaded = time_html(site.port, seconds)
        clients = json.loads(burst.communicate(timeout=seconds + 120)[0])
        gunicorn_workers = worker_pids(site.process.pid)
        engine = any(map(loaded_pango, gunicorn_workers))
        after = stored(folder)
        rendered = wait_for_new(folder, ready, RENDER_WAIT_SECONDS) if wait_for_render else None
        return {
            "server": "gunicorn -c config/gunicorn.py (2 gthread workers × 8 threads)",
            "load_average": round(os.getloadavg()[0], 1),
            "pdf_urls": len(pdf_paths()),
            "stored_before": len(ready),
            "threads": threads,
            "seconds": seconds,
            "html_quiet_p50_ms": round(statistics.median(quiet), 1),
            "html_p50_ms": round(statistics.median(loaded), 1),
            "html_p99_ms": round(percentile(loaded, 99), 1),
            "html_max_ms": round(max(loaded), 1),
            "html_responses": len(loaded),
            **clients,
            "web_workers_loaded_pdf_engine": engine,
            "web_workers": len(gunicorn_workers),
            # A stored PDF written again (new inode or time) was rendered for nothing.
            "stored_rendered_again": sum(
                after.get(path, ready[path]) != ready[path] for path in ready
            ),
            "stored_pdfs": len(after),
            # After the burst (the renderer runs at nice 19: its pace is the host's spare CPU).
            "renderer_first_new_pdf_after_s": rendered,
        }
    finally:
        if site is not None:
            site.close()
        for pid in renderers(folder):
            os.kill(pid, 15)
        shutil.rmtree(folder, ignore_errors=True)


def renderers(folder, rendering=False):
    """The renderer processes of this run (their environment names this run's folder).

    `rendering`: only those that hold a runner slot (a lock file of the store's runners/ open).
    A runner that has released its slot and found no request left is only exiting; the next
    request may meanwhile have started the next runner (seminars.takeaway.render.run_requests),
    so for a moment two processes live, one rendering. On a loaded host that exit (the
    interpreter unloading the PDF engine) was seen by the half-second sampling."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            command = (proc / "cmdline").read_bytes()
            if b"render_pdfs" in command and str(folder).encode() in environ:
                if not rendering or holds_slot(proc, folder):
                    found.append(int(proc.name))
        except OSError:  # the process ended meanwhile
            continue
    return found


def holds_slot(proc, folder):
    runners = f"{folder}/pdf/runners/"
    for descriptor in (proc / "fd").iterdir():
        target = os.readlink(descriptor)
        if target.startswith(runners) and target.endswith(".lock"):
            return True
    return False


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--burst", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.burst:
        paths = pdf_paths()
        result = pdf_burst(options.burst, paths, options.threads, options.seconds, options.folder)
        print(json.dumps(result))
    else:
        print(json.dumps(measure(options.seconds, options.threads), indent=2))
