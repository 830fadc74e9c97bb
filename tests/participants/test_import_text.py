"""Imports that cannot corrupt text: an import writes counts only, and a text cell that lost
characters, was read in the wrong encoding or was edited refuses the file with row and column."""

import io

import openpyxl
import pytest

from participants.imports.text import diagnose_text
from participants.models import Delegation

from .conftest import (
    COUNTS_ONLY,
    CSV,
    EXPORT_URL,
    FULL,
    XLSX,
    confirm,
    csv_bytes,
    delegation_state,
    export_form_data,
    row_errors,
    upload,
)

FULL_HEADER = [
    "edition",
    "fiscal_year",
    "city_ja",
    "city_zh_hans",
    "side",
    "participant_count",
    "description_ja",
    "description_zh_hans",
]
JAPAN_ZH = "日方地方政府相关人员等"
CHINA_ZH = "中方地方政府相关人员等"


@pytest.fixture
def steward(client, make_staff):
    """A data steward's permissions on delegations: view, export, import (adds and changes)."""
    client.force_login(
        make_staff(
            "view_delegation",
            "export_delegation",
            "import_delegation",
            "add_delegation",
            "change_delegation",
        )
    )
    return client


def site_export(client, layout=FULL, file_format=CSV):
    return client.post(EXPORT_URL, export_form_data(file_format, layout)).content


def saved_by_excel(exported, encoding, *changes):
    """The exported CSV as Excel on Windows saves it: a legacy encoding, "?" for what it lacks."""
    text = exported.decode("utf-8-sig")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text.encode(encoding, errors="replace")


LOST = {
    "ja": "「日方地方政府相?人?等」は文字が失われています（关, 员）。ファイルがそれらの文字を表せ"
    "ない文字コード（簡体字に対する Shift_JIS など）で保存されました。XLSX か「人数のみ」の"
    "レイアウトでエクスポートし、そのファイルをインポートしてください。",
    "zh-hans": "“日方地方政府相?人?等”丢失了字符（关, 员）：文件以无法表示这些字符的编码保存"
    "（例如用 Shift_JIS 保存简体中文）。请以 XLSX 或“仅人数”版式导出，再导入该文件。",
}


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_cp932_round_trip_of_full_export_is_refused_and_keeps_chinese(seed, steward, lang):
    data = saved_by_excel(site_export(steward), "cp932", (",日本側,59,", ",日本側,61,"))
    before = delegation_state()

    preview = upload(steward, data, encoding="cp932", lang=lang)

    errors = row_errors(preview)
    assert sorted(errors) == [
        (row, column) for row in (2, 3) for column in ("city_zh_hans", "description_zh_hans")
    ]
    assert errors[(2, "description_zh_hans")] == [LOST[lang]]
    assert "confirm_form" not in preview.context
    assert LOST[lang] in preview.content.decode()
    assert delegation_state() == before
    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_zh_hans) == (59, JAPAN_ZH)


def test_cp932_round_trip_of_counts_only_export_changes_only_counts(seed, steward):
    exported = site_export(steward, layout=COUNTS_ONLY)
    data = saved_by_excel(exported, "cp932", (",日本側,59", ",日本側,61"))
    assert "?" not in data.decode("cp932")  # the Japanese headers and sides survive CP932

    confirm(steward, upload(steward, data, encoding="cp932"))

    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_zh_hans) == (61, JAPAN_ZH)
    assert Delegation.objects.get(side="china").description_zh_hans == CHINA_ZH


def test_xlsx_round_trip_of_full_export_changes_counts_and_keeps_text(seed, steward):
    workbook = openpyxl.load_workbook(io.BytesIO(site_export(steward, file_format=XLSX)))
    sheet = workbook.active
    assert sheet["E2"].value == "日本側" and sheet["H2"].value == JAPAN_ZH
    sheet["F2"] = 61
    stream = io.BytesIO()
    workbook.save(stream)

    preview = upload(steward, stream.getvalue(), name="counts.xlsx", file_format=XLSX)
    confirm(steward, preview)

    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_zh_hans) == (61, JAPAN_ZH)


MISREAD = {
    "ja": "「柸梲巗」は Shift_JIS (CP932) で保存された「綿陽市」を GB18030 として読んだものです。"
    "文字コードに Shift_JIS (CP932) を選んで、もう一度アップロードしてください。",
    "zh-hans": "“柸梲巗”是以 Shift_JIS (CP932) 保存的“綿陽市”被按 GB18030 读取的结果。"
    "请将编码选为 Shift_JIS (CP932)，然后重新上传文件。",
}


MISREAD_HEADERS = {
    "ja": "見出し行は GB18030 として読まれた Shift_JIS (CP932) のテキストです。文字コードに "
    "Shift_JIS (CP932) を選んで、もう一度アップロードしてください。",
    "zh-hans": "标题行是被按 GB18030 读取的 Shift_JIS (CP932) 文本。请将编码选为 "
    "Shift_JIS (CP932)，然后重新上传文件。",
}


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_cp932_file_declared_as_gb18030_is_refused(seed, steward, lang):
    data = saved_by_excel(site_export(steward), "cp932")
    before = delegation_state()

    preview = upload(steward, data, encoding="gb18030", lang=lang)

    # The Japanese headers already tell the encoding apart: the file is refused at its header.
    assert list(preview.context["form"].non_field_errors()) == [MISREAD_HEADERS[lang]]
    assert "confirm_form" not in preview.context
    assert delegation_state() == before


