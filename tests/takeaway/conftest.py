"""Take-away formats: tools from Debian that the PDF tests need (make pdf-deps)."""

import os
import shutil

import pytest


def require_tool(name):
    """A poppler tool on PATH; without it the test skips with the reason, or fails in CI."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not on PATH (Debian package poppler-utils; `make pdf-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: PDF tests must run in CI.")
    pytest.skip(reason)


@pytest.fixture
def pdf_ready():
    from seminars.takeaway.pdf import unavailable_reason

    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PDFs must be available in CI: {reason}")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def pdf_store(settings, tmp_path):
    """Stored PDFs in the test's own folder; no renderer process is started by a test."""
    from seminars.takeaway import render

    settings.PDF_STORE_DIR = str(tmp_path / "pdf")
    settings.PDF_RENDER_SPAWN = False
    render._asked.clear()  # a web worker's memory of what it asked for: this test's store
    return tmp_path / "pdf"


@pytest.fixture
def rendered(pdf_ready):
    """`rendered(seminar, kinds, languages)`: its PDFs stored as the renderer process stores them
    (in this one: about 1–2 s per PDF)."""
    from seminars.models import Seminar
    from seminars.takeaway.render import render_edition

    def render(seminar, kinds=None, languages=None):
        found = Seminar.objects.published().for_detail().get(pk=seminar.pk)
        return render_edition(found, kinds=kinds, languages=languages)

    return render
