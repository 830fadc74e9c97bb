"""Importing delegation counts through the admin: encodings, row errors, all or nothing."""

import pytest

from participants.models import Delegation

from .conftest import (
    DESCRIPTIONS,
    EDITION,
    HEADER,
    IMPORT_URL,
    NEW,
    OTHERS,
    csv_bytes,
    delegation_state,
    form_errors,
    row_errors,
)

GOOD_ROWS = [
    [EDITION, "japan", 60, *DESCRIPTIONS["japan"]],
    [EDITION, "china", 90, *DESCRIPTIONS["china"]],
    [NEW, "japan", 12, "", ""],  # new: an import writes no description
]

BAD_ROWS = [
    [EDITION, "japan", 61, "", ""],  # row 2: valid, must not be written either
    [99, "japan", 5, "", ""],  # row 3: unknown edition
    [EDITION, "mars", 5, "", ""],  # row 4: unknown side
    [EDITION, "china", -3, "", ""],  # row 5: negative
    [NEW, "japan", "2.5", "", ""],  # row 6: fractional
    [NEW, "china", "abc", "", ""],  # row 7: not a number
    [OTHERS[1], "japan", "５９人", "", ""],  # row 8: full-width, but not only digits
    [OTHERS[0], "japan", 1, "", ""],  # row 9
    [OTHERS[0], "japan", 2, "", ""],  # row 10: duplicate of row 9
]

# (row, column): (the Japanese message, the Chinese one)
BAD_ROW_ERRORS = {
    (3, "edition"): ("第99回のセミナーはありません。", "不存在第99届研讨会。"),
    (4, "side"): (
        "不明な側「mars」です。日本側 / 中国側 のいずれかを入力してください。",
        "未知的所属方“mars”：请填写 日方 / 中方。",
    ),
    (5, "participant_count"): (
        "「-3」は負の数です。人数は 0 以上で入力してください。",
        "“-3”是负数；人数必须大于或等于 0。",
    ),
    (6, "participant_count"): ("「2.5」は整数ではありません。", "“2.5”不是整数。"),
    (7, "participant_count"): ("「abc」は数値ではありません。", "“abc”不是数字。"),
    (8, "participant_count"): ("「５９人」は数値ではありません。", "“５９人”不是数字。"),
    (10, "side"): (
        f"第{OTHERS[0]}回・日本側の行は 9 行目にもあります。",
        f"第{OTHERS[0]}届、日方的数据已在第 9 行出现。",
    ),
}
EXPECTED_ERRORS = {
    lang: {key: [messages[index]] for key, messages in BAD_ROW_ERRORS.items()}
    for index, lang in enumerate(["ja", "zh-hans"])
}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932", "gb18030"])
def test_import_csv_in_each_encoding_writes_counts_after_confirm(known, importer, encoding):
    chosen = "utf-8-sig" if encoding.startswith("utf-8") else encoding
    # Japanese Excel's CP932 cannot hold simplified Chinese: its file has no Chinese column.
    width = 4 if encoding == "cp932" else 5
    rows = [row[:width] for row in GOOD_ROWS]
    data = csv_bytes(rows, encoding=encoding, header=HEADER[:width])

    preview = importer.upload(data, encoding=chosen)
    assert preview.context["form"].errors == {}
    assert known.count("japan") == known.japan.participant_count != 60
    done = importer.confirm(preview)

    assert done.status_code == 302
    japan = Delegation.objects.get(seminar__edition=EDITION, side="japan")
    assert japan.participant_count == 60
    assert (japan.description_ja, japan.description_zh_hans) == DESCRIPTIONS["japan"]
    new = Delegation.objects.get(seminar__edition=NEW, side="japan")
    assert (new.participant_count, new.description_ja, new.description_zh_hans) == (12, "", "")


def test_import_preview_shows_new_and_updated_rows(known, importer):
    preview = importer.upload_rows(GOOD_ROWS)

    result = preview.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["update", "update", "new"]
    assert "confirm_form" in preview.context


