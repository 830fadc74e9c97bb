"""Database restarts cost no GET and no POST answers 500 (config/db.py), in process.

The database is made unreachable for real: the connection's settings point at a closed port and
the open connection is closed, so the next query's connection is refused, as during a restart;
a thread puts the settings back after a while. (PostgreSQL only: SQLite's in-memory test database
disappears with its connection.) tests/operations/test_faults.py restarts a real server.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from seminars.models import Seminar
from tests.admin_forms import admin_form_data

# The servers these tests start check passwords with the production hashers: users are stored
# with them too, not with the tests' fast one.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_password_hasher]
CLOSED_PORT = "5449"  # in the range kept for this suite's own servers; nothing listens there


class Outage:
    """`start(seconds)`: the database refuses connections now and is back after `seconds`."""

    def __init__(self):
        self.real = dict(connection.settings_dict)
        self.timers = []

    def start(self, seconds):
        connection.settings_dict["PORT"] = CLOSED_PORT
        connection.close()
        timer = threading.Timer(seconds, self.end)
        timer.start()
        self.timers.append(timer)

    def end(self):
        connection.settings_dict.update(self.real)


@pytest.fixture
def outage(postgresql, edition):
    outage = Outage()
    yield outage
    for timer in outage.timers:
        timer.cancel()
    outage.end()
    connection.close()


def test_get_during_a_short_outage_is_answered_after_reconnecting(outage, edition):
    outage.start(0.6)
    started = time.monotonic()
    response = Client().get(f"/zh-hans/seminars/{edition.edition}/")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert f"第{edition.edition}届" in response.content.decode()
    assert edition.theme_zh_hans in response.content.decode()
    assert 0.5 <= elapsed < 2.5


@pytest.mark.parametrize(
    ("lang", "text"),
    [("ja", "データベースを再起動しています。"), ("zh-hans", "数据库正在重新启动。")],
)
def test_get_during_a_long_outage_gets_the_503_page_after_about_two_seconds(
    outage, edition, lang, text
):
    outage.start(30)
    started = time.monotonic()
    response = Client().get(f"/{lang}/seminars/{edition.edition}/")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert text in response.content.decode()
    assert response["Retry-After"] == "5"
    assert 1.5 <= elapsed < 3.5


@pytest.mark.parametrize(
    ("lang", "text"), [("ja", "何も保存されていません。"), ("zh-hans", "未保存任何内容。")]
)
def test_admin_post_during_an_outage_gets_the_503_page_and_saves_nothing(
    outage, edition, superuser, lang, text
):
    staff = Client(headers={"accept-language": lang})
    staff.force_login(superuser)
    seminar = edition
    change_url = f"/admin/seminars/seminar/{seminar.pk}/change/"
    data = admin_form_data(staff.get(change_url))
    data.update(theme_ja="停止中に保存", theme_zh_hans="停机时保存")
    outage.start(30)
    started = time.monotonic()
    response = staff.post(change_url, data)
    assert response.status_code == 503
    assert text in response.content.decode()
    assert time.monotonic() - started < 1.5  # a POST is not repeated
    outage.end()  # back online: nothing of the refused save is there
    assert Seminar.objects.get(pk=seminar.pk).theme_ja == edition.theme_ja  # not "停止中に保存"
