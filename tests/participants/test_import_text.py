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
    DESCRIPTIONS,
    EDITION,
    EXPORT_URL,
    FULL,
    NEW,
    XLSX,
    confirm,
    csv_bytes,
    delegation_state,
    export_form_data,
    form_errors,
    row_errors,
    upload,
)

JAPAN_ZH = DESCRIPTIONS["japan"][1]  # "日方代表团成员": CP932 has neither 团 nor 员
CHINA_ZH = DESCRIPTIONS["china"][1]
LANGUAGES = ["ja", "zh-hans"]


def site_export(client, layout=FULL, file_format=CSV):
    return client.post(EXPORT_URL, export_form_data(file_format, layout)).content


def saved_by_excel(exported, encoding, *changes):
    """The exported CSV as Excel on Windows saves it: a legacy encoding, "?" for what it lacks."""
    text = exported.decode("utf-8-sig")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return text.encode(encoding, errors="replace")


def japan_count_change(known, count):
    """The export's japan row with its count changed to `count`."""
    return (f",日本側,{known.japan.participant_count},", f",日本側,{count},")


# Why a text cell refuses its row, in the staff language: (Japanese, Chinese).
REFUSALS = {
    "lost": (
        "「日方代表?成?」は文字が失われています（团, 员）。ファイルがそれらの文字を表せ"
        "ない文字コード（簡体字に対する Shift_JIS など）で保存されました。XLSX か「人数のみ」の"
        "レイアウトでエクスポートし、そのファイルをインポートしてください。",
        "“日方代表?成?”丢失了字符（团, 员）：文件以无法表示这些字符的编码保存"
        "（例如用 Shift_JIS 保存简体中文）。请以 XLSX 或“仅人数”版式导出，再导入该文件。",
    ),
    "edited": (
        f"インポートでは説明は変更されません。このセルはサイトの「{DESCRIPTIONS['japan'][0]}」と"
        "異なります。エクスポートしたままにするか、空欄にしてください。説明は代表団の編集ページで"
        "変更します。",
        f"导入不会修改说明，而此单元格与网站上的“{DESCRIPTIONS['japan'][0]}”不同。请保持导出时"
        "的内容或留空；说明请在代表团的编辑页面修改。",
    ),
}


def refusal(kind, lang):
    return REFUSALS[kind][LANGUAGES.index(lang)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cp932_round_trip_of_full_export_is_refused_and_keeps_chinese(known, steward, lang):
    data = saved_by_excel(site_export(steward), "cp932", japan_count_change(known, 61))
    before = delegation_state()

    preview = upload(steward, data, encoding="cp932", lang=lang)

    errors = row_errors(preview)
    assert sorted(errors) == [
        (row, column) for row in (2, 3) for column in ("city_zh_hans", "description_zh_hans")
    ]
    assert errors[(2, "description_zh_hans")] == [refusal("lost", lang)]
    assert "confirm_form" not in preview.context
    assert refusal("lost", lang) in preview.content.decode()
    assert delegation_state() == before
    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_zh_hans) == (
        known.japan.participant_count,
        JAPAN_ZH,
    )


def test_cp932_round_trip_of_counts_only_export_changes_only_counts(known, steward):
    exported = site_export(steward, layout=COUNTS_ONLY)
    change = (f",日本側,{known.japan.participant_count}", ",日本側,61")
    data = saved_by_excel(exported, "cp932", change)
    assert "?" not in data.decode("cp932")  # the Japanese headers and sides survive CP932

    confirm(steward, upload(steward, data, encoding="cp932"))

    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_zh_hans) == (61, JAPAN_ZH)
    assert Delegation.objects.get(side="china").description_zh_hans == CHINA_ZH


def test_xlsx_round_trip_of_full_export_changes_counts_and_keeps_text(known, steward):
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


