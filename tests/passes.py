"""The CI passes: which tests each database pass runs (`pytest --ci-pass NAME`, .ci/run).

Every test runs in at least one pass (tests/test_ci_passes.py checks the union). Tests that do not
test the database run once: the browser (but the public pages', `public_browser`, on PostgreSQL,
to even the passes out), PDF rendering and the HTML validators on SQLite; tests
that use no database at all (`database_free`: no `db`, `transactional_db`, live server or
module-wide record, so pytest-django refuses them any query) on PostgreSQL, the lighter pass. The
fault suite and the other tests that need a PostgreSQL server run once, on PostgreSQL; everything
else runs on both.
"""

PASSES = {
    "sqlite": "not postgresql and not fault and not database_free and not public_browser",
    "postgresql": "(not browser or public_browser) and not pdf and not validators",
}

# Markers given by location or fixture rather than written on each test (tests/conftest.py).
BROWSER_FIXTURES = {"browser", "page"}
PDF_FIXTURES = {"pdf_ready", "weasyprint_imported"}
FAULT_FOLDERS = {"operations"}
# The public pages in the browser (tests/browser/) run in the PostgreSQL pass, the other browser
# tests in the SQLite pass: the SQLite pass, which also carries the PDF and validator tests, was
# the longer by about 220 s (955 against 733 s on 2026-12-07); tests/browser/ takes about 110 s.
PUBLIC_BROWSER_FOLDERS = {"browser"}
# Modules whose tests cost seconds each, marked `slow`: `make test-fast` (the inner loop, under
# 3 minutes) leaves them out; both CI passes run them. Measured on 2026-12-07 (SQLite, in the
# fast selection): every admin page by every role 37 s, the page-cache targets 15 s
# (transactional, 40 pages cached per test), an edition's whole life 10 s, the permission
# matrix over every admin URL 5 s.
SLOW_MODULES = {
    "test_every_admin_page.py",
    "test_pagecache_targets.py",
    "test_edition_life.py",
    "test_permission_matrix.py",
}
# A test none of whose fixtures is one of these, and without a `django_db` mark, uses no database
# (pytest-django blocks its queries): it is `database_free`, unless marked `every_pass`.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "seed_for_module",
    "record_for_module",
}