def test_import_xlsx_writes_counts_after_confirm(known, importer):
    preview = importer.upload_rows(GOOD_ROWS, "xlsx")
    importer.confirm(preview)

    assert known.count("china") == 90
    assert Delegation.objects.filter(seminar__edition=NEW).count() == 1


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_import_bad_rows_reports_row_and_column_and_writes_nothing(known, importer, lang):
    before = delegation_state()

    preview = importer.upload_rows(BAD_ROWS, lang=lang)

    assert row_errors(preview) == EXPECTED_ERRORS[lang]
    assert "confirm_form" not in preview.context
    assert delegation_state() == before


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_import_bad_xlsx_rows_reports_fraction_and_full_width(known, importer, lang):
    rows = [
        [EDITION, "japan", 2.5, "", ""],
        [EDITION, "china", "５９．５", "", ""],
        [NEW, "japan", -1, "", ""],
    ]
    before = delegation_state()

    preview = importer.upload_rows(rows, "xlsx", lang)

    errors = row_errors(preview)
    assert sorted(errors) == [(row, "participant_count") for row in (2, 3, 4)]
    expected = {"ja": "「2.5」は整数ではありません。", "zh-hans": "“2.5”不是整数。"}[lang]
    assert errors[(2, "participant_count")] == [expected]
    expected = {"ja": "「５９．５」は整数ではありません。", "zh-hans": "“５９．５”不是整数。"}[lang]
    assert errors[(3, "participant_count")] == [expected]
    assert delegation_state() == before


def test_import_bad_rows_errors_are_rendered_on_the_page(known, importer):
    preview = importer.upload_rows(BAD_ROWS, lang="zh-hans")

    html = preview.content.decode()
    assert "不存在第99届研讨会。" in html
    # Columns as the export heads them, with their letters; no machine names.
    assert "<strong>参加人数（第 C 列）</strong>" in html
    assert "<th>届次</th>" in html and "<th>类别</th>" in html
    assert "participant_count" not in html


# (saved in, chosen on the form): (the staff language, the refusal)
WRONG_ENCODINGS = {
    ("cp932", "utf-8-sig"): ("ja", "このファイルは UTF-8 のテキストとして正しくありません。"),
    ("gb18030", "utf-8-sig"): ("zh-hans", "该文件不是有效的 UTF-8 文本。"),
    ("utf-8", "cp932"): ("ja", "このファイルは Shift_JIS (CP932) ではなく UTF-8 のテキストです。"),
    ("utf-8-sig", "gb18030"): ("zh-hans", "该文件是 UTF-8 文本，不是 GB18030。请选择“UTF-8”。"),
}


@pytest.mark.parametrize(("encoding", "chosen"), list(WRONG_ENCODINGS))
def test_import_file_in_another_encoding_is_refused_naming_it(known, importer, encoding, chosen):
    lang, message = WRONG_ENCODINGS[encoding, chosen]
    before = delegation_state()

    rows = [row[:4] for row in GOOD_ROWS]
    data = csv_bytes(rows, encoding=encoding, header=HEADER[:4])

    preview = importer.upload(data, encoding=chosen, lang=lang)

    errors = form_errors(preview)
    assert message in errors[0]
    if encoding == "gb18030":  # only GB18030 reads it: named
        assert errors[1].startswith("似乎是 GB18030：请选择“GB18030（中文版 Excel）”")
    else:  # UTF-8 (named already), or CP932 with headers that any encoding reads alike
        assert len(errors) == 1
    assert "result" not in preview.context
    assert delegation_state() == before


@pytest.mark.parametrize(
    ("header", "lang", "message"),
    [
        (["edition", "side"], "ja", "必須の列がありません：参加者数。"),
        (["edition", "side"], "zh-hans", "缺少必需的列：参加人数。"),
        (
            ["edition", "side", "participant_count", "count2"],
            "ja",
            "不明な列「count2」があります（D 列、1 行目）。",
        ),
        (
            ["edition", "side", "participant_count", "count2"],
            "zh-hans",
            "存在未知的列“count2”（第 D 列，第 1 行）。",
        ),
    ],
)
def test_import_missing_or_unknown_column_is_refused(known, importer, header, lang, message):
    rows = [[EDITION, "japan", 1, 2][: len(header)]]
    before = delegation_state()

    preview = importer.upload(csv_bytes(rows, header=header), lang=lang)

    assert message in form_errors(preview)
    assert delegation_state() == before


