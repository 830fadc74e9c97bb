"""What a web worker imports before its first admin URL (issue #23: a worker serving cached
public pages holds at most 60 MiB).

Each test starts a separate interpreter (about 1–2 s): this test process has imported the
admin and everything else long ago.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.contrib import admin

ROOT = Path(__file__).resolve().parents[2]

# Loaded by the admins' modules (django-import-export, its formats and PyYAML, the admin forms)
# or by a save (OpenCC for the search index): none serves a public page.
NOT_FOR_PUBLIC_PAGES = [
    "seminars.admin.editions",
    "participants.admin",
    "import_export.admin",
    "import_export.formats.base_formats",
    "yaml",
    "opencc",
]

WORKER = """
import json, sys
import config.wsgi
from django.template import engines
from django.urls import get_resolver, resolve, reverse
from django.utils.translation import override

# What rendering a public page loads: every URL module and view, every template tag library,
# the public URLs reversed and resolved.
get_resolver().url_patterns
engines["django"].engine
reverse("seminars:series")
resolve("/ja/seminars/5/")
with override("zh-hans"):
    resolve(reverse("seminars:series"))
before = sorted(set(NOT_FOR_PUBLIC_PAGES) & set(sys.modules))
reverse("admin:index")  # the first admin URL registers the admins
from django.contrib import admin
registered = sorted(model._meta.label for model in admin.site._registry)
print(json.dumps({"before": before, "registered": registered}))
"""


def run_worker():
    code = f"NOT_FOR_PUBLIC_PAGES = {NOT_FOR_PUBLIC_PAGES!r}\n{WORKER}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_worker_loads_admins_with_the_first_admin_url_and_public_pages_do_not():
    """A worker imports the admins on first use (config/admin_urls.py), and then has exactly
    the admins that a process set up by Django (manage.py, this test run) registers at start."""
    worker = run_worker()
    assert worker["before"] == []
    assert worker["registered"] == sorted(model._meta.label for model in admin.site._registry)
