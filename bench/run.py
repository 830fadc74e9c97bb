"""`make bench`: the public pages under load, uncached and cached, against a floor.

Builds the scaled dataset in its own database (var/bench/bench.sqlite3, or BENCH_DATABASE_URL),
collects static files, serves the project with gunicorn in production mode (2 sync workers,
127.0.0.1, a free port) and loads each page with wrk (or a Python client), first with the page
cache disabled, then enabled; then serves the very bytes of the edition page from a minimal Django
project (bench/floor.py) the same way; measures one admin save's server CPU (re-render included)
at 17 and at 101 editions (bench/save.py), a worker's RSS serving cached pages on SQLite and
(with BENCH_POSTGRES_URL, a database of its own: it is flushed) on PostgreSQL, and the pages
during a burst of PDF requests (bench/pdf_load.py), what the on-demand XLSX format saves in a
worker's RSS (bench/xlsx_shim.py), and the static copy's peak RSS (crawling process and PDF
renderer, bench/static_copy.py). Finally runs bench/bench_export.py
(100,000 delegations). The search's time and SQL queries per query are measured in-process on
the same dataset (bench/search.py).
Results: a table on stdout, bench/results/<date>.json and .md.

    .venv/bin/python bench/run.py [--seconds 10] [--connections 8] [--skip-export]
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report, static_copy, xlsx_shim  # noqa: E402
from bench import search as bench_search  # noqa: E402

BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
EDITION = 60  # a generated edition: 30 agenda items, 10 organizers, 2 delegations, 3 photos
REPORT = "/admin/participants/delegation/report/?language=ja&format=csv"
AFTER_EDIT = "first request after an edit (edition page, ja and zh-hans)"
PAGES = [
    ("series page (ja)", "/ja/"),
    (f"edition page (ja, {EDITION})", f"/ja/seminars/{EDITION}/"),
    (f"edition page (zh-hans, {EDITION})", f"/zh-hans/seminars/{EDITION}/"),
]


def production_env(database_url, secret_key, **extra):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": secret_key}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="ERROR",
        # Its own page cache: test runs elsewhere on the host must not share it.
        DJANGO_PAGE_CACHE_DIR=str(WORK / "pages"),
    )
    env.pop("PAGECACHE_DISABLED", None)
    env.update(extra)
    return env


def last_json(command, env):
    """Run a bench script in the project folder; the JSON value its last output line holds."""
    out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """2 sync workers on 127.0.0.1 (the issue's setting); stopped on exit."""

    def __init__(self, app, env):
        self.port = free_port()
        command = [str(BIN / "gunicorn"), app, "--workers", "2", "--worker-class", "sync"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        command += ["--no-control-socket"]  # gunicorn's default socket path is shared per user
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def warm(self, path, headers=None):
        """A few sequential requests: workers boot and load templates before the measurement."""
        for _attempt in range(10):
            fetch(self.base + path, headers)

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def worker_rss_mib(self):
        """(VmRSS, VmHWM) of the largest worker, in MiB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = children.read_text().split()
        values = [report.proc_status(pid) for pid in pids]
        return max(v[0] for v in values), max(v[1] for v in values)


def fetch(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as response:
        return response.read()


def measure(server, path, args, wrk, headers=None):
    url = server.base + path
    server.warm(path, headers)
    load.load(
        url, seconds=min(2, args.seconds), connections=args.connections, headers=headers, wrk=wrk
    )
    result = load.load(url, args.seconds, args.connections, headers=headers, wrk=wrk)
    result["rss_mib"], result["hwm_mib"] = server.worker_rss_mib()
    return result


def prepare(database_url, secret_key):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": secret_key}
    env["DJANGO_DEBUG"] = "1"
    # The dataset's saves start no PDF renderer: it would hold this pipe open, and a core,
    # for the whole run (340 PDFs at 101 editions).
    env["PDF_RENDER_SPAWN"] = "0"
    env["DJANGO_PAGE_CACHE_DIR"] = str(WORK / "prepare-pages")
    paths = [path for _name, path in PAGES]
    return last_json([sys.executable, str(ROOT / "bench" / "prepare.py"), REPORT, *paths], env)


def run_search(database_url, secret_key):
    """bench/search.py on the benchmark's database: each search's time and SQL queries."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": secret_key}
    env.update(DJANGO_DEBUG="1", DJANGO_PAGE_CACHE_DIR=str(WORK / "prepare-pages"))
    command = [sys.executable, str(ROOT / "bench" / "search.py"), "--no-build"]
    return last_json(command, env)


def run_site(env, args, wrk, session_key, with_report):
    rows = {}
    with Gunicorn("config.wsgi:application", env) as server:
        for name, path in PAGES:
            rows[name] = measure(server, path, args, wrk)
        if with_report:
            cookie = {"Cookie": f"sessionid={session_key}"}
            rows["CSV report (admin, 101 rows)"] = measure(server, REPORT, args, wrk, cookie)
        else:
            rows[AFTER_EDIT] = after_edits(server, env)
        page = fetch(server.base + PAGES[1][1])
    return rows, page


def after_edits(server, env, edits=10):
    """The first request for an edited page, right after each edit commits (both languages)."""
    latencies, updated, stored, durations = [], 0, 0, []
    for n in range(edits):
        path = PAGES[1 + n % 2][1]
        fetch(server.base + path)  # stored before the edit
        marker = f"bench-edit-{n}-{secrets.token_hex(4)}"
        command = [sys.executable, str(ROOT / "bench" / "edit.py"), str(EDITION), marker, path]
        began = time.perf_counter()
        out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True).stdout
        durations.append(time.perf_counter() - began)  # save, warm now, the rest later
        stored += out.decode().split()[-1] == "stored"  # in the cache before the request
        started = time.perf_counter()
        body = fetch(server.base + path)
        latencies.append((time.perf_counter() - started) * 1000)
        updated += marker.encode() in body
    latencies.sort()
    latencies = [round(x, 2) for x in latencies]
    return {
        "edits": edits,
        "updated": updated,
        "stored": stored,
        "latencies_ms": latencies,
        "edit_process_s": round(sorted(durations)[len(durations) // 2], 1),
    }


def run_floor(page, secret_key, args, wrk):
    floor_file = WORK / "floor.html"
    floor_file.write_bytes(page)
    env = {**os.environ, "BENCH_FLOOR_FILE": str(floor_file), "DJANGO_SECRET_KEY": secret_key}
    with Gunicorn("bench.floor:application", env) as server:
        assert fetch(server.base + PAGES[1][1]) == page
        return measure(server, PAGES[1][1], args, wrk)


def cpu_ms(which, path, env, requests):
    command = [sys.executable, str(ROOT / "bench" / "cpu.py"), which, path, str(requests)]
    return float(last_json(command, env))  # cpu.py prints one number


# Render CPU targets (issue #23): the 2018 edition page and the 30-item bench page, uncached.
RENDER_TARGETS = {
    "edition page (ja, 17: FY2018)": ("/ja/seminars/17/", 8.0),
    f"edition page (ja, {EDITION}: 30 agenda items)": (f"/ja/seminars/{EDITION}/", 10.0),
    "series page (ja, 101 editions)": ("/ja/", None),
}


def run_cpu(env, secret_key):
    """In-process CPU ms per request of every page, uncached and cached, and of the floor."""
    floor_env = {**os.environ, "DJANGO_SECRET_KEY": secret_key}
    floor_env["BENCH_FLOOR_FILE"] = str(WORK / "floor.html")
    result = {"floor": cpu_ms("floor", PAGES[1][1], floor_env, 2000)}
    uncached = {**env, "PAGECACHE_DISABLED": "1"}
    for name, path in PAGES:
        result[(name, "uncached")] = cpu_ms("site", path, uncached, 50)
        result[(name, "cached")] = cpu_ms("site", path, env, 2000)
    result["render"] = {
        name: {
            "path": path,
            "cpu_ms": cpu_ms("site", path, uncached, 50),
            # Every piece rendered again: the page's cost in a process that has not shown it yet.
            "cold_cpu_ms": cpu_ms("site-cold", path, uncached, 50),
            "target_ms": target,
        }
        for name, (path, target) in RENDER_TARGETS.items()
    }
    return result


def run_save(env, saves=5):
    """bench/save.py in its own database and page cache: a save's CPU at 17 and 101 editions."""
    env = {**env, "DATABASE_URL": f"sqlite:///{WORK / 'save.sqlite3'}", "PDF_RENDER_SPAWN": "0"}
    env["DJANGO_PAGE_CACHE_DIR"] = str(WORK / "save-pages")
    shutil.rmtree(WORK / "save-pages", ignore_errors=True)
    (WORK / "save.sqlite3").unlink(missing_ok=True)
    command = [sys.executable, str(ROOT / "bench" / "save.py"), "--saves", str(saves)]
    return last_json(command, env)


def run_organizations(env):
    """bench/organizations.py: the organization pages' render CPU (and the series page's)."""
    command = [sys.executable, str(ROOT / "bench" / "organizations.py"), "50"]
    return last_json(command, env)


TARGET_EXPORT_SITE_MIB = 100  # issue #23: `export_site` within the memory the README states

RSS_PAGES = ("/ja/", "/ja/seminars/17/", "/zh-hans/seminars/17/", "/zh-hans/")


def run_rss(secret_key):
    """Worker RSS serving cached pages (the seed, every page stored), on SQLite and on the
    PostgreSQL database named by BENCH_POSTGRES_URL (flushed: give it one of its own)."""
    databases = {"sqlite": f"sqlite:///{WORK / 'rss.sqlite3'}"}
    if os.environ.get("BENCH_POSTGRES_URL"):
        databases["postgresql"] = os.environ["BENCH_POSTGRES_URL"]
    result = {}
    for name, database_url in databases.items():
        env = production_env(
            database_url, secret_key, DJANGO_PAGE_CACHE_DIR=str(WORK / f"rss-pages-{name}")
        )
        shutil.rmtree(WORK / f"rss-pages-{name}", ignore_errors=True)
        setup = {**env, "DJANGO_DEBUG": "1"}
        for command in (
            ["migrate"],
            ["flush", "--noinput"],
            ["loaddata", "seminars", "participants"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=setup, check=True
            )
        with Gunicorn("config.wsgi:application", env) as server:
            for _round in range(3):
                for path in RSS_PAGES:
                    server.warm(path)  # 10 requests each: the first stores, the rest are hits
            rss, hwm = server.worker_rss_mib()
        result[name] = {"rss_mib": round(rss, 1), "hwm_mib": round(hwm, 1)}
    return result


def rss_markdown(rss):
    lines = ["", "Worker RSS serving cached pages (seed, gunicorn 2 workers, largest worker):", ""]
    lines += ["| database | RSS MiB | peak MiB | target MiB |", "|---|---:|---:|---:|"]
    for name, r in rss.items():
        lines.append(f"| {name} | {r['rss_mib']:.1f} | {r['hwm_mib']:.1f} | 60 |")
    if "postgresql" not in rss:
        lines.append("| postgresql | – (set BENCH_POSTGRES_URL) | – | 60 |")
    return "\n".join(lines) + "\n"


def run_xlsx_shim(database_url, secret_key):
    """bench/xlsx_shim.py: a worker's RSS with and without the on-demand XLSX format, each in
    fresh interpreters, on the benchmark's database (its own page cache folder)."""
    pages = WORK / "xlsx-pages"
    shutil.rmtree(pages, ignore_errors=True)
    env = production_env(database_url, secret_key, DJANGO_PAGE_CACHE_DIR=str(pages))
    command = [sys.executable, str(ROOT / "bench" / "xlsx_shim.py")]
    return last_json(command, env)


def run_export(skip):
    if skip or not (ROOT / "bench" / "bench_export.py").exists():
        return None
    from bench import bench_export

    return bench_export.main(["--format", "both"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-static-copy", action="store_true")  # ~13 min: 404 PDFs
    args = parser.parse_args(argv)
    # No step's saves start a PDF renderer (seminars.takeaway.render.spawn_allowed): one would
    # hold the output pipe of the command that started it, and a core, until it had rendered
    # every PDF of the dataset. bench/pdf_load.py, which measures the renderer, allows it again.
    os.environ["PDF_RENDER_SPAWN"] = "0"
    # Workers read compiled bytecode, as a deployed site's do. With PYTHONDONTWRITEBYTECODE set
    # (some shells and containers set it) and no __pycache__ yet, every worker compiled Django
    # and the app from source at start-up: 2-3 MiB more RSS per worker (59.8 against 58.1 MiB on
    # PostgreSQL, 2026-12-07) and seconds of CPU per process started.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(WORK / "pages", ignore_errors=True)  # no pages (or origins) of an earlier run
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORK / 'bench.sqlite3'}"
    if database_url.startswith("sqlite:"):
        (WORK / "bench.sqlite3").unlink(missing_ok=True)
    secret_key = secrets.token_urlsafe(50)
    wrk = load.ensure_wrk()
    print(f"Building the dataset in {database_url} …", flush=True)
    prepared = prepare(database_url, secret_key)
    print("Search (bench/search.py) …", flush=True)
    search = run_search(database_url, secret_key)
    env = production_env(database_url, secret_key)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print("Uncached (PAGECACHE_DISABLED=1) …", flush=True)
    uncached, _page = run_site(
        {**env, "PAGECACHE_DISABLED": "1"}, args, wrk, prepared["session_key"], True
    )
    print("Cached …", flush=True)
    cached, page = run_site(env, args, wrk, prepared["session_key"], False)
    print("Static copy under nginx …", flush=True)
    static = static_copy.run(env, args, wrk, PAGES, free_port(), WORK, args.skip_static_copy)
    print("Floor …", flush=True)
    floor = run_floor(page, secret_key, args, wrk)
    print("CPU per request, in-process …", flush=True)
    cpu = run_cpu(env, secret_key)
    print("Worker RSS serving cached pages, on each database …", flush=True)
    rss = run_rss(secret_key)
    print("XLSX shim: a worker's RSS with and without it (bench/xlsx_shim.py) …", flush=True)
    xlsx = run_xlsx_shim(database_url, secret_key)
    print("One admin save at 17 and 101 editions …", flush=True)
    save = run_save(env)
    print("Organization pages, CPU per request (bench/organizations.py) …", flush=True)
    organizations = run_organizations(env)
    print("A burst of PDF requests while a reader times a page (bench/pdf_load.py) …", flush=True)
    from bench import pdf_load

    pdf_burst = pdf_load.measure(seconds=args.seconds, threads=20)
    export = run_export(args.skip_export)
    results = report.assemble(
        prepared, uncached, cached, floor, export, database_url, wrk, args, PAGES, REPORT
    )
    report.add_cpu(results, cpu)
    report.add_save(results, save)
    results["worker_rss_cached"] = rss
    for name, r in rss.items():
        results["targets_met"][f"worker RSS <= 60 MiB serving cached pages ({name})"] = (
            r["rss_mib"] <= 60
        )
    results["static_copy"] = static
    if "export_peak_rss_mib" in static:
        results["targets_met"]["export_site peak RSS <= 100 MiB (crawling process)"] = (
            static["export_peak_rss_mib"] <= TARGET_EXPORT_SITE_MIB
        )
    results["xlsx_shim"] = xlsx
    results["pdf_burst"] = pdf_burst
    results["organization_pages_cpu_ms"] = organizations
    results["search"] = search
    stamp = datetime.date.today().isoformat()
    if not database_url.startswith("sqlite:"):
        stamp += "-" + database_url.split(":", 1)[0]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"{stamp}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = (
        report.markdown(results)
        + report.render_markdown(cpu["render"])
        + rss_markdown(rss)
        + report.save_markdown(save)
        + report.pdf_burst_markdown(pdf_burst)
        + static_copy.markdown(static, cached)
        + xlsx_shim.markdown(xlsx)
        + "\n## Organization pages: CPU ms per uncached request\n\n"
        + "".join(f"- {name}: {ms} ms\n" for name, ms in organizations.items())
        + bench_search.markdown(search)
    )
    (out / f"{stamp}.md").write_text(table)
    print(table)
    print(f"Written: bench/results/{stamp}.json and .md")


if __name__ == "__main__":
    main()
