"""The fault suite: real outages of PostgreSQL and Redis, on servers started by the tests.

These tests need PostgreSQL (DATABASE_URL), and some need Redis (REDIS_URL) and the server binaries
(redis-server; initdb and pg_ctl under /usr/lib/postgresql/*/bin). On a SQLite-only run they are
skipped with the reason; .ci/run's second pass sets both URLs and runs them. With CI=true a
missing binary fails the run instead of skipping.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection


def missing(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: the fault suite must run in CI.")
    pytest.skip(reason)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL); .ci/run's PostgreSQL pass runs it")


@pytest.fixture(scope="session")
def redis_server_binary():
    path = shutil.which("redis-server")
    if not path:
        missing("redis-server is not installed (Debian package redis-server)")
    return path


@pytest.fixture(scope="session")
def postgresql_bin():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        missing("initdb is not installed (Debian package postgresql)")
    return found[-1].parent
