"""The participant report: one row per seminar, from the command and from the admin."""

import csv
import io
import os

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from participants.exports import report_rows
from seminars.models import Seminar
from tests.factories import make_city, make_delegation, make_edition, make_seminar

from .conftest import REPORT_URL

HEADERS = {
    "ja": ["開催回", "年度", "開催地", "テーマ", "日本側", "中国側", "合計"],
    "zh-hans": ["届次", "年度", "举办城市", "主题", "日方", "中方", "合计"],
}
SUFFIX = {"ja": "ja", "zh-hans": "zh_hans"}  # of the translated fields


@pytest.fixture
def full(db):
    """Edition 1 without delegations, then edition 2 from make_edition (both delegations)."""
    make_seminar(1)
    return make_edition(2, days=1)


def years(seminar):
    """The years a report of editions 1 to `seminar` names: "2002–2003"."""
    return f"{Seminar.objects.get(edition=1).fiscal_year}–{seminar.fiscal_year}"


def report_row(seminar, language):
    """The report's row for `seminar`, as the factory made it: numbers, then texts."""
    counts = {d.side: d.participant_count for d in seminar.delegations.all()}
    return [
        seminar.edition,
        seminar.fiscal_year,
        getattr(seminar.city, f"name_{SUFFIX[language]}"),
        getattr(seminar, f"theme_{SUFFIX[language]}"),
        counts["japan"],
        counts["china"],
        counts["japan"] + counts["china"],
    ]


def csv_row(seminar, language):
    return [str(cell) for cell in report_row(seminar, language)]


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_report_command_csv_has_bom_headers_and_the_last_editions_row(full, tmp_path, language):
    target = tmp_path / "report.csv"

    call_command("export_participants", "-o", str(target), "--language", language)

    rows = read_csv(target.read_bytes())
    assert rows[0] == HEADERS[language]
    assert len(rows) == 1 + Seminar.objects.count()
    assert rows[-1] == csv_row(full, language)
    assert [int(row[0]) for row in rows[1:]] == [1, 2]


def test_report_command_without_output_writes_csv_to_stdout(full, capfdbinary):
    call_command("export_participants", "--language", "zh-hans")

    rows = read_csv(capfdbinary.readouterr().out)
    assert rows[0] == HEADERS["zh-hans"]
    assert rows[-1] == csv_row(full, "zh-hans")


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_report_command_xlsx_keeps_numbers(full, tmp_path, language):
    target = tmp_path / "report.xlsx"

    call_command(
        "export_participants", "-o", str(target), "--format", "xlsx", "--language", language
    )

    rows = read_xlsx(target.read_bytes())
    assert list(rows[0]) == HEADERS[language]
    assert rows[-1] == report_row(full, language)
    assert all(isinstance(cell, int) for cell in rows[-1][:2] + rows[-1][4:])
    assert rows[1][4:] == [None, None, None]


def test_report_rows_match_the_database(full):
    rows = list(report_rows("ja"))

    for row, seminar in zip(rows, Seminar.objects.order_by("edition"), strict=True):
        by_side = {d.side: d.participant_count for d in seminar.delegations.all()}
        assert row[0] == seminar.edition
        assert row[4:6] == [by_side.get("japan"), by_side.get("china")]
        assert row[6] == (sum(by_side.values()) if by_side else None)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_report_formula_looking_theme_comes_back_neutralised(db, tmp_path, file_format):
    city = make_city(name_ja="=CMD|' /C calc'!A0", name_zh_hans="测试市")
    make_seminar(1, city=city, theme_ja='=HYPERLINK("http://evil","x")', theme_zh_hans="+1")
    target = tmp_path / f"report.{file_format}"

    call_command("export_participants", "-o", str(target), "--format", file_format)

    content = target.read_bytes()
    rows = read_csv(content) if file_format == "csv" else read_xlsx(content)
    assert rows[1][2] == "'=CMD|' /C calc'!A0"
    assert rows[1][3] == '\'=HYPERLINK("http://evil","x")'


