"""Each public page runs a fixed number of queries, whatever the amount of data."""

import datetime

import pytest

from seminars.models import Seminar
from tests.factories import make_editions, make_full_report

# every published edition with its city (table, latest, map); the delegations of published
# editions (the participants chart); site settings
SERIES_QUERIES = 3
# seminar+city with its neighbours (one query), organizers, agenda, speakers, photos, delegations,
# people, site settings
DETAIL_QUERIES = 8


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/", "/ja/?page=2"])
@pytest.mark.parametrize("editions", [55, 95])  # two pages of 50 either way
def test_series_query_count_is_fixed(db, client, django_assert_num_queries, url, editions):
    make_editions(editions, first_edition=1, first_year=2001)

    with django_assert_num_queries(SERIES_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert f"/seminars/{editions}/" in response.content.decode()  # highlighted on every page


@pytest.mark.parametrize("url", ["/ja/seminars/5/", "/zh-hans/seminars/5/"])
def test_detail_query_count_with_a_complete_edition(
    edition, client, django_assert_num_queries, url
):
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)

    assert f"{edition.participant_count}人" in response.content.decode()


@pytest.mark.parametrize("url", ["/ja/seminars/18/", "/zh-hans/seminars/18/"])
@pytest.mark.parametrize(("items", "organizers"), [(2, 2), (60, 30)])
def test_detail_query_count_is_fixed_for_a_large_report(
    db, client, django_assert_num_queries, url, items, organizers
):
    make_editions(3)  # edition 18 has a next one (and the pager its query)
    seminar = Seminar.objects.get(edition=18)
    Seminar.objects.filter(pk=seminar.pk).update(start_date=datetime.date(2019, 7, 1))
    seminar.refresh_from_db()
    make_full_report(seminar, items=items, organizers=organizers, photos=items // 2)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url)

    assert response.content.decode().count('<li class="agenda-item') == items


@pytest.mark.parametrize("editions", [5, 80])
def test_sitemap_query_count_is_fixed(db, client, django_assert_num_queries, editions):
    make_editions(editions)

    # The published editions, those with a programme and the organizations of published
    # editions, each read once for both languages.
    with django_assert_num_queries(3):
        response = client.get("/sitemap.xml")

    # The series, open data and organization index pages, every edition (none has a programme
    # nor an organizer) and the three information pages, in two languages.
    assert response.content.decode().count("<url>") == 2 * (3 + editions + 3)
