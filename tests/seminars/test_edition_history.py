"""The edition's history page and its restore to a point, through the admin as staff use them.

The edition is saved through its admin page by a Japanese and a Chinese editor, a delegation
through its own page; the history reads in either admin language; a restore brings back a
deleted agenda item (id, values, speaker link); a translator's restore that would move a date
is refused and writes nothing.
"""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.timezone import localtime

from participants.models import Delegation, Participant
from safety.models import HistoricalAgendaItem, HistoricalSeminar
from seminars.models import AgendaItem, Seminar
from seminars.record.history import fetch, timeline
from tests.admin_forms import admin_form_data, change_url, edition_form, history_url
from tests.factories import (
    make_agenda_item,
    make_delegation,
    make_full_report,
    make_participant,
    make_seminar,
)
from tests.participants.conftest import confirm, csv_bytes, upload

pytestmark = pytest.mark.django_db

DAY = datetime.date(2031, 7, 1)
# Per admin language: the words the history must show, and raw values it must not.
WORDS = {
    "ja": {
        "theme_ja": "テーマ（日本語）",
        "summary_zh": "概要（簡体字中国語）",
        "status": "公開状態: 下書き → 公開",
        "count": "参加者数: 10 → 15",
        "delegation": "代表団「日本側」",
        "closing": "プログラム項目「閉会」",
        "deleted": "削除",
    },
    "zh-hans": {
        "theme_ja": "主题（日语）",
        "summary_zh": "概要（简体中文）",
        "status": "发布状态: 草稿 → 已发布",
        "count": "参加人数: 10 → 15",
        "delegation": "代表团“日方”",
        "closing": "日程项目“闭幕”",
        "deleted": "删除",
    },
}
RAW = ["draft", "published", "None", "zh-hans", "zh_hans", "[ja]"]


@pytest.fixture
def edition(db):
    """A draft with two agenda items (one with a speaker) and two delegations."""
    seminar = make_seminar(
        30, status=Seminar.Status.DRAFT, start_date=DAY, end_date=DAY, summary_ja="概要"
    )
    make_agenda_item(seminar, title_ja="開会", title_zh_hans="开幕", order=0)
    closing = make_agenda_item(
        seminar,
        title_ja="閉会",
        title_zh_hans="闭幕",
        order=1,
        start_time=datetime.time(17, 0),
        venue_ja="大ホール",
        kind=AgendaItem.Kind.GREETING,
    )
    japan = make_delegation(seminar, "japan", 10)
    make_delegation(seminar, "china", 12)
    make_participant(japan, "山田太郎", "山田太郎").agenda_items.add(closing)
    return seminar


def save_edition(client, seminar, **changes):
    data = {**edition_form(client, seminar), **changes}
    response = client.post(change_url(seminar), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def inline_index(data, prefix, pk):
    return next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith(prefix) and key.endswith("-id") and value == str(pk)
    )