def test_cp932_rows_declared_as_gb18030_are_refused_with_row_and_column(seed, steward):
    header = ["edition", "city_ja", "side", "participant_count"]
    data = csv_bytes([[17, "綿陽市", "japan", 61]], encoding="cp932", header=header)
    before = delegation_state()

    preview = upload(steward, data, encoding="gb18030", lang="ja")

    assert row_errors(preview) == {(2, "city_ja"): [MISREAD["ja"]]}
    assert delegation_state() == before


def test_gb18030_file_declared_as_cp932_is_refused(seed, steward):
    data = saved_by_excel(site_export(steward), "gb18030")
    before = delegation_state()

    preview = upload(steward, data, encoding="cp932", lang="zh-hans")

    # 绵 comes back from CP932 as a private-use character: no Shift_JIS text has one.
    errors = preview.context["form"].non_field_errors()
    assert list(errors) == ["该文件不是有效的 Shift_JIS (CP932) 文本。请选择文件保存时使用的编码。"]
    assert delegation_state() == before


EDITED = {
    "ja": "インポートでは説明は変更されません。このセルはサイトの「日本側の地方政府関係者等」と"
    "異なります。エクスポートしたままにするか、空欄にしてください。説明は代表団の編集ページで"
    "変更します。",
    "zh-hans": "导入不会修改说明，而此单元格与网站上的“日本側の地方政府関係者等”不同。请保持导出时"
    "的内容或留空；说明请在代表团的编辑页面修改。",
}


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_description_edited_in_the_file_is_refused_and_not_written(seed, steward, lang):
    data = saved_by_excel(site_export(steward), "utf-8-sig", ("日本側の地方", "日本側の地域"))
    before = delegation_state()

    preview = upload(steward, data, lang=lang)

    assert row_errors(preview) == {(2, "description_ja"): [EDITED[lang]]}
    assert delegation_state() == before


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "ja",
            "インポートでは説明は書き込まれません。サイトにはこの説明がまだないので、このセルは"
            "空欄にし、代表団の編集ページで説明を入力してください。",
        ),
        (
            "zh-hans",
            "导入不会写入说明，而网站上尚无此说明：请将此单元格留空，并在代表团的编辑页面填写说明。",
        ),
    ],
)
def test_new_delegation_with_a_description_is_refused(seed, steward, lang, message):
    header = ["edition", "side", "participant_count", "description_zh_hans"]
    data = csv_bytes([[16, "japan", 12, "赴沈阳代表团"]], header=header)

    preview = upload(steward, data, lang=lang)

    assert row_errors(preview) == {(2, "description_zh_hans"): [message]}
    assert not Delegation.objects.filter(seminar__edition=16).exists()


@pytest.mark.parametrize(
    ("lang", "column", "city", "message"),
    [
        ("ja", "city_ja", "瀋陽市", "第17回の開催地は「瀋陽市」ではなく綿陽市です。"),
        ("zh-hans", "city_zh_hans", "沈阳市", "第17届的举办城市是绵阳市，不是“沈阳市”。"),
    ],
)
def test_host_city_that_does_not_match_the_edition_is_refused(
    seed, steward, lang, column, city, message
):
    header = ["edition", column, "side", "participant_count"]
    before = delegation_state()

    preview = upload(steward, csv_bytes([[17, city, "japan", 61]], header=header), lang=lang)

    assert row_errors(preview) == {(2, column): [message]}
    assert delegation_state() == before


def test_replacement_characters_in_a_utf8_file_are_refused(seed, steward):
    damaged = JAPAN_ZH.replace("关", "\ufffd").replace("员", "\ufffd")
    header = ["edition", "side", "participant_count", "description_zh_hans"]

    preview = upload(steward, csv_bytes([[17, "japan", 61, damaged]], header=header), lang="ja")

    [message] = row_errors(preview)[(2, "description_zh_hans")]
    assert message.startswith(f"「{damaged}」は文字が失われています（关, 员）。")
    assert Delegation.objects.get(side="japan").participant_count == 59


def test_text_as_cp932_spells_it_is_not_a_difference(seed, steward):
    Delegation.objects.filter(side="japan").update(description_ja="9月〜10月の代表団")
    header = ["edition", "side", "participant_count", "description_ja"]
    data = csv_bytes([[17, "japan", 61, "9月〜10月の代表団"]], encoding="cp932", header=header)
    assert "9月～10月" in data.decode("cp932")  # CP932 has only the full-width tilde

    confirm(steward, upload(steward, data, encoding="cp932"))

    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_ja) == (61, "9月〜10月の代表団")


@pytest.mark.parametrize(
    ("value", "original", "expected"),
    [
        (JAPAN_ZH, JAPAN_ZH, ("same", None)),
        ("  日方地方政府相关人员等\r\n", JAPAN_ZH, ("same", None)),
        ("日方地方政府相?人?等", JAPAN_ZH, ("lost", "关员")),
        ("??市", "绵阳市", ("lost", "绵阳")),
        ("日方\ufffd\ufffd员等", JAPAN_ZH, ("lost", "地方政府相关人")),
        ("柸梲巗", "綿陽市", ("misread", ("Shift_JIS (CP932)", "GB18030"))),
        ("ﾖﾐｷｽ", "中方", ("misread", ("GB18030", "Shift_JIS (CP932)"))),
        ("～", "〜", ("same", None)),
        ("日方代表团", JAPAN_ZH, ("different", None)),
        ("日方地方政府相?人员", JAPAN_ZH, ("different", None)),
        ("?", "", ("different", None)),
    ],
)
def test_diagnose_text_tells_damage_misreading_and_edits_apart(value, original, expected):
    assert diagnose_text(value, original) == expected