MISREAD_HEADERS = {
    "ja": "見出し行は GB18030 として読まれた Shift_JIS (CP932) のテキストです。文字コードに "
    "Shift_JIS (CP932) を選んで、もう一度アップロードしてください。",
    "zh-hans": "标题行是被按 GB18030 读取的 Shift_JIS (CP932) 文本。请将编码选为 "
    "Shift_JIS (CP932)，然后重新上传文件。",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cp932_file_declared_as_gb18030_is_refused(known, steward, lang):
    data = saved_by_excel(site_export(steward), "cp932")
    before = delegation_state()

    preview = upload(steward, data, encoding="gb18030", lang=lang)

    # The Japanese headers already tell the encoding apart: the file is refused at its header.
    assert form_errors(preview) == [MISREAD_HEADERS[lang]]
    assert delegation_state() == before


def test_cp932_rows_declared_as_gb18030_are_refused_with_row_and_column(known, steward):
    city = known.seminar.city.name_ja
    misread = city.encode("cp932").decode("gb18030")  # テスト市 → 僥僗僩巗
    header = ["edition", "city_ja", "side", "participant_count"]
    data = csv_bytes([[EDITION, city, "japan", 61]], encoding="cp932", header=header)
    before = delegation_state()

    preview = upload(steward, data, encoding="gb18030", lang="ja")

    assert row_errors(preview) == {
        (2, "city_ja"): [
            f"「{misread}」は Shift_JIS (CP932) で保存された「{city}」を GB18030 として"
            "読んだものです。文字コードに Shift_JIS (CP932) を選んで、もう一度アップロードして"
            "ください。"
        ]
    }
    assert misread != city
    assert delegation_state() == before


def test_gb18030_file_declared_as_cp932_is_refused(known, steward):
    data = saved_by_excel(site_export(steward), "gb18030")
    before = delegation_state()

    preview = upload(steward, data, encoding="cp932", lang="zh-hans")

    # The Chinese texts come back from CP932 with characters no Shift_JIS text has.
    assert form_errors(preview) == [
        "该文件不是有效的 Shift_JIS (CP932) 文本。请选择文件保存时使用的编码。",
        "似乎是 GB18030：请选择“GB18030（中文版 Excel）”后重新检查（文件已保存，无需重新选择）。",
    ]
    assert delegation_state() == before


@pytest.mark.parametrize("lang", LANGUAGES)
def test_description_edited_in_the_file_is_refused_and_not_written(known, steward, lang):
    edit = (DESCRIPTIONS["japan"][0], DESCRIPTIONS["japan"][0] + "（修正）")
    data = saved_by_excel(site_export(steward), "utf-8-sig", edit)
    before = delegation_state()

    preview = upload(steward, data, lang=lang)

    assert row_errors(preview) == {(2, "description_ja"): [refusal("edited", lang)]}
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
def test_new_delegation_with_a_description_is_refused(known, steward, lang, message):
    header = ["edition", "side", "participant_count", "description_zh_hans"]
    data = csv_bytes([[NEW, "japan", 12, "赴沈阳代表团"]], header=header)

    preview = upload(steward, data, lang=lang)

    assert row_errors(preview) == {(2, "description_zh_hans"): [message]}
    assert not Delegation.objects.filter(seminar__edition=NEW).exists()


# lang: (the column, a city that is not the edition's, the refusal with {city} the edition's)
WRONG_CITY = {
    "ja": ("city_ja", "瀋陽市", "第{edition}回の開催地は「瀋陽市」ではなく{city}です。"),
    "zh-hans": ("city_zh_hans", "沈阳市", "第{edition}届的举办城市是{city}，不是“沈阳市”。"),
}


@pytest.mark.parametrize("lang", list(WRONG_CITY))
def test_host_city_that_does_not_match_the_edition_is_refused(known, steward, lang):
    column, city, message = WRONG_CITY[lang]
    site_city = getattr(known.seminar.city, column.replace("city", "name"))
    header = ["edition", column, "side", "participant_count"]
    before = delegation_state()

    preview = upload(steward, csv_bytes([[EDITION, city, "japan", 61]], header=header), lang=lang)

    assert row_errors(preview) == {(2, column): [message.format(edition=EDITION, city=site_city)]}
    assert delegation_state() == before


def test_replacement_characters_in_a_utf8_file_are_refused(known, steward):
    damaged = JAPAN_ZH.replace("团", "\ufffd").replace("员", "\ufffd")
    header = ["edition", "side", "participant_count", "description_zh_hans"]

    preview = upload(
        steward, csv_bytes([[EDITION, "japan", 61, damaged]], header=header), lang="ja"
    )

    [message] = row_errors(preview)[(2, "description_zh_hans")]
    assert message.startswith(f"「{damaged}」は文字が失われています（团, 员）。")
    assert known.count("japan") == known.japan.participant_count


def test_text_as_cp932_spells_it_is_not_a_difference(known, steward):
    Delegation.objects.filter(side="japan").update(description_ja="9月〜10月の代表団")
    header = ["edition", "side", "participant_count", "description_ja"]
    data = csv_bytes([[EDITION, "japan", 61, "9月〜10月の代表団"]], encoding="cp932", header=header)
    assert "9月～10月" in data.decode("cp932")  # CP932 has only the full-width tilde

    confirm(steward, upload(steward, data, encoding="cp932"))

    japan = Delegation.objects.get(side="japan")
    assert (japan.participant_count, japan.description_ja) == (61, "9月〜10月の代表団")


@pytest.mark.parametrize(
    ("value", "original", "expected"),
    [
        (JAPAN_ZH, JAPAN_ZH, ("same", None)),
        (f"  {JAPAN_ZH}\r\n", JAPAN_ZH, ("same", None)),
        ("日方代表?成?", JAPAN_ZH, ("lost", "团员")),
        ("??市", "沈阳市", ("lost", "沈阳")),
        ("日\ufffd\ufffd成员", JAPAN_ZH, ("lost", "方代表团")),
        ("僥僗僩巗", "テスト市", ("misread", ("Shift_JIS (CP932)", "GB18030"))),
        ("ﾖﾐｷｽ", "中方", ("misread", ("GB18030", "Shift_JIS (CP932)"))),
        ("～", "〜", ("same", None)),
        ("日方代表团", JAPAN_ZH, ("different", None)),
        ("日方代表?成", JAPAN_ZH, ("different", None)),
        ("?", "", ("different", None)),
    ],
)
def test_diagnose_text_tells_damage_misreading_and_edits_apart(value, original, expected):
    assert diagnose_text(value, original) == expected