def test_import_same_file_twice_changes_nothing_the_second_time(known, importer):
    data = csv_bytes(GOOD_ROWS)
    importer.confirm(importer.upload(data))
    after_first = delegation_state()

    preview = importer.upload(data)
    result = preview.context["result"]
    importer.confirm(preview)

    assert [row.import_type for row in result.valid_rows()] == ["skip", "skip", "skip"]
    assert delegation_state() == after_first


def test_import_confirm_step_is_all_or_nothing(known, importer):
    from seminars.models import Seminar

    before = delegation_state()
    preview = importer.upload_rows(GOOD_ROWS)
    # Between preview and confirm, edition NEW disappears (renumbered by someone else).
    Seminar.objects.filter(edition=NEW).update(edition=99)

    done = importer.confirm(preview, lang="ja")

    assert done.status_code == 302
    assert done["Location"] == IMPORT_URL  # where the kept file can be checked again
    assert delegation_state() == before
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == [
        "インポートは行われませんでした。ファイルがチェックを通らなくなっています。"
        "ファイルはサーバーに保管されているので、サイトを修正してからもう一度チェックするか、"
        "修正したファイルをアップロードしてください。",
        f"4行目・開催回（A 列）：第{NEW}回のセミナーはありません。",  # where, and why
    ]


def test_import_refused_at_confirm_is_checked_again_after_the_site_is_corrected(known, importer):
    from seminars.models import Seminar

    preview = importer.upload_rows(GOOD_ROWS)
    Seminar.objects.filter(edition=NEW).update(edition=99)
    importer.confirm(preview)
    Seminar.objects.filter(edition=99).update(edition=NEW)  # the site is corrected

    page = importer.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    again = importer.post(
        IMPORT_URL,
        {"resource": "0", "format": "", "encoding": "utf-8-sig", "use_kept": "1"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    importer.confirm(again)

    assert "「counts.csv」をもう一度チェック" in page
    assert known.count("japan") == 60
    assert Delegation.objects.filter(seminar__edition=NEW).count() == 1


def test_import_fiscal_year_that_contradicts_the_edition_is_an_error(known, importer):
    header = ["edition", "fiscal_year", "side", "participant_count"]
    year = known.seminar.fiscal_year
    preview = importer.upload(csv_bytes([[EDITION, year - 1, "japan", 5]], header=header))

    assert row_errors(preview) == {
        (2, "fiscal_year"): [f"第{EDITION}回は {year - 1} 年度ではなく {year} 年度の開催です。"]
    }


def test_import_accepts_side_labels_and_blank_lines(known, importer):
    rows = [[EDITION, "日本側", 61, "", ""], ["", "", "", "", ""], [EDITION, "中方", 89, "", ""]]

    importer.confirm(importer.upload(csv_bytes(rows)))

    counts = dict(
        Delegation.objects.filter(seminar__edition=EDITION).values_list("side", "participant_count")
    )
    assert counts == {"japan": 61, "china": 89}


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "ja",
            [
                "インポートで変更されるのは参加者数だけです",
                "ファイルは 1 MB、1000 行、1 セル 1000 文字まで。",
                "Excel で編集したファイルは XLSX が安全です",
            ],
        ),
        (
            "zh-hans",
            [
                "导入只会修改参加人数",
                "文件最大 1 MB、1000 行，每个单元格最多 1000 个字符。",
                "在 Excel 中编辑过的文件，使用 XLSX 最为安全",
            ],
        ),
    ],
)
def test_import_page_explains_what_is_written_and_the_limits(importer, lang, texts):
    html = importer.get(IMPORT_URL, HTTP_ACCEPT_LANGUAGE=lang).content.decode()

    assert all(text in html for text in texts)


