"""The safety layer costs the public read path no database query (history, axes, CSP, guards)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_seminar

pytestmark = pytest.mark.django_db
SAFETY_MIDDLEWARE = {
    "config.middleware.RejectNulBytesMiddleware",
    "config.middleware.AdminResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
}


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _without_safety():
    return [m for m in settings.MIDDLEWARE if m not in SAFETY_MIDDLEWARE]


@pytest.mark.parametrize("extra_editions", [0, 10])
@pytest.mark.parametrize("path", ["/ja/", "/zh-hans/", "/ja/seminars/{}/", "/zh-hans/seminars/{}/"])
def test_safety_middleware_adds_no_query_to_public_pages(
    client, edition, settings, path, extra_editions
):
    path = path.format(edition.edition)
    for number in range(edition.edition + 1, edition.edition + 1 + extra_editions):
        make_seminar(number)
    with_safety = _queries(client, path)
    assert with_safety > 0  # rendered, not served from the page cache
    settings.MIDDLEWARE = _without_safety()
    from django.core.cache import caches

    caches["pages"].clear()  # the page cache must not answer the second request
    assert _queries(client, path) == with_safety
