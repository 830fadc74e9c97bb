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
