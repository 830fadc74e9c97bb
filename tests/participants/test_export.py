"""Exporting delegations from the admin: CSV with BOM, XLSX with numbers, neutralised formulae."""

import csv
import io

import openpyxl
import pytest

from participants.exports import safe_cell, unescape_cell
from participants.models import Delegation
from tests.factories import make_delegation, make_seminar

from .conftest import (
    CHANGELIST,
    COUNTS_ONLY,
    CSV,
    EDITION,
    EXPORT_URL,
    XLSX,
    confirm,
    delegation_state,
    export_form_data,
    upload,
)

COLUMNS = [
    "開催回",
    "年度",
    "開催地（日本語）",
    "開催地（中国語）",
    "区分",
    "参加者数",
    "説明（日本語）",
    "説明（中国語）",
]
COLUMNS_ZH = [
    "届次",
    "年度",
    "举办城市（日语）",
    "举办城市（中文）",
    "类别",
    "参加人数",
    "说明（日语）",
    "说明（中文）",
]
FORMULAE = ["=1+1", "+81-3", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")']


def parse_csv(content):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def full_row(delegation, side_label):
    """The row a full export has for `delegation`, as CSV text."""
    seminar = delegation.seminar
    return [
        str(seminar.edition),
        str(seminar.fiscal_year),
        seminar.city.name_ja,
        seminar.city.name_zh_hans,
        side_label,
        str(delegation.participant_count),
        delegation.description_ja,
        delegation.description_zh_hans,
    ]


def parse_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


@pytest.mark.parametrize("cell", FORMULAE)
def test_safe_cell_formula_text_gets_apostrophe_and_round_trips(cell):
    assert safe_cell(cell) == "'" + cell
    assert unescape_cell(safe_cell(cell)) == cell


@pytest.mark.parametrize("value", [59, -5, 2.5, "-5", "+3", "12.5", "日本側", "", None])
def test_safe_cell_numbers_and_plain_text_are_unchanged(value):
    assert safe_cell(value) == value


def test_export_csv_from_changelist_matches_database_with_bom(known, exporter):
    response = exporter.post(EXPORT_URL, export_form_data(CSV))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = parse_csv(response.content)
    assert rows[0] == COLUMNS
    assert rows[1:] == [full_row(known.japan, "日本側"), full_row(known.china, "中国側")]
    by_side = {row[4]: row for row in rows[1:]}
    for delegation in Delegation.objects.select_related("seminar"):
        row = by_side[delegation.get_side_display()]
        assert int(row[0]) == delegation.seminar.edition
        assert int(row[5]) == delegation.participant_count
        assert row[6] == delegation.description_ja


def test_export_xlsx_keeps_numbers_as_numbers(known, exporter):
    response = exporter.post(EXPORT_URL, export_form_data(XLSX))

    rows, _sheet = parse_xlsx(response.content)
    assert rows[0] == COLUMNS
    counts = {row[4]: row[5] for row in rows[1:]}
    assert counts == {
        "日本側": known.japan.participant_count,
        "中国側": known.china.participant_count,
    }
    assert all(isinstance(row[0], int) and isinstance(row[1], int) for row in rows[1:])


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_export_formula_looking_description_comes_back_neutralised(db, exporter, file_format):
    seminar = make_seminar(3)
    for side, text in zip(["japan", "china"], ["=1+1", "@SUM(A1)"], strict=True):
        make_delegation(seminar, side=side, participant_count=4, description_ja=text)

    response = exporter.post(EXPORT_URL, export_form_data(file_format))

    if file_format == CSV:
        rows = parse_csv(response.content)
    else:
        rows, sheet = parse_xlsx(response.content)
        assert {sheet.cell(row=r, column=7).data_type for r in (2, 3)} == {"s"}
    assert sorted(row[6] for row in rows[1:]) == ["'=1+1", "'@SUM(A1)"]
    assert all(str(row[5]) == "4" for row in rows[1:])


def test_export_action_on_selected_rows_exports_only_those(known, exporter):
    japan = known.japan
    form_page = exporter.post(
        CHANGELIST, {"action": "export_admin_action", "_selected_action": [japan.pk]}
    )
    assert form_page.status_code == 200

    response = exporter.post(EXPORT_URL, {**export_form_data(CSV), "export_items": [japan.pk]})

    rows = parse_csv(response.content)
    assert [row[4:6] for row in rows[1:]] == [["日本側", str(japan.participant_count)]]


def test_export_then_import_of_the_same_file_changes_nothing(known, steward):
    Delegation.objects.filter(side="japan").update(description_ja="-とても多い")
    before = delegation_state()
    exported = steward.post(EXPORT_URL, export_form_data(CSV)).content

    preview = upload(steward, exported)
    confirm(steward, preview)

    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["skip", "skip"]
    assert delegation_state() == before


@pytest.mark.parametrize(("lang", "word"), [("ja", "エクスポート"), ("zh-hans", "导出")])
def test_export_form_page_in_both_languages(exporter, lang, word):
    response = exporter.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE=lang)

    assert response.status_code == 200
    html = response.content.decode()
    assert word in html
    assert [label for _value, label in response.context["form"].fields["format"].choices] == [
        "---",
        "csv",
        "xlsx",
    ]


