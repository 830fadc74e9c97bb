"""Imports in the staff member's words: files as Excel really writes them (CP932 with full-width
digits, XLSX, "59.0"), the format taken from the file itself, "??" headers explained, and a
refused file checked again without picking it again. Every refusal writes nothing."""

import io
import zipfile

import pytest
from django.test import Client

from participants.models import Delegation
from seminars.models import Seminar

from .conftest import (
    COUNTS_ONLY,
    CSV,
    EDITION,
    EXPORT_URL,
    IMPORT_URL,
    NEW,
    XLSX,
    csv_bytes,
    delegation_state,
    export_form_data,
    form_errors,
    row_errors,
    xlsx_bytes,
)

LANGUAGES = ["ja", "zh-hans"]
JA_HEADER = ["開催回", "区分", "参加者数"]  # what a Japanese export heads: all in CP932
ZH_HEADER = ["届次", "类别", "参加人数"]


def counts_export(client, lang):
    """The counts-only CSV export, headed in the staff language."""
    data = export_form_data(CSV, COUNTS_ONLY)
    return client.post(EXPORT_URL, data, HTTP_ACCEPT_LANGUAGE=lang).content.decode("utf-8-sig")


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def check(client, data, name="counts.csv", file_format="", encoding="utf-8-sig", lang="ja"):
    """The import form as sent by the browser; format "" is "from the file"."""
    fields = {"resource": "0", "format": file_format, "encoding": encoding}
    if data is not None:
        fields["import_file"] = io.BytesIO(data)
        fields["import_file"].name = name
    return client.post(IMPORT_URL, fields, HTTP_ACCEPT_LANGUAGE=lang)


def confirm(client, preview, lang="ja"):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post("/admin/participants/delegation/process_import/", data)


# --- numbers as Excel and IMEs write them ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cp932_csv_with_full_width_digits_and_japanese_headers_is_imported(known, steward, lang):
    rows = [[EDITION, "日本側", "６１"], [EDITION, "中国側", "１，２０５"], [NEW, "日本側", "１２"]]
    data = csv_bytes(rows, encoding="cp932", header=JA_HEADER)

    preview = check(steward, data, encoding="cp932", lang=lang)
    done = confirm(steward, preview)

    assert done.status_code == 302, form_errors(preview) or row_errors(preview)
    assert (known.count("japan"), known.count("china")) == (61, 1205)
    assert Delegation.objects.get(seminar__edition=NEW).participant_count == 12


def test_cp932_round_trip_of_the_japanese_export_with_full_width_counts(known, steward):
    text = counts_export(steward, "ja")
    assert text.splitlines()[0] == "開催回,年度,区分,参加者数"
    old = f",日本側,{known.japan.participant_count}"
    data = text.replace(old, ",日本側,５９").encode("cp932")

    confirm(steward, check(steward, data, encoding="cp932"))

    assert known.count("japan") == 59


def test_xlsx_with_numbers_as_excel_stores_them_is_imported(known, steward):
    # 59.0: a number cell Excel stores as a float; "６０": text typed with a Japanese IME.
    data = xlsx_bytes([[EDITION, "日方", 59.0], [EDITION, "中方", "６０"]], header=ZH_HEADER)

    confirm(steward, check(steward, data, name="counts.xlsx", lang="zh-hans"))

    assert (known.count("japan"), known.count("china")) == (59, 60)


def test_csv_with_excel_decimal_counts_is_imported(known, steward):
    data = csv_bytes([[EDITION, "japan", "59.0"], [EDITION, "china", " 90.00 "]], header=JA_HEADER)

    confirm(steward, check(steward, data))

    assert (known.count("japan"), known.count("china")) == (59, 90)


