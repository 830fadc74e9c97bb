"""The static copy (`manage.py export_site`) served by nginx, beside the Django pages.

Exports the bench dataset with the production settings, serves the directory with Debian's
nginx (installed when missing and root: package nginx-light), loads the same pages as the
Django runs and reports requests per second and the ratio to the cached Django page.

The export's memory: `python bench/static_copy.py --export DIR --base-url URL` runs
`manage.py export_site` in its own fresh interpreter (as manage.py does), then prints that
process's peak RSS (VmHWM: its own pages, never its children's) and the PDF renderer's (the
`manage.py render_pdfs` child the export starts for the PDFs not stored yet: its peak RSS from
wait4), as JSON on the last line.
"""

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

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


def peak_rss_mib():
    """This process's own peak RSS (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


class RendererRecord(logging.Handler):
    """Keeps what seminars.takeaway.export logs about the PDF renderer it started."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.found = None

    def emit(self, record):
        self.found = getattr(record, "pdf_renderer", self.found)


def export_here(argv):
    """`manage.py export_site ARGV` in this process; then one JSON line: the peak RSS of this
    process (the crawl) and the renderer child's report (None when no child was started)."""
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    record = RendererRecord()
    logger = logging.getLogger("seminars.takeaway.export")
    logger.addHandler(record)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the record only: the export's output is the command's
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "export_site", *argv])
    result = {
        "parent_peak_rss_mib": round(peak_rss_mib(), 1),
        "renderer": record.found,
        # The PDF engine stays in the renderer's process (tests/takeaway/test_export_renderer.py).
        "engine_imported": "weasyprint" in sys.modules,
    }
    print(json.dumps(result))


def export(env, work, port):
    copy = work / "static-copy"
    started = time.monotonic()
    command = [sys.executable, str(Path(__file__).resolve()), "--export", str(copy)]
    out = subprocess.run(
        [*command, "--base-url", f"http://127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    memory = json.loads(out.strip().splitlines()[-1])
    files = sum(1 for p in copy.rglob("*") if p.is_file())
    return copy, time.monotonic() - started, files, memory


def run(env, args, wrk, pages, port, work, skip=False):
    """{page name: load result} for the pages under nginx, plus the export's time and size."""
    if skip:
        return {"skipped": "--skip-static-copy"}
    from bench import load  # here: the export's own process imports only Django's command

    nginx = ensure_nginx()
    if nginx is None:
        return {"skipped": "nginx is not installed (Debian package nginx-light; run as root)"}
    copy, seconds, files, memory = export(env, work, port)
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
    renderer = memory["renderer"] or {}
    return {
        "export_seconds": round(seconds, 1),
        "files": files,
        "export_peak_rss_mib": memory["parent_peak_rss_mib"],
        "renderer_peak_rss_mib": renderer.get("renderer_peak_rss_mib"),
        "renderer": renderer,
        "rows": rows,
    }


def markdown(static, cached):
    if "skipped" in static:
        return f"\nStatic copy under nginx: skipped ({static['skipped']}).\n"
    renderer = static.get("renderer_peak_rss_mib")
    renderer = (
        f"{renderer:.1f} MiB"
        if renderer is not None
        else "none started (every PDF was stored, or PDFs are unavailable)"
    )
    lines = [
        "",
        f"Static copy (`manage.py export_site`: {static['files']} files in "
        f"{static['export_seconds']} s): peak RSS of the crawling process "
        f"**{static['export_peak_rss_mib']:.1f} MiB** (target 100); the PDF renderer it starts "
        f"(`manage.py render_pdfs`, a process of its own), peak RSS {renderer}.",
        "",
        "Served by nginx (2 workers):",
        "",
        "| page | req/s (nginx) | req/s (Django, cached) | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, result in static["rows"].items():
        django_rps = cached.get(name, {}).get("rps")
        ratio = f"{result['rps'] / django_rps:.1f}×" if django_rps else "–"
        lines.append(f"| {name} | {result['rps']:.0f} | {django_rps or 0:.0f} | {ratio} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--export"]:
        export_here(sys.argv[2:])
