"""The CI passes together run the whole suite: no test is left out of both (tests/passes.py).

In a run of the whole suite (CI, `make test`) the tests read the collection pytest already made:
they cost nothing. Run on their own, they collect the suite in a subprocess (a few seconds each
expression), since the session holds only this module then.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from tests.conftest import ALL_ITEMS
from tests.passes import PASSES

ROOT = Path(__file__).resolve().parent.parent
# These tests use no database, yet run in both passes: each pass checks the split it runs under.
pytestmark = pytest.mark.every_pass


@pytest.fixture(scope="module")
def select(request):
    """select(expression) → the node ids of the whole suite that the marker expression selects."""
    config = request.config
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS:
        everything = config.stash[ALL_ITEMS]

        def select(expression=None):
            compiled = Expression.compile(expression or "")
            return {
                item.nodeid
                for item in everything
                if expression is None
                or compiled.evaluate({mark.name for mark in item.iter_markers()}.__contains__)
            }

        return select

    def collect(expression=None):
        command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        if expression:
            command += ["-m", expression]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        return {line for line in done.stdout.splitlines() if "::" in line}

    return collect


def test_ci_passes_together_run_every_collected_test(select, request):
    everything = select()
    by_pass = {name: select(expression) for name, expression in PASSES.items()}
    assert everything - set().union(*by_pass.values()) == set()
    # Each pass is a real pass, and this test itself runs in both.
    assert all(len(ids) > len(everything) / 2 for ids in by_pass.values())
    assert all(request.node.nodeid in ids for ids in by_pass.values())


def test_ci_passes_run_browser_and_pdf_tests_once_and_faults_on_postgresql(select):
    sqlite, postgresql = select(PASSES["sqlite"]), select(PASSES["postgresql"])
    once_on_sqlite = select("(browser and not public_browser) or pdf or validators")
    once_on_postgresql = select("fault or postgresql or database_free or public_browser")
    assert select("public_browser") and select("public_browser") <= select("browser")
    assert once_on_sqlite and once_on_sqlite <= sqlite and not once_on_sqlite & postgresql
    assert once_on_postgresql and once_on_postgresql <= postgresql
    assert not once_on_postgresql & sqlite


def test_database_free_tests_run_once_and_the_database_tests_on_both(select):
    sqlite, postgresql = select(PASSES["sqlite"]), select(PASSES["postgresql"])
    database_free = select("database_free")
    assert database_free and database_free <= postgresql and not database_free & sqlite
    on_both = select(
        "not browser and not pdf and not validators and not fault and not postgresql"
        " and not database_free"
    )
    assert on_both and on_both <= sqlite & postgresql
