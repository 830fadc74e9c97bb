"""Shared fixtures: a factory edition, the seed for its own tests, staff, caches, the browser."""

import os

import pytest
from django.core.management import call_command

from tests.passes import (
    BROWSER_FIXTURES,
    DATABASE_FIXTURES,
    FAULT_FOLDERS,
    PASSES,
    PDF_FIXTURES,
    PUBLIC_BROWSER_FOLDERS,
    SLOW_MODULES,
)

# Tests hash passwords with MD5 (Django's own advice for test speed): a standard PBKDF2 hash costs
# about 230 ms of CPU and a pass makes hundreds. Tests whose subject is hashing or logging in with
# the production hasher are marked `real_password_hasher`.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Every collected test, before --ci-pass deselects any (tests/test_ci_passes.py).
ALL_ITEMS = pytest.StashKey[list]()


def pytest_addoption(parser):
    parser.addoption(
        "--ci-pass",
        choices=sorted(PASSES),
        help="run one CI pass only: the tests its marker expression selects (tests/passes.py)",
    )


def pytest_configure(config):
    # PostgreSQL commits without waiting for its WAL to reach the disk, in every connection the
    # tests open (libpq reads PGOPTIONS: this process, the servers and psql it starts). Nothing
    # here tests durability across a power loss, and the transactional tests commit and truncate
    # every table after each test. The fault tests stop their own clusters cleanly or kill
    # backends, never the server: no commit is lost either way.
    os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        own_folders_for_worker(worker)
    config.addinivalue_line(
        "markers",
        "database_free: uses no database (given by tests/conftest.py from the fixtures): runs in "
        "one CI pass",
    )
    config.addinivalue_line(
        "markers", "every_pass: runs in every CI pass, even if it uses no database"
    )


def own_folders_for_worker(worker):
    """Under pytest-xdist (`make test-fast`), each worker process gets its own media folder,
    page cache folder and PDF store, under the folders the run was given: tests empty the page
    cache before and after each test and write media and PDFs, so two workers sharing one
    folder would remove each other's files mid-test. Set in the environment too, for the
    processes a test starts (manage.py, the PDF renderer). Each worker's test database is its
    own already (pytest-django names it after the worker)."""
    from pathlib import Path

    from django.conf import settings
    from django.test.signals import setting_changed

    media = Path(settings.MEDIA_ROOT) / "workers" / worker
    pdfs = (
        Path(
            getattr(settings, "PDF_STORE_DIR", None)
            or os.environ.get("PDF_STORE_DIR")
            or (Path(settings.BASE_DIR) / "var" / "pdf")
        )
        / "workers"
        / worker
    )
    settings.MEDIA_ROOT = media
    settings.PDF_STORE_DIR = str(pdfs)
    os.environ["DJANGO_MEDIA_ROOT"], os.environ["PDF_STORE_DIR"] = str(media), str(pdfs)
    pages = settings.CACHES["pages"]
    if pages["BACKEND"] == "config.cache.PageFileCache":
        pages["LOCATION"] = str(Path(pages["LOCATION"]) / "workers" / worker)
        os.environ["DJANGO_PAGE_CACHE_DIR"] = pages["LOCATION"]
        # Django's setup may have opened the cache already: as override_settings does, the
        # handler is told, and every thread's next `caches["pages"]` uses the worker's folder.
        setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
    else:  # Redis: a database number of its own per worker would be needed
        raise pytest.UsageError("pytest-xdist runs need the file page cache (no REDIS_URL).")


