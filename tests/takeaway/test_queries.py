"""Query budget of the take-away pages: the same at one factory edition and at 101 editions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.dataset import add_editions
from seminars.models import SiteSettings

BUDGET = 8
LANGS = ["ja", "zh-hans"]
EDITION_URLS = ["programme/", "calendar.ics"]
SITE_URLS = ["/{lang}/feed.atom", "/{lang}/data/", "/data/editions.csv", "/data/editions.json"]


@pytest.fixture(autouse=True)
def _every_request_renders(settings, db):
    """The renders are measured: no page comes from the page cache (with Redis, the pages of
    the first request would still be there for the second), and the site settings come from
    the cache as on a running site."""
    settings.PAGE_CACHE_ENABLED = False
    SiteSettings.objects.current()


def count_queries(client, path, status=200):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == status, path
    return len(captured)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("suffix", EDITION_URLS)
def test_edition_takeaway_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang, suffix
):
    small = count_queries(client, f"/{lang}/seminars/{edition.edition}/{suffix}")
    assert small <= BUDGET
    editions = add_editions()
    middle = editions[len(editions) // 2].edition  # 30 agenda items with speakers
    with django_assert_num_queries(small):
        response = client.get(f"/{lang}/seminars/{middle}/{suffix}")
    assert response.status_code == 200


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", SITE_URLS)
def test_site_takeaway_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang, url
):
    path = url.format(lang=lang)
    small = count_queries(client, path)
    assert small <= 2
    newest = add_editions()[-1]  # 101 editions: all the fiscal years the schema allows
    with django_assert_num_queries(small):
        response = client.get(path)
    assert str(newest.edition).encode() in response.content or path.endswith("/data/")


@pytest.mark.parametrize("suffix", ["programme.pdf", "report.pdf"])
def test_pdf_not_stored_yet_query_budget_same_at_two_sizes(
    client, edition, pdf_ready, django_assert_num_queries, suffix
):
    """A PDF not rendered yet answers 503 at once, in the same few queries at any size."""
    small = count_queries(client, f"/ja/seminars/{edition.edition}/{suffix}", status=503)
    assert small <= BUDGET
    editions = add_editions()
    middle = editions[len(editions) // 2].edition
    with django_assert_num_queries(small):
        response = client.get(f"/zh-hans/seminars/{middle}/{suffix}")
    assert response.status_code == 503 and response["Retry-After"] == "10"


@pytest.mark.pdf
def test_pdf_stored_is_served_in_one_query(client, edition, rendered):
    rendered(edition, kinds=["report"], languages=["ja"])

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/ja/seminars/{edition.edition}/report.pdf")
    response.close()

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(captured) == 1
