"""The participant report: one row per seminar, from the command and from the admin."""

import csv
import io
import os

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from participants.exports import report_rows
from seminars.models import Seminar
from tests.factories import make_city, make_delegation, make_seminar

from .conftest import REPORT_URL

HEADERS = {
    "ja": ["開催回", "年度", "開催地", "テーマ", "日本側", "中国側", "合計"],
    "zh-hans": ["届次", "年度", "举办城市", "主题", "日方", "中方", "合计"],
}
ROW_2018 = {
    "ja": [
        "17",
        "2018",
        "綿陽市",
        "新産業創出と企業誘致による持続的な地方の発展について",
        "59",
        "88",
        "147",
    ],
    "zh-hans": [
        "17",
        "2018",
        "绵阳市",
        "加强新产业培育及招商引资，促进地方可持续发展",
        "59",
        "88",
        "147",
    ],
}


def read_csv(content):
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_report_command_csv_has_bom_headers_and_2018_row(seed, tmp_path, language):
    target = tmp_path / "report.csv"

    call_command("export_participants", "-o", str(target), "--language", language)

    rows = read_csv(target.read_bytes())
    assert rows[0] == HEADERS[language]
    assert len(rows) == 1 + Seminar.objects.count()
    assert rows[-1] == ROW_2018[language]
    assert [int(row[0]) for row in rows[1:]] == list(range(1, 18))


def test_report_command_without_output_writes_csv_to_stdout(seed, capfdbinary):
    call_command("export_participants", "--language", "zh-hans")

    rows = read_csv(capfdbinary.readouterr().out)
    assert rows[0] == HEADERS["zh-hans"]
    assert rows[-1] == ROW_2018["zh-hans"]


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_report_command_xlsx_keeps_numbers(seed, tmp_path, language):
    target = tmp_path / "report.xlsx"

    call_command(
        "export_participants", "-o", str(target), "--format", "xlsx", "--language", language
    )

    rows = read_xlsx(target.read_bytes())
    assert list(rows[0]) == HEADERS[language]
    assert rows[-1] == [17, 2018, ROW_2018[language][2], ROW_2018[language][3], 59, 88, 147]
    assert rows[1][4:] == [None, None, None]


def test_report_rows_match_the_database(seed):
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
def test_report_download_csv_streams_an_attachment(seed, client, make_staff, language):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, {"language": language, "format": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="participants-2002-2018-{language}.csv"'
    )
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0] == HEADERS[language]
    assert rows[-1] == ROW_2018[language]


def test_report_download_xlsx(seed, client, make_staff):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, {"language": "zh-hans", "format": "xlsx"})

    assert response["Cache-Control"] == "no-store"
    assert "participants-2002-2018-zh-hans.xlsx" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    rows = read_xlsx(content)
    assert rows[-1][-3:] == [59, 88, 147]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.title == "与会人员 2002–2018"
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:G18")
    assert sheet.column_dimensions["D"].width == 60  # the theme
    assert sheet.column_dimensions["A"].width >= 8


@pytest.mark.parametrize(
    "params", [{"language": "en"}, {"format": "pdf"}, {"language": "ja", "format": "CSV;"}]
)
def test_report_download_bad_parameters_are_400(seed, client, make_staff, params):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL, params, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 400
    assert "language=ja または zh-hans" in response.content.decode()


def test_report_download_defaults_to_japanese_csv(seed, client, make_staff):
    client.force_login(make_staff("view_delegation"))

    response = client.get(REPORT_URL)

    assert read_csv(b"".join(response.streaming_content))[0] == HEADERS["ja"]


@pytest.mark.parametrize(("name", "opens_as"), [("report.xlsx", "xlsx"), ("report.CSV", "csv")])
def test_report_command_format_follows_the_file_name(seed, tmp_path, name, opens_as):
    target = tmp_path / name

    call_command("export_participants", "-o", str(target))

    content = target.read_bytes()
    if opens_as == "xlsx":
        assert content.startswith(b"PK")  # a zip archive, as every XLSX
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet.title == "参加者 2002–2018" and sheet.freeze_panes == "A2"
        assert list(next(sheet.iter_rows(values_only=True))) == HEADERS["ja"]
    else:
        assert read_csv(content)[0] == HEADERS["ja"]


def test_report_command_format_that_contradicts_the_name_is_refused(seed, tmp_path):
    target = tmp_path / "report.xlsx"

    with pytest.raises(
        CommandError, match=r"--format csv がファイル名 \S+report\.xlsx（\.xlsx）と一致しません"
    ):
        call_command("export_participants", "-o", str(target), "--format", "csv", language="ja")
    assert not target.exists()


def test_report_command_bad_path_answers_one_line(seed, tmp_path):
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
