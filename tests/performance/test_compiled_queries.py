"""The edition page reads its rows with SQL compiled once (seminars.record.edition_rows): what it
reads, and in which order, is exactly what `for_detail()`'s prefetches read, on the seed and on a
factory edition with speakers, on both databases."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from seminars.models import Organizer, Seminar
from seminars.record import edition_rows
from seminars.record.compiled import PLACEHOLDER, Compiled
from tests.factories import make_edition, make_full_report, make_seminar


def shown(seminar):
    """Everything the page reads of `seminar`'s rows, as (model, pk) in the order given, without
    a query (the relations' caches and the foreign keys prefetch sets)."""
    organizers = list(seminar.organizers.all())
    agenda = list(seminar.agenda_items.all())
    delegations = list(seminar.delegations.all())
    return {
        "organizers": [(o.pk, o.role, o.organization.pk, o.seminar is seminar) for o in organizers],
        "agenda": [(i.pk, i.seminar is seminar) for i in agenda],
        "speakers": [[p.pk for p in item.speakers_in_order] for item in agenda],
        "photos": [(p.pk, p.seminar is seminar) for p in seminar.photos.all()],
        "delegations": [(d.pk, d.side, d.seminar is seminar) for d in delegations],
        "people": [
            [(p.pk, p.delegation is d) for p in d.participants_in_order] for d in delegations
        ],
    }


def through_prefetch(edition):
    seminar = Seminar.objects.published().get(edition=edition)
    prefetch_related_objects([seminar], *Seminar.objects.for_detail()._prefetch_related_lookups)
    return seminar


def compiled(edition):
    seminar, _before, _after = edition_rows.edition_and_neighbours(edition)
    with CaptureQueriesContext(connection) as reads:
        edition_rows.read_shown_rows(seminar)
    assert len(reads) == 6  # one query a prefetch of for_detail()
    return seminar


def assert_same_rows(edition):
    expected, got = through_prefetch(edition), compiled(edition)
    with CaptureQueriesContext(connection) as reads:
        rows = shown(got)
    assert len(reads) == 0
    assert rows == shown(expected)
    return rows


def test_the_seed_edition_reads_what_prefetch_reads(seed_for_module):
    rows = assert_same_rows(17)
    # The 2018 edition: its organizers by role (host first), both delegations and their people.
    roles = [role for _pk, role, _org, _same in rows["organizers"]]
    assert roles[0] == Organizer.Role.HOST and roles == sorted(
        roles, key=list(Organizer.Role).index
    )
    assert [side for _pk, side, _same in rows["delegations"]] == ["japan", "china"]
    assert all(rows["people"])


def test_a_factory_edition_with_speakers_reads_what_prefetch_reads(db):
    seminar = make_edition(5)
    make_full_report(make_seminar(6), items=4)  # another edition's rows stay out
    item = seminar.agenda_items.order_by("pk").first()
    item.speakers.add(*seminar.delegations.get(side="china").participants.all())
    rows = assert_same_rows(5)
    assert any(len(speakers) > 1 for speakers in rows["speakers"])
    assert len(rows["agenda"]) == seminar.agenda_items.count() and rows["photos"]


def test_every_compiled_query_is_what_django_compiles_for_the_value(db):
    seminar = make_edition(7)
    queries = [query for query, _to_attr, _group in edition_rows._queries().values()]
    for language in ("ja", "zh-hans"):
        with translation.override(language):
            assert all(query.matches(seminar.pk) for query in queries)
            assert edition_rows.AROUND.matches(7) and edition_rows.AROUND.matches(1)
            assert edition_rows.PUBLISHED.matches(7)


def test_the_programme_pages_edition_reads_what_prefetch_reads(db):
    """The take-away pages (programme, calendar) read their edition the same way, without its
    neighbours; a draft or an unknown number is no edition."""
    make_edition(5)
    make_seminar(6, status=Seminar.Status.DRAFT)
    with CaptureQueriesContext(connection) as reads:
        seminar = edition_rows.published_edition(5)
        rows = shown(seminar)
        city = seminar.city.name_ja  # selected with the edition
    assert len(reads) == 7  # the edition with its city, then one query a prefetch
    assert rows == shown(through_prefetch(5))
    assert city == through_prefetch(5).city.name_ja
    assert edition_rows.published_edition(6) is None
    assert edition_rows.published_edition(99) is None


def test_the_neighbours_skip_editions_that_are_not_published(db):
    for number in (3, 5, 8, 9):
        make_seminar(number)
    Seminar.objects.filter(edition=8).update(status=Seminar.Status.DRAFT)
    numbers = [s and s.edition for s in edition_rows.edition_and_neighbours(5)]
    assert numbers == [5, 3, 9]
    assert [s and s.edition for s in edition_rows.edition_and_neighbours(9)] == [9, 5, None]
    assert edition_rows.edition_and_neighbours(8)[0] is None  # a draft: no page


@pytest.mark.parametrize("edition", [0, 32_768, 10**30])
def test_a_number_outside_the_compiled_range_is_read_as_any_queryset(db, edition):
    make_seminar(5)
    assert edition_rows.edition_and_neighbours(edition)[0] is None


def test_the_queryset_returned_is_the_real_one(db):
    seminar = make_edition(5)
    other = make_edition(6)
    query = Compiled(lambda pk: Organizer.objects.filter(seminar_id=pk).order_by("order", "pk"))
    assert [o.pk for o in query(other.pk)] == list(
        other.organizers.order_by("order", "pk").values_list("pk", flat=True)
    )
    rows = query(seminar.pk)
    # Filtering it again builds its own SQL (of the edition asked for, not the placeholder's).
    again = rows.filter(role=Organizer.Role.HOST)
    assert [o.pk for o in again] == list(
        seminar.organizers.filter(role=Organizer.Role.HOST).values_list("pk", flat=True)
    )
    assert str(PLACEHOLDER) not in str(again.query)


def test_rows_read_what_the_queryset_reads_and_leave_the_compiled_one_as_it_was(db):
    """`rows()` runs a copy of the placeholder's queryset: the rows are the real ones, again and
    again, and nothing of one call stays for the next."""
    first, second = make_edition(5), make_edition(6)
    query = Compiled(lambda pk: Organizer.objects.filter(seminar_id=pk).order_by("order", "pk"))
    for seminar in (first, second, first):
        expected = list(seminar.organizers.order_by("order", "pk").values_list("pk", flat=True))
        assert [o.pk for o in query.rows(seminar.pk)] == expected
    assert query.matches(first.pk) and query.matches(second.pk)
    assert query.rows(0) == [] and query.rows(40_000) == []  # not served: read as any queryset


@pytest.mark.django_db(transaction=True)
def test_a_compiled_query_runs_on_the_connection_of_the_thread_that_asks(settings):
    """gthread workers answer in threads: the SQL compiled in one runs on another's connection.
    (Transactional, ~0.3 s: the other thread must see the committed rows.)"""
    seminar = make_edition(5)
    query = Compiled(lambda pk: Organizer.objects.filter(seminar_id=pk).order_by("order", "pk"))
    expected = [o.pk for o in query(seminar.pk)]
    found = {}

    def read():
        try:
            found["rows"] = [o.pk for o in query(seminar.pk)]
            found["connection"] = connections["default"]
        finally:
            connections.close_all()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert found["rows"] == expected
    assert found["connection"] is not connections["default"]
