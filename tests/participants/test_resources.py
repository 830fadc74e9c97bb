"""The resource on its own: header checks, strict numbers, and a fixed number of export queries."""

import pytest
import tablib

from participants.imports.reading import column_letter
from participants.resources import DelegationResource, parse_whole_number
from tests.factories import make_city, make_delegation, make_seminar

from .conftest import (
    COUNTS_ONLY,
    CSV,
    EDITION,
    EXPORT_URL,
    FULL,
    delegation_state,
    export_form_data,
)


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (3, "D"), (25, "Z"), (26, "AA"), (27, "AB")]
)
def test_column_letter_names_columns_as_excel_does(index, letter):
    assert column_letter(index) == letter


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("59", 59),
        (" 7 ", 7),
        (88, 88),
        (3.0, 3),
        ("0", 0),
        ("59.0", 59),  # Excel's CSV of a number cell
        ("５９", 59),  # full-width digits, as a Japanese or Chinese IME types them
        ("５９．０", 59),
        ("1,000", 1000),  # Excel's digit grouping
        ("１，２００", 1200),
        ("+5", 5),
    ],
)
def test_parse_whole_number_accepts_whole_numbers(value, number):
    assert parse_whole_number(value) == number


@pytest.mark.parametrize(
    "value",
    [
        "2.5",
        2.5,
        "59.5",
        "５９．５",
        "-1",
        -1,
        "－３",
        "abc",
        "５９人",
        "1e3x",
        True,
        "NaN",
        "1,00",
        "1.000,5",
        "٥٩",
        "",
    ],
)
def test_parse_whole_number_refuses_everything_else(value):
    with pytest.raises(ValueError):
        parse_whole_number(value)


def test_resource_import_with_unknown_column_writes_nothing(known):
    dataset = tablib.Dataset(
        [EDITION, "japan", 1, "x"], headers=["edition", "side", "participant_count", "extra"]
    )
    before = delegation_state()

    result = DelegationResource().import_data(dataset, dry_run=False)

    assert result.has_errors()
    assert "extra" in str(result.base_errors[0].error)
    assert delegation_state() == before


def test_resource_import_with_one_bad_row_writes_nothing(known):
    dataset = tablib.Dataset(
        [EDITION, "japan", 70],
        [EDITION, "china", -1],
        headers=["edition", "side", "participant_count"],
    )
    before = delegation_state()

    result = DelegationResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )

    assert [row.number for row in result.invalid_rows] == [3]
    assert delegation_state() == before


@pytest.mark.parametrize("layout", [COUNTS_ONLY, FULL])
@pytest.mark.parametrize("count", [1, 20])
def test_admin_export_runs_a_fixed_number_of_queries(
    db, exporter, django_assert_num_queries, count, layout
):
    for edition in range(1, count + 1):
        seminar = make_seminar(edition, city=make_city())
        make_delegation(seminar, side="japan")
        make_delegation(seminar, side="china")
    data = export_form_data(CSV, layout)

    # Session, user, permissions (user, group), the editions of the list's edition filter; then
    # the delegations with their seminar and city in a single query, whatever their number, and
    # their fiscal years for the sheet and file names.
    with django_assert_num_queries(7):
        response = exporter.post(EXPORT_URL, data)

    assert response.content.count(b"\r\n") == 2 * count + 1
