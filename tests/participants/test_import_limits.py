"""Import limits: bytes, rows, cell length, NUL bytes and formula cells, each refused with a
message in the staff language that names the row and the column, before anything is written."""

import io
import zipfile

import openpyxl
import pytest

from participants.imports import reading

from .conftest import (
    EDITION,
    HEADER,
    XLSX,
    csv_bytes,
    delegation_state,
    form_errors,
    row_errors,
    xlsx_bytes,
)

ROW = [EDITION, "japan", 61, "", ""]  # a good row of the `known` edition


def rewrite_sheet(data, old, new):
    """An XLSX with one string replaced in its first sheet's XML."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            archive.writestr(info, content)
    return target.getvalue()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "ファイルが大きすぎます（1,048,577 バイト）。"),
        ("zh-hans", "文件过大（1,048,577 字节）；最多可导入 1,048,576 字节。"),
    ],
)
def test_import_larger_than_the_byte_limit_is_refused(known, importer, lang, message):
    data = csv_bytes([ROW])
    data += b" " * (reading.MAX_BYTES + 1 - len(data))
    before = delegation_state()

    errors = form_errors(importer.upload(data, lang=lang))

    assert len(errors) == 1 and errors[0].startswith(message)
    assert delegation_state() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "データ行が 1,000 行を超えています。一度にインポートできるのは 1,000 行までです。"),
        ("zh-hans", "数据超过 1,000 行；每次最多导入 1,000 行。"),
    ],
)
def test_import_with_more_rows_than_the_limit_is_refused(
    known, importer, file_format, lang, message
):
    response = importer.upload_rows([ROW] * (reading.MAX_ROWS + 1), file_format, lang)

    assert form_errors(response) == [message]
    assert known.count("japan") == known.japan.participant_count


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "ja",
            "3 行目の description_ja (D) 列は 1,001 文字あります。"
            "1 つのセルは 1,000 文字までです。",
        ),
        (
            "zh-hans",
            "第 3 行 description_ja (D) 列有 1,001 个字符；每个单元格最多 1,000 个字符。",
        ),
    ],
)
def test_import_cell_longer_than_the_limit_is_refused(known, importer, file_format, lang, message):
    rows = [ROW, [EDITION, "china", 90, "あ" * 1001, ""]]

    assert form_errors(importer.upload_rows(rows, file_format, lang)) == [message]
    assert known.count("china") == known.china.participant_count


# The refusal of a participant_count cell in row 2 that holds no number: (Japanese, Chinese).
NOT_A_NUMBER = {
    "nul": (
        "2 行目の participant_count (C) 列に NUL バイトがあります（テキストには含まれない"
        "文字です）。XLSX か CSV UTF-8 で保存し直してください。",
        "第 2 行 participant_count (C) 列含有 NUL 字节（文本中不会出现的字符）。"
        "请重新保存为 XLSX 或 CSV UTF-8。",
    ),
    "formula": (
        "2 行目の participant_count (C) 列は数式（=60+1）ですが、計算結果が保存されて"
        "いません。Excel で開いて保存し直すか、値を入力してください。",
        "第 2 行 participant_count (C) 列是公式（=60+1），但文件中没有保存其计算结果。"
        "请在 Excel 中打开并重新保存，或直接填写数值。",
    ),
}
LANGUAGES = ["ja", "zh-hans"]


def assert_refused_and_count_kept(known, response, problem, lang):
    assert form_errors(response) == [NOT_A_NUMBER[problem][LANGUAGES.index(lang)]]
    assert known.count("japan") == known.japan.participant_count


@pytest.mark.parametrize("lang", LANGUAGES)
def test_import_nul_byte_is_refused_naming_row_and_column(known, importer, lang):
    response = importer.upload_rows([[EDITION, "japan", "6\x001", "", ""]], "csv", lang)

    assert_refused_and_count_kept(known, response, "nul", lang)


def test_import_nul_byte_inside_an_xlsx_is_refused(known, importer):
    data = rewrite_sheet(xlsx_bytes([ROW]), b"<t>japan</t>", b"<t>ja\0</t>")

    errors = form_errors(importer.upload(data, "c.xlsx", XLSX, lang="ja"))

    assert errors == ["このファイルは xlsx として読み込めませんでした。形式を確認してください。"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_import_formula_without_a_calculated_value_is_refused(known, importer, lang):
    response = importer.upload_rows([[EDITION, "japan", "=60+1", "", ""]], "xlsx", lang)

    assert_refused_and_count_kept(known, response, "formula", lang)


def test_import_formula_with_its_calculated_value_imports_the_value(known, importer):
    data = xlsx_bytes([[EDITION, "japan", "=60+1", "", ""]])
    data = rewrite_sheet(data, b"<f>60+1</f><v />", b"<f>60+1</f><v>61</v>")

    importer.confirm(importer.upload(data, "c.xlsx", XLSX))

    assert known.count("japan") == 61


def test_import_xlsx_that_unpacks_beyond_the_limit_is_refused(known, importer):
    data = io.BytesIO(xlsx_bytes([ROW]))
    with zipfile.ZipFile(data, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (reading.MAX_UNPACKED_BYTES + 1))
    assert len(data.getvalue()) < reading.MAX_BYTES

    errors = form_errors(importer.upload(data.getvalue(), "c.xlsx", XLSX, lang="zh-hans"))

    assert errors == ["该 XLSX 文件解压后过大（超过 20,971,520 字节）。"]


def test_import_empty_line_keeps_the_spreadsheet_row_numbers(known, importer):
    data = csv_bytes([ROW, [EDITION, "mars", 1, "", ""]])
    first = f"\r\n{EDITION},japan".encode()
    data = data.replace(first, b"\r\n" + first)

    errors = row_errors(importer.upload(data, lang="ja"))

    assert list(errors) == [(4, "side")]


def test_import_value_beyond_the_header_is_refused(known, importer):
    data = csv_bytes([[*ROW, "note"]])

    errors = form_errors(importer.upload(data, lang="ja"))

    assert errors == ["2 行目の F 列に値がありますが、その列には見出しがありません。"]


def test_import_header_row_is_read_from_an_xlsx_with_numbers(importer):
    workbook = openpyxl.Workbook()
    workbook.active.append([*HEADER, 2024])
    stream = io.BytesIO()
    workbook.save(stream)

    errors = form_errors(importer.upload(stream.getvalue(), "c.xlsx", XLSX, lang="ja"))

    assert errors == ["不明な列「2024」があります（F 列、1 行目）。"]


def test_import_lists_ten_problems_and_says_there_are_more(known, importer):
    rows = [[EDITION, "japan", f"{n}\x00", "", ""] for n in range(12)]

    errors = form_errors(importer.upload(csv_bytes(rows), lang="zh-hans"))

    assert len(errors) == 11
    assert errors[0].startswith("第 2 行 participant_count (C) 列含有 NUL 字节")
    assert errors[-1] == "还有其他问题，请先更正以上各项。"