# (row, column): the Japanese and Chinese refusals of BAD_NUMBERS
BAD_NUMBERS = [[EDITION, "japan", "59.5"], [EDITION, "china", "－３"], [NEW, "japan", "約６０"]]
BAD_NUMBER_ERRORS = {
    "ja": {
        (2, "participant_count"): ["「59.5」は整数ではありません。"],
        (3, "participant_count"): ["「－３」は負の数です。人数は 0 以上で入力してください。"],
        (4, "participant_count"): ["「約６０」は数値ではありません。"],
    },
    "zh-hans": {
        (2, "participant_count"): ["“59.5”不是整数。"],
        (3, "participant_count"): ["“－３”是负数；人数必须大于或等于 0。"],
        (4, "participant_count"): ["“約６０”不是数字。"],
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fraction_negative_and_text_are_refused_with_row_and_column(known, steward, lang):
    before = delegation_state()
    data = csv_bytes(BAD_NUMBERS, encoding="utf-8-sig", header=JA_HEADER)

    preview = check(steward, data, lang=lang)

    assert row_errors(preview) == BAD_NUMBER_ERRORS[lang]
    html = preview.content.decode()
    column = {"ja": "参加者数（C 列）", "zh-hans": "参加人数（第 C 列）"}[lang]
    assert f"<strong>{column}</strong>:" in html
    # The refused rows' cells as the file has them, under the file's own columns.
    assert "<th>参加者数</th>" in html or "<th>参加人数</th>" in html
    assert f"<td>{EDITION}</td><td>china</td><td>－３</td>" in html.replace("\n", "")
    assert delegation_state() == before


# --- the staff member's words on the page ------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "columns", "required"),
    [
        ("ja", "開催回, 年度, 開催地（日本語）", "必須の列：開催回, 区分, 参加者数。"),
        ("zh-hans", "届次, 年度, 举办城市（日语）", "必需的列：届次, 类别, 参加人数。"),
    ],
)
def test_import_page_names_columns_as_the_export_does(importer, lang, columns, required):
    html = importer.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert columns in html and required in html
    for machine in ("participant_count", "fiscal_year", "description_ja", "city_zh_hans"):
        assert machine not in html


@pytest.mark.parametrize(
    ("lang", "headers"),
    [
        ("ja", ["開催回", "年度", "区分", "参加者数"]),
        ("zh-hans", ["届次", "年度", "类别", "参加人数"]),
    ],
)
def test_preview_columns_are_headed_as_the_export_does(known, steward, lang, headers):
    data = csv_bytes([[EDITION, "japan", 61]], header=["edition", "side", "participant_count"])

    preview = check(steward, data, lang=lang)

    diff_headers = preview.context["result"].diff_headers
    assert [h for h in diff_headers if h in headers] == headers
    html = preview.content.decode()
    assert all(f"<th>{header}</th>" in html for header in headers)
    assert "participant_count" not in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "列「参加者数」が重複しています（D 列、1 行目）。"),
        ("zh-hans", "列“参加人数”重复出现（第 D 列，第 1 行）。"),
    ],
)
def test_duplicate_column_is_named_in_the_staff_language(known, steward, lang, message):
    header = ["edition", "side", "participant_count", "参加人数"]

    preview = check(steward, csv_bytes([[EDITION, "japan", 1, 2]], header=header), lang=lang)

    assert form_errors(preview) == [message]


# --- "??": characters lost to the encoding the file was saved in ------------------------------