def _seminars(count):
    for edition in range(1, count + 1):
        seminar = make_seminar(edition, city=make_city())
        make_delegation(seminar, side="japan", participant_count=edition)
        make_delegation(seminar, side="china", participant_count=2 * edition)


@pytest.mark.parametrize("count", [1, 25])
def test_report_rows_run_one_query_whatever_the_size(db, django_assert_num_queries, count):
    _seminars(count)

    with django_assert_num_queries(1):
        rows = list(report_rows("ja", chunk_size=10))

    assert len(rows) == count
    assert rows[-1][4:] == [count, 2 * count, 3 * count]


@pytest.mark.parametrize("count", [1, 25])
def test_report_download_queries_do_not_grow(
    db, client, make_staff, django_assert_num_queries, count
):
    _seminars(count)
    client.force_login(make_staff("view_delegation"))

    # Session, user, user and group permissions, the years for the file name, then the one
    # report query.
    with django_assert_num_queries(6):
        response = client.get(REPORT_URL, {"language": "ja", "format": "csv"})
        content = b"".join(response.streaming_content)

    assert len(read_csv(content)) == count + 1


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_report_download_csv_streams_an_attachment(full, client, make_staff, language):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, {"language": language, "format": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="participants-{years(full).replace("–", "-")}-{language}.csv"'
    )
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0] == HEADERS[language]
    assert rows[-1] == csv_row(full, language)


def test_report_download_xlsx(full, client, make_staff):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, {"language": "zh-hans", "format": "xlsx"})

    assert response["Cache-Control"] == "no-store"
    stem = f"participants-{years(full).replace('–', '-')}-zh-hans"
    assert f"{stem}.xlsx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    rows = read_xlsx(content)
    assert rows[-1][-3:] == report_row(full, "zh-hans")[-3:]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == f"与会人员 {years(full)}"
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:G3")
    assert sheet.column_dimensions["D"].width == 60  # the theme
    assert sheet.column_dimensions["A"].width >= 8


@pytest.mark.parametrize(
    "params", [{"language": "en"}, {"format": "pdf"}, {"language": "ja", "format": "CSV;"}]
)
def test_report_download_bad_parameters_are_400(full, client, make_staff, params):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, params, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 400
    assert "language=ja または zh-hans" in response.content.decode()


def test_report_download_defaults_to_japanese_csv(full, client, make_staff):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL)

    rows = read_csv(b"".join(response.streaming_content))
    assert (rows[0], rows[-1]) == (HEADERS["ja"], csv_row(full, "ja"))


@pytest.mark.parametrize(("name", "opens_as"), [("report.xlsx", "xlsx"), ("report.CSV", "csv")])
def test_report_command_format_follows_the_file_name(full, tmp_path, name, opens_as):
    target = tmp_path / name

    call_command("export_participants", "-o", str(target))

    content = target.read_bytes()
    if opens_as == "xlsx":
        assert content.startswith(b"PK")  # a zip archive, as every XLSX
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet.title == f"参加者 {years(full)}" and sheet.freeze_panes == "A2"
        assert list(next(sheet.iter_rows(values_only=True))) == HEADERS["ja"]
    else:
        assert read_csv(content)[0] == HEADERS["ja"]


def test_report_command_format_that_contradicts_the_name_is_refused(db, tmp_path):
    target = tmp_path / "report.xlsx"

    with pytest.raises(
        CommandError, match=r"--format csv がファイル名 \S+report\.xlsx（\.xlsx）と一致しません"
    ):
        call_command("export_participants", "-o", str(target), "--format", "csv", language="ja")
    assert not target.exists()


def test_report_command_bad_path_answers_one_line(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "missing" / "dir" / "x.csv"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_participants",
            "-o",
            str(target),
            "--language",
            "zh-hans",
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_DEBUG": "1"},
    )

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"CommandError: 无法写入 {target}：No such file or directory。"
    ]
    assert "Traceback" not in result.stderr
