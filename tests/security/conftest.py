"""Security tests: a small complete record built once for a module (factories, no seed)."""

import pytest

# The editions `record_for_module` builds: the latest is the one the bad-input tests post to.
EARLIER_EDITION, LATEST_EDITION = 4, 5


@pytest.fixture(scope="module")
def record_for_module(django_db_setup, django_db_blocker):
    """Two complete editions (tests.factories.make_edition) built once for the whole module,
    inside a transaction rolled back after its last test; each test still runs in its own
    savepoint (pytest-django's `db`). For modules that need no `transactional_db`."""
    from django.db import transaction

    from tests.factories import make_edition

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield [make_edition(EARLIER_EDITION), make_edition(LATEST_EDITION)]
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
