"""Shared fixtures: a factory edition, the seed for its own tests, staff, caches, the browser."""

import pytest
from django.core.management import call_command


@pytest.fixture
def edition(db):
    """A complete published edition (edition 5) built by tests.factories.make_edition: the data
    most tests need, without the seed."""
    from tests.factories import make_edition

    return make_edition(5)


@pytest.fixture(scope="module")
def seed_for_module(django_db_setup, django_db_blocker):
    """The seed loaded once for a whole module, inside a transaction rolled back after its last
    test. Each test still runs in its own savepoint (pytest-django's `db`), so what one test
    writes is gone for the next. For modules whose every test wants the real record (the seed's
    own tests) and none needs `transactional_db` or a live server."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("loaddata", "seminars", "participants", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="a-long-test-password-1"
    )


@pytest.fixture
def admin_client_ja(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _own_import_folder(settings, tmp_path):
    """Previewed import files wait in a folder of the test's own, never in var/imports."""
    settings.PARTICIPANTS_IMPORT_DIR = str(tmp_path / "imports")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches: "default" and the public pages (files or Redis)."""
    from django.core.cache import caches

    from seminars.pagecache import forget_origins

    for alias in ("default", "pages"):
        caches[alias].clear()
    forget_origins()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


# --- Browser tests: Playwright driving Debian's Chromium against pytest-django's live server ---

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path():
    """Chromium on PATH; without it browser tests skip with the reason, or fail when CI=true."""
    import os
    import shutil

    path = shutil.which("chromium")
    if path:
        # Playwright's sync API runs an event loop in the test thread; the ORM calls of fixtures
        # and assertions there stay synchronous and safe.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        return path
    reason = "Chromium is not on PATH (Debian package `chromium`; `make browser-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: browser tests must run in CI.")
    pytest.skip(reason)


# Module scope: one Playwright per test module, closed before the next module starts its own
# (the sync API allows one running instance per thread).
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
    """A fresh browser context (no cookies) in a Japanese-speaking browser, desktop size."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
