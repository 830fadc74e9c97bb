"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Without Chromium on PATH the browser tests skip with the reason; in CI (CI=true) they fail.
"""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# thread (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if path:
        return path
    reason = "Chromium is not on PATH (Debian package `chromium`; `make browser-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: browser tests must run in CI.")
    pytest.skip(reason)


# Module scope, not session: Playwright's sync API keeps an event loop running while it is open,
# and other test directories start their own Playwright afterwards.
@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL, with the seed data loaded."""
    call_command("loaddata", "seminars", "participants", verbosity=0)
    return live_server.url