LOST_HEADERS = {
    "ja": "見出し行の文字が失われています：「??」（C 列）。ファイルが中国語や日本語を表せない"
    "文字コードで保存されたため、Excel がその文字を「?」に置き換えました",
    "zh-hans": "标题行丢失了字符：“??”（第 C 列）。文件以无法表示中文或日文的编码保存，"
    "Excel 已将这些字符替换为“?”",
}
FIX = {
    "ja": "Excel で「CSV UTF-8 (コンマ区切り)」または XLSX として保存し、もう一度インポートして"
    "ください。",
    "zh-hans": "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 XLSX，然后重新导入。",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_chinese_headers_saved_as_cp932_are_explained_with_the_fix(known, steward, lang):
    text = counts_export(steward, "zh-hans")  # 届次,年度,类别,参加人数: CP932 has no 类 or 别
    data = text.encode("cp932", errors="replace")
    assert data.decode("cp932").splitlines()[0] == "届次,年度,??,参加人数"
    before = delegation_state()

    preview = check(steward, data, encoding="cp932", lang=lang)

    [message] = form_errors(preview)
    assert message.startswith(LOST_HEADERS[lang]) and message.endswith(FIX[lang])
    assert delegation_state() == before


def test_headers_saved_as_latin1_are_explained(known, steward):
    data = counts_export(steward, "ja").encode("latin-1", errors="replace")  # ???,??,??,????

    preview = check(steward, data, lang="ja")

    [message] = form_errors(preview)
    assert message.startswith(
        "見出し行の文字が失われています：「???」（A 列）, 「??」（B 列）, 「??」（C 列）, "
        "「????」（D 列）。"
    )
    assert "Latin-1" in message and message.endswith(FIX["ja"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_side_that_came_back_as_question_marks_is_explained(known, steward, lang):
    data = csv_bytes([[EDITION, "???", 61]], header=["edition", "side", "participant_count"])

    preview = check(steward, data, lang=lang)

    [message] = row_errors(preview)[(2, "side")]
    assert message.startswith(
        {"ja": "「???」は文字が失われています。", "zh-hans": "“???”丢失了字符"}[lang]
    )
    assert message.endswith(FIX[lang])


# --- the format is the file's, and a wrong one is named as a format ----------------------------

READ_AS_XLSX = {
    "ja": "「counts.csv」は CSV ファイルではなく XLSX ブックです。XLSX として読み込みました"
    "（XLSX では文字コードの指定は関係ありません）。",
    "zh-hans": "“counts.csv”是 XLSX 工作簿，不是 CSV 文件：已按 XLSX 读取（XLSX 与编码选择无关）。",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_renamed_csv_is_read_as_xlsx_and_said_so(known, steward, lang):
    data = xlsx_bytes([[EDITION, "japan", 61]], header=["edition", "side", "participant_count"])
    assert data.startswith(b"PK")

    # The browser chose CSV from the name, and the staff member left Shift_JIS from last time.
    preview = check(steward, data, "counts.csv", CSV, encoding="cp932", lang=lang)

    assert messages_of(preview) == [READ_AS_XLSX[lang]]
    assert READ_AS_XLSX[lang] in preview.content.decode()
    assert known.count("japan") == known.japan.participant_count  # a preview writes nothing
    confirm(steward, preview)
    assert known.count("japan") == 61


def test_csv_named_xlsx_is_read_as_csv_and_said_so(known, steward):
    data = csv_bytes([[EDITION, "japan", 61]], header=["edition", "side", "participant_count"])

    preview = check(steward, data, "counts.xlsx", XLSX, lang="zh-hans")
    confirm(steward, preview)

    assert messages_of(preview) == ["“counts.xlsx”是 CSV 文本，不是 XLSX 工作簿：已按 CSV 读取。"]
    assert known.count("japan") == 61


def ods_bytes():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return stream.getvalue()


WRONG_FORMATS = {
    "xls": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "counts.xls",
        "「counts.xls」は Excel 97–2003 ブック（.xls）で、インポートできません。",
    ),
    "utf-16": (
        "\ufeff開催回\t区分\t参加者数\r\n".encode("utf-16-le"),
        "counts.txt",
        "「counts.txt」は CSV ではなく UTF-16 のテキスト（Excel の「Unicode テキスト」）です。",
    ),
    "ods renamed csv": (
        ods_bytes(),
        "counts.csv",
        "このファイルは XLSX ではなく OpenDocument スプレッドシート（.ods、LibreOffice や WPS で"
        "作成）です。",
    ),
    "pdf": (b"%PDF-1.7\n", "counts.pdf", "「counts.pdf」は CSV でも XLSX でもありません。"),
    "image renamed csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06",
        "counts.csv",
        "「counts.csv」は CSV でも XLSX でもありません。",
    ),
}


@pytest.mark.parametrize("kind", list(WRONG_FORMATS))
def test_file_of_another_format_is_refused_naming_the_format(known, steward, kind):
    data, name, start = WRONG_FORMATS[kind]
    before = delegation_state()

    preview = check(steward, data, name, CSV)

    [message] = form_errors(preview)
    assert message.startswith(start)
    assert "文字コード" not in message.removeprefix(start)  # not told to change the encoding
    assert delegation_state() == before


# --- a refused file need not be picked again ---------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_refused_file_is_checked_again_with_the_right_encoding_without_picking_it(
    known, steward, lang
):
    data = csv_bytes([[EDITION, "日本側", "６１"]], encoding="cp932", header=JA_HEADER)
    refused = check(steward, data, encoding="utf-8-sig", lang=lang)
    assert form_errors(refused)  # not UTF-8
    offer = {"ja": "「counts.csv」をもう一度チェック", "zh-hans": "重新检查“counts.csv”"}[lang]
    assert offer in refused.content.decode()

    again = check(steward, None, encoding="cp932", lang=lang)  # no file chosen this time
    confirm(steward, again)

    assert known.count("japan") == 61


def test_refused_rows_are_checked_again_after_the_site_is_corrected(known, steward):
    Seminar.objects.filter(edition=NEW).update(edition=99)
    data = csv_bytes([[NEW, "japan", 12]], header=JA_HEADER)
    assert row_errors(check(steward, data))  # edition NEW does not exist (yet)
    Seminar.objects.filter(edition=99).update(edition=NEW)  # an editor corrects the site

    again = check(steward, None)
    confirm(steward, again)

    assert Delegation.objects.get(seminar__edition=NEW).participant_count == 12


def test_a_new_file_wins_over_the_kept_one(known, steward):
    check(steward, csv_bytes([[EDITION, "japan", 61]], header=JA_HEADER))

    preview = check(steward, csv_bytes([[EDITION, "japan", 62]], header=JA_HEADER))
    confirm(steward, preview)

    assert known.count("japan") == 62


@pytest.mark.parametrize(
    ("lang", "message"),
    [("ja", "このフィールドは必須です。"), ("zh-hans", "这个字段是必填项。")],
)
def test_no_file_and_nothing_kept_asks_for_a_file(known, steward, lang, message):
    preview = check(steward, None, lang=lang)

    assert preview.context["form"].errors["import_file"] == [message]


def test_kept_file_swept_is_no_longer_offered(known, steward, import_dir):
    check(steward, csv_bytes([[99, "japan", 61]], header=JA_HEADER))
    for path in import_dir.iterdir():
        path.unlink()  # swept after two hours

    preview = check(steward, None, lang="zh-hans")

    assert preview.context["form"].errors["import_file"] == ["这个字段是必填项。"]
    assert "重新检查" not in preview.content.decode()


def test_another_staff_members_kept_file_is_not_offered(known, steward, make_staff):
    check(steward, csv_bytes([[EDITION, "japan", 61]], header=JA_HEADER))
    other = Client()
    permissions = ("view_delegation", "import_delegation", "add_delegation", "change_delegation")
    other.force_login(make_staff(*permissions, username="other"))

    preview = check(other, None)

    assert "import_file" in preview.context["form"].errors
    assert known.count("japan") == known.japan.participant_count


SEEMS_CP932 = {
    "ja": "Shift_JIS (CP932) のようです。「Shift_JIS（CP932、日本語版 Excel）」を選んで",
    "zh-hans": "似乎是 Shift_JIS (CP932)：请选择“Shift_JIS（CP932，日文版 Excel）”",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_wrong_encoding_names_the_one_the_file_seems_to_be_in(known, steward, lang):
    data = csv_bytes([[EDITION, "日本側", "６１"]], encoding="cp932", header=JA_HEADER)

    refused = check(steward, data, encoding="utf-8-sig", lang=lang)

    [encoding, likely] = form_errors(refused)
    assert "UTF-8" in encoding
    assert likely.startswith(SEEMS_CP932[lang])
