"""openpyxl and Pillow load on first use, not in every web worker at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

from import_export.formats import base_formats
from tablib import Dataset

ROOT = Path(__file__).resolve().parents[2]

STARTUP = """
import json, sys
import django
django.setup()
# The admin registry (which imports django-import-export), every app's URLs and views.
from django.urls import resolve
import config.urls
resolve("/ja/seminars/5/")
resolve("/admin/participants/delegation/export/")
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"openpyxl", "PIL"})))
"""


def test_a_started_site_has_not_imported_openpyxl_or_pillow():
    result = subprocess.run(
        [sys.executable, "-c", STARTUP],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_xlsx_is_still_offered_and_round_trips():
    assert base_formats.XLSX.is_available()
    assert base_formats.XLSX().get_title() == "xlsx"
    dataset = Dataset(headers=["edition", "count"])
    dataset.append([5, 12])

    loaded = Dataset().load(dataset.export("xlsx"), format="xlsx")

    assert loaded.headers == ["edition", "count"]
    assert list(loaded[0]) == [5, 12]