def pytest_collection_modifyitems(config, items):
    """Markers by fixture and folder; with --ci-pass, the tests that pass does not run are
    deselected (and remembered, so tests/test_ci_passes.py sees the whole suite)."""
    from _pytest.mark.expression import Expression

    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if BROWSER_FIXTURES & fixtures:
            item.add_marker(pytest.mark.browser)
        if PDF_FIXTURES & fixtures:
            item.add_marker(pytest.mark.pdf)
        if FAULT_FOLDERS & set(item.path.parts):
            item.add_marker(pytest.mark.fault)
        if PUBLIC_BROWSER_FOLDERS & set(item.path.parts[-2:-1]):
            item.add_marker(pytest.mark.public_browser)
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if not (
            DATABASE_FIXTURES & fixtures
            or any(
                item.get_closest_marker(m) for m in ("django_db", "every_pass", "browser", "pdf")
            )
        ):
            item.add_marker(pytest.mark.database_free)
    config.stash[ALL_ITEMS] = list(items)
    name = config.getoption("--ci-pass")
    if not name:
        return
    expression = Expression.compile(PASSES[name])
    kept, dropped = [], []
    for item in items:
        marks = {mark.name for mark in item.iter_markers()}
        (kept if expression.evaluate(marks.__contains__) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _real_password_hasher(request):
    """The production hasher (Django's default list) for tests marked `real_password_hasher`."""
    if request.node.get_closest_marker("real_password_hasher") is None:
        yield
        return
    from django.conf import global_settings
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
        yield


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

    from seminars.public.pagecache import forget_origins

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
        _close_contexts_quietly(browser)
        yield browser
        browser.close()


def _close_contexts_quietly(browser):
    """A context closing fires `pagehide` on its pages: the edition page's presence script then
    sends a beacon to the live server, which would race the database flush that follows the test
    (SQLite's shared in-memory database: "table is locked"). Closing contexts drop it instead."""
    new_context = browser.new_context

    def quiet_new_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        close = context.close

        def quiet_close(*close_args, **close_kwargs):
            context.route("**/presence/", lambda route: route.abort())
            return close(*close_args, **close_kwargs)

        context.close = quiet_close
        return context

    browser.new_context = quiet_new_context


def _flush_after_live_requests():
    """A live-server test's database is flushed once the server's request threads are done:
    on SQLite's shared in-memory database a read still running in one of them makes the flush
    fail with "table is locked" (a lock that waits for no timeout). Waits at most 3 s, then
    retries a locked flush a few times."""
    import threading
    import time

    from django.core.management.base import CommandError
    from django.db import OperationalError
    from django.test import testcases

    teardown = testcases.TransactionTestCase._fixture_teardown

    def requests_running():
        return [t for t in threading.enumerate() if "process_request_thread" in t.name]

    def fixture_teardown(self):
        deadline = time.monotonic() + 3
        while requests_running() and time.monotonic() < deadline:
            time.sleep(0.02)
        for attempt in range(5):
            try:
                return teardown(self)
            except (CommandError, OperationalError) as error:  # flush wraps the lock error
                if "locked" not in f"{error} {error.__cause__}" or attempt == 4:
                    raise
                time.sleep(0.2)

    testcases.TransactionTestCase._fixture_teardown = fixture_teardown


_flush_after_live_requests()


def _scan_app_static_files_once():
    """WhiteNoise's middleware (finders on, as with DJANGO_DEBUG=1) stats and indexes every
    static file of every app when it is created, and each test client creates its middleware
    anew: about a third of a second of CPU per client, 8 % of a pass. The index of the apps'
    static files (source files, unchanged during a run) is made once per process and copied
    into each new middleware, for the same settings; STATIC_ROOT is scanned as before."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    indexes = {}

    def add_files_from_finders(self):
        key = (
            self.static_prefix,
            self.max_age,
            self.allow_all_origins,
            self.charset,
            self.add_headers_function,
            self.index_file,
            self.__dict__.get("immutable_file_test"),
            repr(getattr(settings, "WHITENOISE_MIMETYPES", None)),
            repr(settings.STATICFILES_DIRS),
            repr(settings.STATICFILES_FINDERS),
            repr(settings.STORAGES),
            tuple(settings.INSTALLED_APPS),
        )
        if key not in indexes:
            before = dict(self.files)
            scan(self)
            indexes[key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
        self.files.update(indexes[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


_scan_app_static_files_once()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """Before any fixture is torn down (the database flushed, caches cleared): the pages a save
    left to this process's background thread are rendered, so none is written into the next
    test's cache or reads a database being flushed."""
    from seminars.public import pagewarm

    pagewarm.wait_for_background()
    yield


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) in a Japanese-speaking browser, desktop size."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
