"""The changelist computes the translation status of a whole page in a fixed number of queries."""

import pytest
from django.urls import reverse

from tests.factories import (
    make_agenda_item,
    make_city,
    make_delegation,
    make_organizer,
    make_participant,
    make_photo,
    make_seminar,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"
# Session, user, permissions, counts, the page of seminars, then one query per prefetched
# relation (organizers with organizations, agenda items, photos, delegations, participants).
EXPECTED_QUERIES = 12


def make_editions(count):
    city = make_city()
    for edition in range(1, count + 1):
        seminar = make_seminar(edition, city=city)
        make_organizer(seminar)
        make_agenda_item(seminar, venue_ja="会場")
        make_photo(seminar)
        make_participant(make_delegation(seminar), position_ja="理事長")


@pytest.mark.parametrize("count", [2, 12])
def test_changelist_queries_fixed_at_two_sizes(admin_client_ja, django_assert_num_queries, count):
    make_editions(count)
    with django_assert_num_queries(EXPECTED_QUERIES):
        response = admin_client_ja.get(reverse(CHANGELIST))
    assert response.content.decode().count("簡体字中国語：未翻訳 2 件") == count


@pytest.mark.parametrize("count", [2, 12])
def test_changelist_queries_fixed_with_filter(admin_client_ja, django_assert_num_queries, count):
    make_editions(count)
    with django_assert_num_queries(EXPECTED_QUERIES):
        response = admin_client_ja.get(reverse(CHANGELIST), {"translation": "missing-zh-hans"})
    assert response.context["cl"].result_count == count
