"""The static copy (`manage.py export_site`) served by nginx, beside the Django pages.

Exports the bench dataset with the production settings, serves the directory with Debian's
nginx (installed when missing and root: package nginx-light), loads the same pages as the
Django runs and reports requests per second and the ratio to the cached Django page.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import load

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = """worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log error;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    error_page 404 /404.html;
    location ~ \\.ics$ {{ types {{ }} default_type "text/calendar; charset=utf-8"; }}
  }}
}}
"""


def ensure_nginx():
    path = shutil.which("nginx") or (
        Path("/usr/sbin/nginx") if Path("/usr/sbin/nginx").exists() else None
    )
    if path or os.geteuid() != 0:
        return str(path) if path else None
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx-light"], check=False)
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def export(env, work, port):
    copy = work / "static-copy"
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_site",
            str(copy),
            "--base-url",
            f"http://127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        check=True,
        capture_output=True,
    )
    files = sum(1 for p in copy.rglob("*") if p.is_file())
    return copy, time.monotonic() - started, files


def run(env, args, wrk, pages, port, work, skip=False):
    """{page name: load result} for the pages under nginx, plus the export's time and size."""
    if skip:
        return {"skipped": "--skip-static-copy"}
    nginx = ensure_nginx()
    if nginx is None:
        return {"skipped": "nginx is not installed (Debian package nginx-light; run as root)"}
    copy, seconds, files = export(env, work, port)
    (work / "tmp").mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(work=work, port=port, root=copy))
    server = subprocess.Popen([nginx, "-c", str(conf)])
    try:
        time.sleep(1)
        rows = {}
        for name, path in pages:
            url = f"http://127.0.0.1:{port}{path}"
            load.load(url, seconds=min(2, args.seconds), connections=args.connections, wrk=wrk)
            rows[name] = load.load(url, args.seconds, args.connections, wrk=wrk)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {"export_seconds": round(seconds, 1), "files": files, "rows": rows}


def markdown(static, cached):
    if "skipped" in static:
        return f"\nStatic copy under nginx: skipped ({static['skipped']}).\n"
    lines = [
        "",
        f"Static copy (`manage.py export_site`: {static['files']} files in "
        f"{static['export_seconds']} s) served by nginx (2 workers):",
        "",
        "| page | req/s (nginx) | req/s (Django, cached) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, result in static["rows"].items():
        django_rps = cached.get(name, {}).get("rps")
        ratio = f"{result['rps'] / django_rps:.1f}×" if django_rps else "–"
        lines.append(f"| {name} | {result['rps']:.0f} | {django_rps or 0:.0f} | {ratio} |")
    return "\n".join(lines) + "\n"