def table_text(response):
    """The history table's text, tags removed."""
    html = response.content.decode()
    table = html[html.index('id="change-history"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


@pytest.fixture
def two_editors_saved(edition, staff_client):
    """A Japanese editor publishes and changes the Japanese theme; a Chinese one the summary."""
    japanese = staff_client("ja", "Editors", "Publishers", username="tanaka")
    save_edition(japanese, edition, theme_ja="新しいテーマ", status="published")
    chinese = staff_client("zh-hans", "Editors", username="wang")
    save_edition(chinese, edition, summary_zh_hans="新的概要")
    return edition


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_history_shows_real_changes_with_labels_and_no_phantom_theme(
    two_editors_saved, staff_client, language
):
    seminar, words = two_editors_saved, WORDS[language]
    reader = staff_client(language, "Editors", username=f"reader-{language}")

    response = reader.get(history_url(seminar))

    assert response.status_code == 200
    summary_entry, theme_entry = response.context["page_obj"].object_list[:2]
    assert summary_entry.user == "wang"
    assert [c.fields for c in summary_entry.changes] == [
        [(words["summary_zh"], "（空欄）" if language == "ja" else "（空）", "新的概要")]
    ]
    assert theme_entry.user == "tanaka"
    labels = [label for change in theme_entry.changes for label, _old, _new in change.fields]
    assert words["theme_ja"] in labels
    text = table_text(response)
    assert f"{words['theme_ja']}: テーマ30 → 新しいテーマ" in text
    assert words["status"] in text
    # The theme changed once, in Japanese: no entry shows it switching language.
    assert text.count(words["theme_ja"]) == 1
    assert "主题30" not in text.replace(f"{words['theme_ja']}", "")
    for raw in RAW:
        assert raw not in text, raw
    saved = HistoricalSeminar.objects.filter(id=seminar.pk).latest()
    local = localtime(saved.history_date)
    assert local.strftime("%H:%M:%S") in text
    assert saved.history_date.strftime("%H:%M:%S") not in text  # UTC is 8 hours off
    assert "UTC+8" in text


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_delegation_count_changed_on_its_page_is_in_the_edition_history(
    edition, staff_client, language
):
    steward = staff_client(language, "Data stewards", username="steward")
    delegation = Delegation.objects.get(seminar=edition, side="japan")
    url = reverse("admin:participants_delegation_change", args=[delegation.pk])
    data = {**admin_form_data(steward.get(url)), "participant_count": "15"}
    assert steward.post(url, data).status_code == 302

    response = steward.get(history_url(edition))

    latest = response.context["page_obj"].object_list[0]
    assert latest.user == "steward"
    text = table_text(response)
    assert f"{WORDS[language]['delegation']}" in text
    assert WORDS[language]["count"] in text


def test_import_of_counts_is_in_the_edition_history(edition, staff_client):
    importer = staff_client("ja", "Data stewards", username="steward")
    preview = upload(importer, csv_bytes([[30, "japan", 21, "", ""]]))
    assert confirm(importer, preview).status_code == 302
    reader = staff_client("ja", "Editors", username="reader")

    response = reader.get(history_url(edition))

    assert response.context["page_obj"].object_list[0].user == "steward"
    assert "代表団「日本側」" in table_text(response)
    assert "参加者数: 10 → 21" in table_text(response)


def test_speaker_linked_from_the_agenda_side_is_recorded(edition):
    opening = AgendaItem.objects.get(seminar=edition, title_ja="開会")
    speaker = Participant.objects.get(delegation__seminar=edition)

    opening.speakers.add(speaker)

    entries = timeline(fetch(edition))
    assert entries[0].changes[0].fields == [("プログラム", "閉会", "閉会, 開会")]


def test_saving_unchanged_page_adds_no_entry(edition, staff_client):
    editor = staff_client("ja", "Editors", username="editor")
    before = len(editor.get(history_url(edition)).context["page_obj"].object_list)
    save_edition(editor, edition)
    save_edition(editor, edition)
    assert HistoricalSeminar.objects.filter(id=edition.pk).count() == 3  # rows, no entries
    assert len(editor.get(history_url(edition)).context["page_obj"].object_list) == before


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_restore_brings_back_an_agenda_item_deleted_on_the_edition_page(
    edition, staff_client, language
):
    editor = staff_client(language, "Editors", username="editor")
    closing = AgendaItem.objects.get(seminar=edition, title_ja="閉会")
    kept = {
        "title_zh_hans": closing.title_zh_hans,
        "venue_ja": closing.venue_ja,
        "start_time": closing.start_time,
        "kind": closing.kind,
        "date": closing.date,
    }
    data = edition_form(editor, edition)
    data[f"agenda_items-{inline_index(data, 'agenda_items-', closing.pk)}-DELETE"] = "on"
    assert editor.post(change_url(edition), data).status_code == 302
    assert not AgendaItem.objects.filter(pk=closing.pk).exists()

    entries = editor.get(history_url(edition)).context["page_obj"].object_list
    deletion, before_deletion = entries[0], entries[1]
    assert WORDS[language]["closing"] in deletion.changes[0].label
    page = editor.get(before_deletion.url)
    assert page.status_code == 200
    plan = page.context["plan"]
    assert [step.label for step in plan.recreated] == [WORDS[language]["closing"]]
    assert plan.link_labels  # the speaker's link comes back too
    assert WORDS[language]["closing"] in page.content.decode()

    version = page.context["form"].initial["edition_version"]
    response = editor.post(before_deletion.url, {"edition_version": version})

    assert response.status_code == 302
    assert response["Location"] == change_url(edition)
    restored = AgendaItem.objects.get(pk=closing.pk)
    assert {name: getattr(restored, name) for name in kept} == kept
    assert list(restored.speakers.values_list("name_ja", flat=True)) == ["山田太郎"]
    edition.refresh_from_db()
    assert edition.status == Seminar.Status.DRAFT
    log = LogEntry.objects.filter(object_id=str(edition.pk)).latest("action_time")
    assert log.user.username == "editor"
    assert log.change_message.endswith("の状態に戻しました。" if language == "ja" else "的状态。")
    newest = editor.get(history_url(edition)).context["page_obj"].object_list[0]
    assert [c.label for c in newest.changes] == [WORDS[language]["closing"]]


def test_translator_restore_that_moves_a_date_is_refused_and_changes_nothing(edition, staff_client):
    editor = staff_client("ja", "Editors", username="editor")
    save_edition(editor, edition, end_date="2031-07-03")
    save_edition(editor, edition, theme_zh_hans="新主题")
    translator = staff_client("ja", "Translators", username="translator")
    entries = translator.get(history_url(edition)).context["page_obj"].object_list
    point = entries[2].url  # before both saves: one day, the old Chinese theme
    page = translator.get(point)
    version = page.context["form"].initial["edition_version"]
    rows = (HistoricalSeminar.objects.count(), HistoricalAgendaItem.objects.count())

    response = translator.post(point, {"edition_version": version})

    assert response.status_code == 302
    assert response["Location"] == point
    messages = [m.message for m in response.wsgi_request._messages]
    assert any(
        "翻訳者が変更できるのは翻訳テキストだけです" in m and "終了日" in m for m in messages
    )
    edition.refresh_from_db()
    assert (edition.end_date, edition.theme_zh_hans) == (datetime.date(2031, 7, 3), "新主题")
    assert (HistoricalSeminar.objects.count(), HistoricalAgendaItem.objects.count()) == rows
    assert not LogEntry.objects.filter(user__username="translator").exists()


def test_stale_restore_is_refused(edition, staff_client):
    editor = staff_client("ja", "Editors", username="editor")
    save_edition(editor, edition, theme_ja="二回目")
    point = editor.get(history_url(edition)).context["page_obj"].object_list[-1].url
    version = editor.get(point).context["form"].initial["edition_version"]
    save_edition(editor, edition, theme_ja="三回目")  # meanwhile

    response = editor.post(point, {"edition_version": version})

    assert response["Location"] == point
    edition.refresh_from_db()
    assert edition.theme_ja == "三回目"


def _history_queries(client, seminar):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(history_url(seminar)).status_code == 200
    return len(queries)


def test_history_page_queries_do_not_grow_with_the_edition(db, staff_client):
    client = staff_client("ja", "Editors", username="editor")
    small = make_full_report(make_seminar(40, start_date=DAY), items=1, organizers=1, photos=1)
    large = make_full_report(make_seminar(41, start_date=DAY), items=8, organizers=4, photos=3)
    assert _history_queries(client, small) == _history_queries(client, large)


def test_history_managers_are_built_once_and_read_each_rows_own_history(db):
    """`Model.history` (and a historical participant's links) come from one manager class built
    at start-up (seminars.record.history_tables.KeptHistoryDescriptor), not a class per access;
    each instance's manager still reads that instance's rows only."""
    first, second = make_seminar(3), make_seminar(4)
    second.theme_ja = "変更"
    second.save()
    assert type(first.history) is type(second.history) is type(Seminar.history)
    assert (first.history.count(), second.history.count()) == (1, 2)
    assert Seminar.history.filter(id=second.pk).count() == 2
    person = make_participant(make_delegation(first))
    person.agenda_items.add(make_agenda_item(first))
    row = person.history.latest()
    assert type(row.agenda_items) is type(person.history.latest().agenda_items)
    assert [link.agendaitem_id for link in row.agenda_items.all()] == list(
        person.agenda_items.values_list("pk", flat=True)
    )
