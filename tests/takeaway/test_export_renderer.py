"""The static copy has the PDFs not stored yet rendered by `manage.py render_pdfs` in a process of
its own (seminars.takeaway.render.render_missing_in_child): the crawling process never imports
WeasyPrint. A test database lives in the test process (or in its transaction), where no other
process reads it, so here the whole export runs in processes of its own on a SQLite file, as
`make bench` runs it (bench/static_copy.py --export)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The site's own runner is not started by the save: the export's renderer is what is tested.
MAKE_EDITION = (
    "import django; django.setup(); from django.conf import settings; "
    "settings.PDF_RENDER_SPAWN = False; "
    "from tests.factories import make_edition; make_edition(5)"
)

pytestmark = pytest.mark.pdf


def run(command, env):
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def test_export_renders_missing_pdfs_in_a_child_and_copies_them(pdf_ready, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTEST_CURRENT_TEST", "DATABASE_URL", "PDF_STORE_DIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        PDF_STORE_DIR=str(tmp_path / "pdf"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_PAGE_CACHE_DIR=str(tmp_path / "pages"),
        DJANGO_BUILD_ID="renderertest",
    )
    run(["manage.py", "migrate", "--noinput", "-v0"], env)
    run(["-c", MAKE_EDITION], env)
    assert not list(tmp_path.glob("pdf/*/*.pdf"))

    copy = tmp_path / "copy"
    out = run(["bench/static_copy.py", "--export", str(copy), "--base-url", "http://x.test"], env)

    report = json.loads(out.strip().splitlines()[-1])
    assert report["engine_imported"] is False
    assert report["renderer"]["pdfs"] == "child" and report["renderer"]["status"] == 0
    stored = sorted(tmp_path.glob("pdf/*/*.pdf"))
    assert len(stored) == 4  # programme and report, in both languages, stored by the child
    for lang in ("ja", "zh-hans"):
        for kind in ("programme", "report"):
            (source,) = [p for p in stored if p.name.startswith(f"{kind}-{lang}-v")]
            body = (copy / lang / "seminars" / "5" / f"{kind}.pdf").read_bytes()
            assert body.startswith(b"%PDF-") and body == source.read_bytes()
