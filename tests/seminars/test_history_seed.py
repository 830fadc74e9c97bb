"""The seed's first point of history (`make seed`: loaddata, then `manage.py record_history`), and
how the timeline reads: a reorder as one line, a restore marked as one, people by their names.

Each test loads the seed (about a second) because it edits and restores it.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection

from safety.models import HistoricalAgendaItem, HistoricalOrganizer, HistoricalSeminar
from seminars.models import Seminar
from seminars.record.history import REORDERED, fetch, timeline, user_name
from seminars.record.history_tables import RECORDED
from tests.admin_forms import change_url, edition_form, history_url
from tests.seminars.test_edition_life import content

pytestmark = pytest.mark.django_db

# Per admin language: the words of the lines this module adds to the history.
WORDS = {
    "ja": {
        "recorded": "この回とその内容すべて : 記録時点の状態（履歴はここから始まります）",
        "restore": "{} の状態への復元",
        "reordered": "並べ替え",
    },
    "zh-hans": {
        "recorded": "本届及其全部内容 : 记录时的状态（变更历史从此开始）",
        "restore": "恢复到 {} 的状态",
        "reordered": "调整顺序",
    },
}


@pytest.fixture
def seed(db):
    call_command("loaddata", "seminars", "participants", verbosity=0)
    out = io.StringIO()
    call_command("record_history", "--language", "ja", stdout=out)
    assert "件の履歴記録を書き込みました" in out.getvalue()
    return Seminar.objects.filter(agenda_items__isnull=False).distinct().order_by("-edition")[0]


def post_edition(client, seminar, data):
    response = client.post(change_url(seminar), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def table_text(response):
    html = response.content.decode()
    table = html[html.index('id="change-history"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


def restore(client, url):
    version = client.get(url).context["form"].initial["edition_version"]
    response = client.post(url, {"edition_version": version})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_first_edit_of_a_seed_edition_can_be_undone(seed, staff_client, language):
    loaded = content(seed.pk)
    editor = staff_client(language, "Editors", username="editor")
    data = edition_form(editor, seed)
    item_keys = [k for k in data if k.startswith("agenda_items-") and k.endswith("-id") and data[k]]
    data[item_keys[0].replace("-id", "-DELETE")] = "on"
    data["theme_ja"] = "書き換えたテーマ"
    post_edition(editor, seed, data)
    assert content(seed.pk) != loaded

    response = editor.get(history_url(seed))
    first = response.context["page_obj"].object_list[-1]
    assert [change.action for change in first.changes] == [RECORDED]
    assert first.user == ("システム" if language == "ja" else "系统")
    assert WORDS[language]["recorded"] in table_text(response)
    restore(editor, first.url)

    assert content(seed.pk) == loaded


def test_record_history_writes_only_what_differs(seed):
    out = io.StringIO()
    call_command("record_history", "--language", "zh-hans", stdout=out)
    assert out.getvalue().strip() == "历史已是最新，未写入任何记录。"
    call_command("loaddata", "seminars", "participants", verbosity=0)
    call_command("record_history", stdout=io.StringIO())
    assert not HistoricalSeminar.objects.exclude(history_change_reason=RECORDED).exists()
    count = HistoricalSeminar.objects.count()
    organizer = seed.organizers.order_by("pk").first()
    with connection.cursor() as cursor:  # writes outside the ORM
        cursor.execute("UPDATE seminars_seminar SET theme_ja = 'SQL' WHERE id = %s", [seed.pk])
        cursor.execute("DELETE FROM seminars_organizer WHERE id = %s", [organizer.pk])

    call_command("record_history", stdout=io.StringIO())

    assert HistoricalSeminar.objects.count() == count + 1
    latest = HistoricalSeminar.objects.filter(id=seed.pk).latest()
    assert (latest.history_type, latest.theme_ja) == ("~", "SQL")
    gone = HistoricalOrganizer.objects.filter(id=organizer.pk).latest()
    assert (gone.history_type, gone.history_change_reason) == ("-", RECORDED)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_reorder_is_one_line_and_restore_names_its_point_and_the_person(
    seed, staff_client, language
):
    editor = staff_client(
        language, "Editors", username="editor", first_name="花子", last_name="佐藤"
    )
    loaded = content(seed.pk)
    data = edition_form(editor, seed)
    orders = sorted(k for k in data if k.startswith("agenda_items-") and k.endswith("-order"))
    for position, key in enumerate(reversed(orders)):  # as the ↓ arrows leave it: 10, 20, …
        data[key] = str((position + 1) * 10)
    rows = HistoricalAgendaItem.objects.count()
    post_edition(editor, seed, data)
    assert HistoricalAgendaItem.objects.count() - rows > 1

    reorder = timeline(fetch(seed))[0]
    assert [change.action for change in reorder.changes] == [REORDERED]
    assert reorder.user == "佐藤花子"
    recorded_point = editor.get(history_url(seed)).context["page_obj"].object_list[-1]
    restore(editor, recorded_point.url)

    response = editor.get(history_url(seed))
    newest = response.context["page_obj"].object_list[0]
    assert newest.restored == recorded_point.when
    text = table_text(response)
    assert WORDS[language]["restore"].format(recorded_point.local_time) in text
    assert text.count(WORDS[language]["reordered"]) == 2  # the reorder and its undoing
    assert "佐藤花子" in text
    assert content(seed.pk) == loaded


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("花子", "佐藤", "佐藤花子"),
        ("芳", "王", "王芳"),
        ("Hanako", "Sato", "Hanako Sato"),
        ("", "", "hsato"),
    ],
)
def test_history_names_people_as_the_dashboard_does(django_user_model, first, last, shown):
    """Family name first for Japanese and Chinese names (as the dashboard and the notice of who
    has an edition open say it), not "花子 佐藤"; the user name when there is no name."""
    user = django_user_model(username="hsato", first_name=first, last_name=last)
    assert user_name(user) == shown
