"""The admin pages of django-axes, django-simple-history and django-import-export read in
Japanese and Chinese: thirdparty/locale completes the catalogs these packages ship without."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import axes
import import_export
import polib
import pytest
import simple_history
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parent.parent
THIRDPARTY = ROOT / "thirdparty" / "locale"

# Text each language must show, and the English it replaces.
INDEX = {
    "ja": ["アクセス試行", "アクセス失敗", "アクセスログ"],
    "zh-hans": ["访问尝试", "访问失败", "访问日志"],
}
INDEX_ENGLISH = ["Access attempts", "Access failures", "Access logs"]
# The edition's history page (seminars/templates/admin/seminars/seminar/edition_history.html)
# uses simple-history's "Changed by" and Django's own words beside ours.
HISTORY = {
    "ja": ["履歴", "日付/時刻", "変更者", "変更内容", "1 件"],
    "zh-hans": ["历史", "日期/时间", "修改人", "变更内容", "1 条"],
}
HISTORY_ENGLISH = ["Changed by", "Change reason", "Changes", "Date/time", "revert to a previous"]
IMPORT = {
    "ja": ["インポートするファイル", "次の列をインポートします：", "形式"],
    "zh-hans": ["要导入的文件", "将导入以下字段：", "格式"],
}
IMPORT_PREVIEW = {
    "ja": ["「インポートを確定」をクリック", "プレビュー", "更新"],
    "zh-hans": ["请点击“确认导入”", "预览", "更新"],
}
EXPORT = {
    "ja": ["次の列をエクスポートします：", "すべて選択", "形式"],
    "zh-hans": ["将导出以下字段：", "全选", "格式"],
}
IMPORT_EXPORT_ENGLISH = [
    "File to import",
    "This importer will import",
    "This exporter will export",
    "Select all",
    "Confirm import",
]


def page(client, language, url, **kwargs):
    client.cookies["django_language"] = language
    method = client.post if "data" in kwargs else client.get
    response = method(url, **kwargs)
    assert response.status_code == 200, url
    assert response.headers["Content-Language"] == language
    return response.content.decode()


def assert_translated(html, expected, english):
    """Every expected translation is on the page and none of the English it replaces."""
    assert [text for text in expected if text not in html] == []
    assert [text for text in english if text in html] == []


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_admin_index_names_the_axes_models(admin_client_ja, language):
    html = page(admin_client_ja, language, "/admin/")
    assert_translated(html, INDEX[language], INDEX_ENGLISH)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", ["試行日時", "ロックアウト中", "はい", "いいえ"]),
        ("zh-hans", ["尝试时间", "已锁定", "是", "否"]),
    ],
)
def test_axes_changelist_filters(admin_client_ja, language, expected):
    html = page(admin_client_ja, language, "/admin/axes/accessattempt/")
    assert_translated(html, expected, ["Attempt Time", "Locked Out", "Access attempts"])


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_seminar_history_page(admin_client_ja, edition, superuser, language):
    from seminars.record.history import KINDS

    for kind in KINDS:  # the one change below is the edition's whole history ("1 件")
        kind.history.objects.all().delete()
    edition._history_user = superuser
    edition._change_reason = "test"
    edition.save()
    html = page(admin_client_ja, language, f"/admin/seminars/seminar/{edition.pk}/history/")
    assert_translated(html, HISTORY[language], HISTORY_ENGLISH)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", ["戻すものはありません", "戻さないもの", "変更履歴に戻る"]),
        ("zh-hans", ["没有需要恢复的内容", "不会恢复的内容", "返回变更历史"]),
    ],
)
def test_seminar_history_revert_page(admin_client_ja, edition, language, expected):
    edition.save()
    record = edition.history.latest()
    url = f"/admin/seminars/seminar/{edition.pk}/history/{record.history_id}/"
    html = page(admin_client_ja, language, url)
    for text in expected:
        assert text in html
    assert "Press the 'Revert' button" not in html
    assert 'value="Revert"' not in html


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_import_page(admin_client_ja, language):
    html = page(admin_client_ja, language, "/admin/participants/delegation/import/")
    assert_translated(html, IMPORT[language], IMPORT_EXPORT_ENGLISH)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_import_preview(admin_client_ja, edition, language):
    japan = edition.delegations.get(side="japan").participant_count
    csv = f"edition,side,participant_count\n{edition.edition},japan,{japan + 1}\n"  # an update
    upload = SimpleUploadedFile("delegations.csv", csv.encode(), "text/csv")
    data = {"import_file": upload, "format": "0", "encoding": "utf-8-sig", "resource": "0"}
    html = page(admin_client_ja, language, "/admin/participants/delegation/import/", data=data)
    assert_translated(html, IMPORT_PREVIEW[language], [*IMPORT_EXPORT_ENGLISH, "Preview"])


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_export_page(admin_client_ja, edition, language):
    html = page(admin_client_ja, language, "/admin/participants/delegation/export/")
    assert_translated(html, EXPORT[language], IMPORT_EXPORT_ENGLISH)


def source_msgids(tmp_path):
    """Every msgid in the three packages' source, extracted the way `makemessages` does it."""
    for package in (axes, simple_history, import_export):
        folder = Path(package.__file__).parent
        shutil.copytree(folder, tmp_path / folder.name, ignore=shutil.ignore_patterns("locale"))
    (tmp_path / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [django_admin, "makemessages", "-l", "ja", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    catalog = polib.pofile(str(tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in catalog}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogs_cover_every_string_in_the_packages(tmp_path):
    extracted = source_msgids(tmp_path)
    assert len(extracted) > 90
    for folder in ["ja", "zh_Hans"]:
        path = THIRDPARTY / folder / "LC_MESSAGES" / "django.po"
        ours = {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path))}
        assert extracted - ours == set(), folder


@pytest.mark.parametrize(
    ("language", "app_name"), [("ja", "ログイン保護 (Axes)"), ("zh-hans", "登录保护 (Axes)")]
)
def test_axes_app_has_a_translated_name(admin_client_ja, language, app_name):
    assert app_name in page(admin_client_ja, language, "/admin/")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/seminars/seminar/",
        "/admin/seminars/seminar/{pk}/change/",
        "/admin/participants/delegation/",
        "/admin/auth/user/add/",
        "/admin/password_change/",
    ],
)
def test_chinese_admin_never_falls_back_to_japanese(admin_client_ja, edition, url):
    # A string missing from a zh_Hans catalog is looked up in LANGUAGE_CODE's (ja) next.
    import re

    html = page(admin_client_ja, "zh-hans", url.format(pk=edition.pk))
    # The content itself is bilingual by design: only the interface is checked (no form values).
    interface = re.sub(
        r'value="[^"]*"|<textarea[^>]*>[^<]*</textarea>|<option[^>]*>[^<]*</option>', "", html
    )
    interface = re.sub(
        r"<(a|td|th)[^>]*>[^<]*</\1>",
        lambda m: "" if "field-" in m.group(0) else m.group(0),
        interface,
    )
    kana = sorted(set(re.findall(r"[\u3040-\u30ff]+", interface)))
    assert kana == []


def test_admin_javascript_catalog_in_chinese_has_no_japanese(admin_client_ja):
    import re

    admin_client_ja.cookies["django_language"] = "zh-hans"
    escaped = admin_client_ja.get("/admin/jsi18n/").content.decode()
    # The catalog is JSON with \uXXXX escapes.
    script = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), escaped)
    assert "全选" in script and "删除全部" in script
    assert re.findall(r"[\u3040-\u30ff]+", script) == []