@pytest.mark.parametrize(("lang", "word"), [("ja", "エクスポート"), ("zh-hans", "导出")])
def test_delegation_change_page_offers_export_of_that_row(known, admin_client_ja, lang, word):
    japan = known.japan
    url = f"{CHANGELIST}{japan.pk}/change/"

    page = admin_client_ja.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    unchanged = {
        "seminar": japan.seminar_id,
        "side": japan.side,
        "participant_count": japan.participant_count,
        "description_ja": japan.description_ja,
        "description_zh_hans": japan.description_zh_hans,
        "edition_version": page.context["adminform"].form["edition_version"].value(),
        "_export-item": "1",
    }
    form_page = admin_client_ja.post(url, unchanged, HTTP_ACCEPT_LANGUAGE=lang)

    assert f'value="{word}"' in page.content.decode()
    assert form_page.status_code == 200
    assert form_page.context["form"].initial["export_items"] == [japan.pk]


@pytest.mark.parametrize(
    ("lang", "labels"),
    [
        ("ja", ["開催回", "年度", "開催地（中国語）"]),
        ("zh-hans", ["届次", "年度", "举办城市（中文）"]),
    ],
)
def test_export_columns_are_labelled_in_the_staff_language(exporter, lang, labels):
    response = exporter.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE=lang)

    form = response.context["form"]
    shown = [
        str(field.label)
        for name, field in form.fields.items()
        if "_" in name and getattr(field, "is_selectable_field", False)
    ]
    assert all(label in shown for label in labels), shown
    assert not any(label.startswith(("Edition", "Fiscal Year", "City")) for label in shown)
    html = response.content.decode()
    assert all(label in html for label in labels)


@pytest.mark.parametrize(
    ("lang", "header", "japan", "encoding"),
    [
        ("ja", ["開催回", "年度", "区分", "参加者数"], "日本側", "cp932"),
        ("zh-hans", ["届次", "年度", "类别", "参加人数"], "日方", "gb18030"),
    ],
)
def test_export_counts_only_layout_in_the_staff_language(
    known, exporter, lang, header, japan, encoding
):
    response = exporter.post(
        EXPORT_URL, export_form_data(CSV, COUNTS_ONLY), HTTP_ACCEPT_LANGUAGE=lang
    )

    seminar, count = known.seminar, known.japan.participant_count
    first = [str(seminar.edition), str(seminar.fiscal_year), japan, str(count)]
    assert parse_csv(response.content)[:2] == [header, first]
    # What Excel on that staff member's Windows saves a CSV in keeps every character.
    response.content.decode("utf-8-sig").encode(encoding)


@pytest.mark.parametrize(("lang", "columns"), [("ja", COLUMNS), ("zh-hans", COLUMNS_ZH)])
def test_export_xlsx_is_dressed_for_excel(known, exporter, lang, columns):
    response = exporter.post(EXPORT_URL, export_form_data(XLSX), HTTP_ACCEPT_LANGUAGE=lang)

    rows, sheet = parse_xlsx(response.content)
    assert rows[0] == columns
    year = known.seminar.fiscal_year
    assert sheet.title == {"ja": f"代表団 {year}", "zh-hans": f"代表团 {year}"}[lang]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:H3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABDH"}
    assert widths["A"] >= 8 and widths["D"] >= 8
    assert widths["H"] > widths["A"]  # the description is wider than the edition number
    assert f'filename="delegations-{year}.xlsx"' in response["Content-Disposition"]


def test_export_machine_names_and_other_language_import_back(known, steward):
    exported = steward.post(
        EXPORT_URL, export_form_data(CSV, COUNTS_ONLY), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content
    count = known.japan.participant_count
    text = exported.decode("utf-8-sig")
    assert f"日方,{count}\r\n" in text
    text = text.replace(f"日方,{count}", "日方,60")
    preview = upload(steward, text.encode("utf-8-sig"), lang="ja")  # a Japanese colleague
    confirm(steward, preview)
    assert known.count("japan") == 60

    year = known.seminar.fiscal_year
    machine = f"edition,fiscal_year,side,participant_count\r\n{EDITION},{year},japan,61\r\n"
    confirm(steward, upload(steward, machine.encode("utf-8-sig")))
    assert known.count("japan") == 61


@pytest.mark.parametrize(
    ("lang", "layouts", "advice"),
    [
        (
            "ja",
            ["人数のみ（開催回・年度・区分・参加者数）", "人数と開催地・説明"],
            "Excel で使う場合は XLSX を選んでください。",
        ),
        (
            "zh-hans",
            ["仅人数（届次、年度、类别、参加人数）", "人数及举办城市、说明"],
            "在 Excel 中使用时请选择 XLSX：",
        ),
    ],
)
def test_export_page_offers_counts_only_first_and_recommends_xlsx(exporter, lang, layouts, advice):
    response = exporter.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE=lang)

    form = response.context["form"]
    assert [label for _value, label in form.fields["resource"].choices] == layouts
    html = response.content.decode()
    assert advice in html and "Shift_JIS" in html


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_export_form_preselects_xlsx(known, exporter, lang):
    html = exporter.get(EXPORT_URL, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    action = exporter.post(
        CHANGELIST,
        {"action": "export_admin_action", "_selected_action": [known.japan.pk]},
        HTTP_ACCEPT_LANGUAGE=lang,
    )

    assert '<option value="1" selected>xlsx</option>' in html
    assert action.context["form"]["format"].value() == XLSX
