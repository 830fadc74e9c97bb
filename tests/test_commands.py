"""The management commands speak the staff member's language: --language, else the shell's."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from participants.exports import report_headers
from seminars.management.staff import shell_language
from tests.factories import make_edition

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_TW.UTF-8"}, "zh-hans"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C.UTF-8"}, "ja"),
        ({}, "ja"),
        ({"LANG": "ja_JP.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "zh_CN.UTF-8", "LANGUAGE": "ja"}, "ja"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "ja"),
    ],
)
def test_shell_language_is_read_as_gettext_reads_it(monkeypatch, environment, language):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)

    assert shell_language() == language


@pytest.mark.parametrize(
    ("language", "message"), [("ja", "公開ページを削除しました。"), ("zh-hans", "已清除公开页面。")]
)
def test_clear_pages_reports_in_the_language_asked_for(db, language, message):
    out = io.StringIO()

    call_command("clear_pages", language=language, stdout=out)

    assert out.getvalue().strip() == message


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", "0 枚の写真に Web 用サイズと縮小版を作成しました。"),
        ("zh-hans", "已为 0 张照片生成网页尺寸图片和缩略图。"),
    ],
)
def test_photo_renditions_reports_in_the_language_asked_for(db, language, message):
    out = io.StringIO()

    call_command("photo_renditions", language=language, stdout=out)

    assert out.getvalue().strip() == message


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", r"\d+ 件のファイルを \S+ に書き出しました。\n変更なし：0、削除：0。"),
        ("zh-hans", r"已将 \d+ 个文件写入 \S+。\n未变更：0，已删除：0。"),
    ],
)
def test_export_site_reports_in_the_language_asked_for_after_crawling_both(
    db, tmp_path, language, message
):
    """The copy renders pages in both languages; its report stays in the staff member's."""
    make_edition(5)
    out = io.StringIO()

    call_command("export_site", str(tmp_path / "copy"), language=language, stdout=out)

    assert re.fullmatch(message, out.getvalue().strip())
    assert (tmp_path / "copy" / "ja" / "index.html").exists()
    assert (tmp_path / "copy" / "zh-hans" / "index.html").exists()


def test_export_site_refuses_a_foreign_folder_in_chinese(db, tmp_path):
    (tmp_path / "notes.txt").write_text("not a copy")

    with pytest.raises(CommandError, match=r"不为空，且不包含之前导出的静态副本"):
        call_command("export_site", str(tmp_path), language="zh-hans", verbosity=0)

    assert (tmp_path / "notes.txt").read_text() == "not a copy"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ja", r"--format xlsx がファイル名 \S+report\.csv（\.csv）と一致しません"),
        ("zh-hans", r"--format xlsx 与文件名 \S+report\.csv（\.csv）不一致"),
    ],
)
def test_export_participants_errors_in_the_language_asked_for(db, tmp_path, language, message):
    target = tmp_path / "report.csv"

    with pytest.raises(CommandError, match=message):
        call_command(
            "export_participants", "-o", str(target), "--format", "xlsx", language=language
        )

    assert not target.exists()


def test_export_participants_writes_the_report_in_the_shells_language(db, tmp_path, monkeypatch):
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    target = tmp_path / "report.csv"

    call_command("export_participants", "-o", str(target))

    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == [str(label) for label in report_headers("zh-hans")]


@pytest.mark.parametrize(
    ("lang", "description", "option_help"),
    [
        ("zh_CN.UTF-8", "删除所有已保存的公开页面", "默认使用命令行环境的语言"),
        ("ja_JP.UTF-8", "保存済みの公開ページをすべて削除します", "省略時はシェルの言語"),
    ],
)
def test_help_is_in_the_shells_language(lang, description, option_help):
    environment = {**os.environ, "LANG": lang, "DJANGO_DEBUG": "1"}
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        environment.pop(variable, None)

    result = subprocess.run(
        [sys.executable, "manage.py", "clear_pages", "--help"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert description in result.stdout
    assert option_help in " ".join(result.stdout.split())
