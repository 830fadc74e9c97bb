"""Query budget: each public page runs the same few queries at one edition and at the largest size.

The small size is one complete edition (tests.factories.make_edition). The large size is every
edition the schema allows (fiscal_year is unique within 2000–2100: 101 editions), each generated
one with 30 agenda items, 10 organizers, 2 delegations with speakers and 3 photos
(bench/dataset.py, the benchmark's own dataset).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.dataset import add_editions
from seminars.models import Seminar, SiteSettings
from tests.pages import collapsed

BUDGET = 8  # the edition page: 8 for the record; the site settings come from the cache
LANGS = ["ja", "zh-hans"]


@pytest.fixture(autouse=True)
def _every_request_renders(settings):
    """The renders are measured: no page comes from the page cache."""
    settings.PAGE_CACHE_ENABLED = False


@pytest.fixture(autouse=True)
def _site_settings_cached(db):
    """As on a running site: the site settings are read from the cache, not the database (a
    content change drops them and its commit stores them again; these tests never commit)."""
    SiteSettings.objects.current()


def count_queries(client, path):
    SiteSettings.objects.current()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def large(edition):
    return add_editions()


def test_large_dataset_has_every_edition_the_schema_allows(large):
    assert Seminar.objects.published().count() == 101
    assert large[-1].agenda_items.count() == 30
    assert large[-1].organizers.count() == 10


@pytest.mark.parametrize("lang", LANGS)
def test_series_page_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang
):
    small = count_queries(client, f"/{lang}/")
    assert small <= BUDGET
    newest = add_editions()[-1]
    SiteSettings.objects.current()
    with django_assert_num_queries(small):
        response = client.get(f"/{lang}/")
    assert f"第{newest.edition}" in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_series_second_page_query_budget_at_large_size(
    client, large, django_assert_num_queries, lang
):
    first = count_queries(client, f"/{lang}/")
    with django_assert_num_queries(first):
        response = client.get(f"/{lang}/?page=2")
    assert response.status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_edition_page_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang
):
    small = count_queries(client, f"/{lang}/seminars/{edition.edition}/")
    assert small <= BUDGET
    editions = add_editions()
    SiteSettings.objects.current()
    with django_assert_num_queries(small):
        client.get(f"/{lang}/seminars/{edition.edition}/")
    middle = editions[len(editions) // 2].edition
    with django_assert_num_queries(small):
        response = client.get(f"/{lang}/seminars/{middle}/")
    assert collapsed(response.content.decode()).count("議題" if lang == "ja" else "议题") >= 30


ORGANIZATION_BUDGET = 1  # the organizer rows with organization, edition and city; settings cached


@pytest.mark.parametrize("lang", LANGS)
def test_organization_page_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang
):
    organization = edition.organizers.first().organization
    path = f"/{lang}/organizations/{organization.pk}/"
    small = count_queries(client, path)
    assert small <= ORGANIZATION_BUDGET
    editions = add_editions()
    for seminar in editions:  # the organization took part in every edition of the large set
        seminar.organizers.create(organization=organization, role="sponsor", order=99)
    SiteSettings.objects.current()
    with django_assert_num_queries(small):
        response = client.get(path)
    assert response.content.decode().count('href="/' + lang + "/seminars/") == 1 + len(editions)


@pytest.mark.parametrize("lang", LANGS)
def test_organization_index_query_budget_same_at_two_sizes(
    client, edition, django_assert_num_queries, lang
):
    small = count_queries(client, f"/{lang}/organizations/")
    assert small <= ORGANIZATION_BUDGET
    add_editions()
    SiteSettings.objects.current()
    with django_assert_num_queries(small):
        response = client.get(f"/{lang}/organizations/")
    # The edition's three organizations and the dataset's ten (shared by its 101 editions).
    links = re.findall(rf'href="/{lang}/organizations/[0-9]+/"', response.content.decode())
    assert len(links) == 13
