"""What the on-demand XLSX format (participants/tablib_formats.py) saves in a web worker's RSS.

Each measurement is a fresh interpreter that loads `config.wsgi` as a gunicorn worker does, then
calls its WSGI application for a public page (the series page, twice: the second answer is a
page-cache hit) and reads its RSS; then for the admin's login page (the admins, and with them
django-import-export and its formats, are loaded with the first admin URL) and reads it again.
"with shim" is the site as it is; "without shim" replaces `register_on_demand_xlsx` by a no-op
before the apps load, so tablib keeps its own XLSX format (openpyxl, and Pillow with it, imported
whenever a format is looked up). The variants alternate, after one warm-up run (discarded) that
fills the page cache; the median of the runs is reported.

    .venv/bin/python bench/xlsx_shim.py [--runs 5]

Run by bench/run.py on the benchmark's database (its environment: DATABASE_URL, the secret key,
DJANGO_DEBUG=0, collected static files). Prints one JSON object on its last line.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = "/ja/"
ADMIN = "/admin/login/"
HEAVY = ("openpyxl", "PIL.Image")  # what the shim keeps out until an XLSX file is made
sys.path.insert(0, str(ROOT))


def rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def serve(application, path):
    """One GET through the WSGI application, as gunicorn calls it; the status code."""
    from bench.cpu import environ

    status = []
    body = application(environ(path), lambda code, headers, exc_info=None: status.append(code))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0])


def child(variant):
    """In the fresh interpreter: load the worker, serve, print the RSS figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if variant == "without":
        from participants import tablib_formats

        tablib_formats.register_on_demand_xlsx = lambda: None  # apps.py calls it at import
    from config.wsgi import application

    loaded = rss_mib()
    statuses = [serve(application, PUBLIC), serve(application, PUBLIC)]
    public = rss_mib()
    public_heavy = [name for name in HEAVY if name in sys.modules]
    statuses.append(serve(application, ADMIN))
    admin = rss_mib()
    if any(status != 200 for status in statuses):
        raise SystemExit(f"unexpected answers {statuses} for {PUBLIC} and {ADMIN}")
    print(
        json.dumps(
            {
                "loaded_mib": loaded,
                "public_mib": public,
                "admin_mib": admin,
                "heavy_after_public": public_heavy,
                "heavy_after_admin": [name for name in HEAVY if name in sys.modules],
            }
        )
    )


def run_child(variant):
    out = subprocess.run(
        [sys.executable, __file__, "--child", variant],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(runs=5):
    run_child("with")  # warm-up: the page cache holds the series page from here on
    samples = {"with": [], "without": []}
    for _run in range(runs):
        for variant in samples:
            samples[variant].append(run_child(variant))
    result = {"runs": runs, "public_page": PUBLIC, "admin_page": ADMIN}
    for variant, rows in samples.items():
        result[variant] = {
            key: round(statistics.median(row[key] for row in rows), 1)
            for key in ("loaded_mib", "public_mib", "admin_mib")
        }
        result[variant]["heavy_after_public"] = rows[-1]["heavy_after_public"]
        result[variant]["heavy_after_admin"] = rows[-1]["heavy_after_admin"]
    result["saved_mib"] = {
        key: round(result["without"][key] - result["with"][key], 1)
        for key in ("loaded_mib", "public_mib", "admin_mib")
    }
    return result


def markdown(result):
    if "skipped" in result:
        return f"\nXLSX shim: skipped ({result['skipped']}).\n"
    with_, without, saved = result["with"], result["without"], result["saved_mib"]
    lines = [
        "",
        "XLSX shim (participants/tablib_formats.py), a web worker's RSS in a fresh interpreter "
        f"(`config.wsgi`, median of {result['runs']} runs each; bench/xlsx_shim.py):",
        "",
        "| worker, after | with shim MiB | without shim MiB | saved MiB |",
        "|---|---:|---:|---:|",
        f"| `config.wsgi` loaded | {with_['loaded_mib']:.1f} | {without['loaded_mib']:.1f} | "
        f"{saved['loaded_mib']:.1f} |",
        f"| a cached public page ({result['public_page']}) | {with_['public_mib']:.1f} | "
        f"{without['public_mib']:.1f} | {saved['public_mib']:.1f} |",
        f"| then the admin login page ({result['admin_page']}) | {with_['admin_mib']:.1f} | "
        f"{without['admin_mib']:.1f} | {saved['admin_mib']:.1f} |",
        "",
        "openpyxl / Pillow loaded after the public page: with shim "
        f"{', '.join(with_['heavy_after_public']) or 'neither'}; without "
        f"{', '.join(without['heavy_after_public']) or 'neither'}. After the admin page: with "
        f"{', '.join(with_['heavy_after_admin']) or 'neither'}; without "
        f"{', '.join(without['heavy_after_admin']) or 'neither'}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("with", "without"))
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return
    print(json.dumps(measure(args.runs)))


if __name__ == "__main__":
    main()