def test_import_form_offers_encodings_in_both_languages(importer):
    ja = importer.get("/admin/participants/delegation/import/", HTTP_ACCEPT_LANGUAGE="ja")
    zh = importer.get("/admin/participants/delegation/import/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert ja.context["form"].fields["encoding"].initial == "utf-8-sig"
    assert (
        "文字コード" in ja.content.decode() and "GB18030（中国語版 Excel）" in ja.content.decode()
    )
    assert (
        "编码" in zh.content.decode() and "Shift_JIS（CP932，日文版 Excel）" in zh.content.decode()
    )


def test_import_confirm_after_the_temporary_file_is_gone_asks_to_upload_again(
    known, importer, import_dir
):
    preview = importer.upload_rows(GOOD_ROWS)
    name = preview.context["confirm_form"].initial["import_file_name"]
    (import_dir / name).unlink()
    before = delegation_state()

    done = importer.confirm(preview, lang="zh-hans")

    assert done.status_code == 302
    assert done["Location"] == "/admin/participants/delegation/import/"
    assert [str(m) for m in done.wsgi_request._messages] == ["上传的文件已不可用，请重新上传。"]
    assert delegation_state() == before


def test_import_confirm_by_get_is_not_allowed(importer):
    assert importer.get("/admin/participants/delegation/process_import/").status_code == 405


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "インポートが完了しました：新規 1、更新 2、削除 0、スキップ 0（代表団）。"),
        # django-import-export's own Chinese catalog has this one.
        ("zh-hans", "导入成功，新增1条记录，更新2条记录，删除0条记录，忽略0条记录。"),
    ],
)
def test_import_success_message_in_the_staff_language(known, importer, lang, message):
    done = importer.confirm(importer.upload_rows(GOOD_ROWS, lang=lang), lang=lang)

    assert [str(m) for m in done.wsgi_request._messages] == [message]


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("ja", "エラーがあります。何もインポートされていません"),
        ("zh-hans", "发现错误：未导入任何数据"),
    ],
)
def test_import_error_page_headings_in_both_languages(known, importer, lang, heading):
    preview = importer.upload_rows(BAD_ROWS, lang=lang)

    html = preview.content.decode()
    assert heading in html
    column = {"ja": "開催回（A 列）", "zh-hans": "届次（第 A 列）"}[lang]
    assert f"<strong>{column}</strong>:" in html
    assert EXPECTED_ERRORS[lang][(3, "edition")][0] in html


@pytest.mark.parametrize(
    ("separator", "lang", "message"),
    [
        (
            ";",
            "ja",
            "このファイルの列はカンマではなくセミコロン（;）で区切られています。"
            "Excel で「CSV UTF-8 (コンマ区切り)」または XLSX として保存し、"
            "もう一度インポートしてください。",
        ),
        (
            "\t",
            "zh-hans",
            "此文件的列以制表符分隔，而不是逗号。"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 XLSX，然后重新导入。",
        ),
    ],
)
def test_import_wrong_separator_is_named(known, importer, separator, lang, message):
    text = (
        separator.join(["開催回", "区分", "参加者数"])
        + "\r\n"
        + separator.join([str(EDITION), "日本側", "61"])
    )
    before = delegation_state()

    preview = importer.upload(text.encode("utf-8-sig"), lang=lang)

    assert form_errors(preview) == [message]
    assert delegation_state() == before


def test_import_extra_cell_names_its_row(known, importer):
    data = csv_bytes([[EDITION, "japan", 61], [EDITION, "china", 90, "extra"]], header=HEADER[:3])

    preview = importer.upload(data, lang="ja")

    errors = form_errors(preview)
    assert errors == ["3 行目の D 列に値がありますが、その列には見出しがありません。"], errors
    assert known.count("japan") == known.japan.participant_count


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_import_reads_headers_and_sides_in_either_language(known, importer, lang):
    header = ["届次", "类别", "参加人数"] if lang == "ja" else ["開催回", "区分", "参加者数"]
    side = "日方" if lang == "ja" else "日本側"
    importer.confirm(importer.upload(csv_bytes([[EDITION, side, 64]], header=header), lang=lang))

    assert known.count("japan") == 64
