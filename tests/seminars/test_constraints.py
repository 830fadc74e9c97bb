"""Every invariant of the record is enforced by the database itself (SQLite and PostgreSQL)."""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum, UniqueConstraint
from django.test.utils import CaptureQueriesContext

from participants.models import Delegation
from seminars.models import AgendaItem, Organizer, Seminar
from tests.factories import (
    make_agenda_item,
    make_city,
    make_delegation,
    make_organization,
    make_organizer,
    make_seminar,
)

pytestmark = pytest.mark.django_db


# The agenda-date rule spans two tables: a trigger (seminars/migrations/0002) raises it by name.
AGENDA_DATE_IN_SEMINAR = "seminars_agendaitem_date_in_seminar"


def declared_constraints():
    names = {c.name for model in apps.get_models() for c in model._meta.constraints}
    return names | {AGENDA_DATE_IN_SEMINAR}


def violated_constraint(error):
    """The constraint the database names in an IntegrityError."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL names it, for a trigger's RAISE too (CONSTRAINT = ...).
        return diag.constraint_name
    message = str(error)
    if message.startswith("CHECK constraint failed: "):
        return message.removeprefix("CHECK constraint failed: ")
    # SQLite names a unique constraint by its columns: "UNIQUE constraint failed: table.a, table.b".
    columns = [c.split(".") for c in message.removeprefix("UNIQUE constraint failed: ").split(", ")]
    for model in apps.get_models():
        if {model._meta.db_table} != {table for table, _ in columns}:
            continue
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, UniqueConstraint) and {
                model._meta.get_field(f).column for f in fields
            } == {column for _, column in columns}:
                return constraint.name
    return message


def assert_rejected(name, create):
    """create() fails on the database constraint `name`, not on some other one."""
    assert name in declared_constraints()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    assert violated_constraint(excinfo.value) == name


def test_seminar_edition_unique_rejects_duplicate():
    city = make_city()
    make_seminar(1, city=city)
    assert_rejected(
        "seminars_seminar_unique_edition", lambda: make_seminar(1, city=city, fiscal_year=2030)
    )
    assert Seminar.objects.count() == 1


def test_seminar_fiscal_year_unique_rejects_duplicate():
    city = make_city()
    make_seminar(1, city=city, fiscal_year=2002)
    assert_rejected(
        "seminars_seminar_unique_fiscal_year", lambda: make_seminar(2, city=city, fiscal_year=2002)
    )


def test_seminar_edition_zero_rejected():
    assert_rejected("seminars_seminar_edition_positive", lambda: make_seminar(0, fiscal_year=2002))


def test_seminar_fiscal_year_out_of_range_rejected():
    assert_rejected("seminars_seminar_fiscal_year_range", lambda: make_seminar(1, fiscal_year=1899))


def test_seminar_end_before_start_rejected():
    assert_rejected(
        "seminars_seminar_end_after_start",
        lambda: make_seminar(
            1, start_date=datetime.date(2018, 7, 13), end_date=datetime.date(2018, 7, 11)
        ),
    )


def test_seminar_end_without_start_rejected():
    assert_rejected(
        "seminars_seminar_end_needs_start",
        lambda: make_seminar(1, end_date=datetime.date(2018, 7, 11)),
    )


def test_seminar_unknown_status_rejected():
    assert_rejected("seminars_seminar_status_valid", lambda: make_seminar(1, status="secret"))


def test_seminar_one_day_and_open_dates_accepted():
    one_day = make_seminar(1, start_date=datetime.date(2018, 7, 11), end_date=None)
    undated = make_seminar(2)
    assert one_day.pk and undated.pk
    assert Seminar.objects.count() == 2


def test_organizer_same_role_twice_rejected():
    seminar = make_seminar(1)
    organization = make_organization()
    make_organizer(seminar, organization, role=Organizer.Role.HOST)
    assert_rejected(
        "seminars_organizer_unique_role",
        lambda: make_organizer(seminar, organization, role=Organizer.Role.HOST),
    )


def test_organizer_unknown_role_rejected():
    assert_rejected(
        "seminars_organizer_role_valid", lambda: make_organizer(make_seminar(1), role="patron")
    )


def test_organization_unknown_country_rejected():
    assert_rejected("seminars_organization_country_valid", lambda: make_organization(country="XX"))


@pytest.mark.parametrize(
    "end", [datetime.time(9, 0), datetime.time(10, 0)], ids=["before", "equal"]
)
def test_agenda_end_time_not_after_start_rejected(end):
    seminar = make_seminar(1)
    assert_rejected(
        "seminars_agendaitem_end_after_start",
        lambda: make_agenda_item(seminar, start_time=datetime.time(10, 0), end_time=end),
    )


def test_agenda_end_time_without_start_rejected():
    assert_rejected(
        "seminars_agendaitem_end_needs_start",
        lambda: make_agenda_item(make_seminar(1), end_time=datetime.time(9, 0)),
    )


def test_agenda_unknown_kind_rejected():
    assert_rejected(
        "seminars_agendaitem_kind_valid", lambda: make_agenda_item(make_seminar(1), kind="party")
    )


def test_agenda_date_outside_seminar_rejected():
    seminar = make_seminar(
        1, start_date=datetime.date(2018, 7, 11), end_date=datetime.date(2018, 7, 13)
    )
    assert_rejected(
        AGENDA_DATE_IN_SEMINAR, lambda: make_agenda_item(seminar, date=datetime.date(2018, 7, 14))
    )
    assert_rejected(
        AGENDA_DATE_IN_SEMINAR, lambda: make_agenda_item(seminar, date=datetime.date(2018, 7, 10))
    )
    inside = make_agenda_item(seminar, date=datetime.date(2018, 7, 13))
    assert AgendaItem.objects.get() == inside


def test_agenda_moved_outside_seminar_rejected():
    seminar = make_seminar(
        1, start_date=datetime.date(2018, 7, 11), end_date=datetime.date(2018, 7, 13)
    )
    item = make_agenda_item(seminar, date=datetime.date(2018, 7, 12))
    item.date = datetime.date(2019, 1, 1)
    assert_rejected(AGENDA_DATE_IN_SEMINAR, item.save)
    assert AgendaItem.objects.get().date == datetime.date(2018, 7, 12)


def test_seminar_dates_shrunk_past_agenda_rejected():
    seminar = make_seminar(
        1, start_date=datetime.date(2018, 7, 11), end_date=datetime.date(2018, 7, 13)
    )
    make_agenda_item(seminar, date=datetime.date(2018, 7, 13))
    seminar.end_date = datetime.date(2018, 7, 12)
    assert_rejected(AGENDA_DATE_IN_SEMINAR, seminar.save)
    seminar.refresh_from_db()
    assert seminar.end_date == datetime.date(2018, 7, 13)


def test_agenda_date_free_when_seminar_undated():
    seminar = make_seminar(1)
    item = make_agenda_item(seminar, date=datetime.date(2002, 11, 1))
    assert item.pk is not None


def test_agenda_clean_explains_date_outside_seminar():
    from django.core.exceptions import ValidationError

    seminar = make_seminar(
        1, start_date=datetime.date(2018, 7, 11), end_date=datetime.date(2018, 7, 13)
    )
    item = AgendaItem(seminar=seminar, date=datetime.date(2018, 8, 1), kind="meeting")
    with pytest.raises(ValidationError) as excinfo:
        item.clean()
    assert "date" in excinfo.value.message_dict


def test_delegation_side_unique_per_seminar():
    seminar = make_seminar(1)
    make_delegation(seminar, side="japan")
    assert_rejected(
        "participants_delegation_unique_side", lambda: make_delegation(seminar, side="japan")
    )
    assert Delegation.objects.count() == 1


def test_delegation_negative_count_rejected():
    create = lambda: make_delegation(make_seminar(1), participant_count=-1)  # noqa: E731
    if connection.vendor == "sqlite":
        # A positive integer column carries its own CHECK (>= 0), which SQLite reports first,
        # by the column's name; PostgreSQL checks the named constraint first.
        with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
            create()
        assert violated_constraint(excinfo.value) == "participant_count"
    else:
        assert_rejected("participants_delegation_count_non_negative", create)


def test_delegation_unknown_side_rejected():
    assert_rejected(
        "participants_delegation_side_valid", lambda: make_delegation(make_seminar(1), side="korea")
    )


def test_seminar_total_is_sum_of_delegations():
    seminar = make_seminar(1)
    make_delegation(seminar, side="japan", participant_count=59)
    make_delegation(seminar, side="china", participant_count=88)
    assert Seminar.objects.get(pk=seminar.pk).participant_count == 147
    # The admin's list annotates the sum in its query; the property then reads the annotation.
    annotated = Seminar.objects.annotate(
        participant_total=Sum("delegations__participant_count")
    ).get(pk=seminar.pk)
    with CaptureQueriesContext(connection) as queries:
        assert annotated.participant_count == 147
    assert len(queries) == 0


def test_delegation_implausible_count_rejected_by_the_database():
    seminar = make_seminar(1)
    make_delegation(seminar, side="japan", participant_count=100_000)
    assert_rejected(
        "participants_delegation_count_plausible",
        lambda: make_delegation(seminar, side="china", participant_count=100_001),
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The end date cannot be before the start date."),
        ("ja", "終了日を開始日より前にすることはできません。"),
        ("zh-hans", "结束日期不能早于开始日期。"),
    ],
)
def test_constraint_violation_reads_as_a_sentence_in_each_language(language, message):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    seminar = Seminar(
        edition=1,
        fiscal_year=2002,
        city=make_city(),
        start_date=datetime.date(2018, 7, 13),
        end_date=datetime.date(2018, 7, 11),
    )
    with translation.override(language), pytest.raises(ValidationError) as excinfo:
        seminar.full_clean()
    assert excinfo.value.message_dict["__all__"] == [message]


@pytest.mark.parametrize(
    ("field", "value"),
    [("edition", 0), ("edition", 102), ("fiscal_year", 1999), ("fiscal_year", 2101)],
)
def test_out_of_range_numbers_name_their_field_on_every_database(field, value):
    # SQLite would store 40000 in a "small" integer; the validators refuse it everywhere.
    from django.core.exceptions import ValidationError

    seminar = Seminar(**{"edition": 1, "fiscal_year": 2002, field: value}, city=make_city())
    with pytest.raises(ValidationError) as excinfo:
        seminar.full_clean()
    assert list(excinfo.value.message_dict) == [field]


def test_order_and_count_validators_match_postgresql_ranges():
    from django.core.exceptions import ValidationError

    delegation = Delegation(seminar=make_seminar(1), side="japan", participant_count=100_001)
    with pytest.raises(ValidationError) as excinfo:
        delegation.full_clean()
    assert "participant_count" in excinfo.value.message_dict
    organizer = Organizer(seminar=make_seminar(2, fiscal_year=2003), order=40_000)
    with pytest.raises(ValidationError) as excinfo:
        organizer.full_clean(exclude=["organization", "role"])
    assert list(excinfo.value.message_dict) == ["order"]
