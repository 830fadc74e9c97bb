"""The public site in a real browser (chromium_path, browser, page: tests/conftest.py)."""

import pytest
from django.core.management import call_command


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL, with the seed data loaded."""
    call_command("loaddata", "seminars", "participants", verbosity=0)
    return live_server.url
