"""Each public page runs a fixed number of queries, whatever the amount of data."""

import datetime

import pytest

from seminars.models import Seminar
from tests.factories import make_editions, make_full_report

SERIES_QUERIES = 2  # every published edition with its city (table, latest, map); site settings
# seminar+city, organizers, agenda, speakers, photos, delegations, people, neighbours, site settings
DETAIL_QUERIES = 9


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/", "/ja/?page=2"])
@pytest.mark.parametrize("extra_editions", [40, 80])
def test_series_query_count_is_fixed(seed, client, django_assert_num_queries, url, extra_editions):
    make_editions(extra_editions)

    with django_assert_num_queries(SERIES_QUERIES):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/ja/seminars/17/", "/zh-hans/seminars/17/"])
def test_detail_query_count_with_the_seed_report(seed, client, django_assert_num_queries, url):
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)

    assert "147" in response.content.decode()


@pytest.mark.parametrize("url", ["/ja/seminars/18/", "/zh-hans/seminars/18/"])
@pytest.mark.parametrize(("items", "organizers"), [(2, 2), (60, 30)])
def test_detail_query_count_is_fixed_for_a_large_report(
    seed, client, django_assert_num_queries, url, items, organizers
):
    make_editions(80)
    seminar = Seminar.objects.get(edition=18)
    Seminar.objects.filter(pk=seminar.pk).update(start_date=datetime.date(2019, 7, 1))
    seminar.refresh_from_db()
    make_full_report(seminar, items=items, organizers=organizers, photos=items // 2)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)

    assert response.content.decode().count('<li class="agenda-item') == items


@pytest.mark.parametrize("extra_editions", [0, 80])
def test_sitemap_query_count_is_fixed(seed, client, django_assert_num_queries, extra_editions):
    make_editions(extra_editions)

    with django_assert_num_queries(1):  # the published editions, reused for both languages
        response = client.get("/sitemap.xml")

    assert response.content.decode().count("<url>") == 2 * (1 + 17 + extra_editions)
