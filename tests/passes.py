"""The CI passes: which tests each database pass runs (`pytest --ci-pass NAME`, .ci/run).

Every test runs in at least one pass (tests/test_ci_passes.py checks the union). Tests that do not
test the database — the browser, PDF rendering, the HTML validators — run once, on SQLite; the
fault suite and the other tests that need a PostgreSQL server run once, on PostgreSQL; everything
else runs on both.
"""

PASSES = {
    "sqlite": "not postgresql and not fault",
    "postgresql": "not browser and not pdf and not validators",
}

# Markers given by location or fixture rather than written on each test (tests/conftest.py).
BROWSER_FIXTURES = {"browser", "page"}
PDF_FIXTURES = {"pdf_ready", "weasyprint_imported"}
FAULT_FOLDERS = {"operations"}
