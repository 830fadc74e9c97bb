"""The edition's iCalendar file: parsed with the icalendar library."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from seminars.models import AgendaItem
from tests.factories import make_agenda_item, make_edition


def calendar(client, lang, edition):
    response = client.get(f"/{lang}/seminars/{edition}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.fixture
def untimed(db):
    """An edition of three days whose programme has no time: one all-day event per day."""
    seminar = make_edition(6, days=3)
    AgendaItem.objects.filter(seminar=seminar).update(start_time=None, end_time=None)
    return seminar


@pytest.mark.parametrize(("lang", "field"), [("ja", "name_ja"), ("zh-hans", "name_zh_hans")])
def test_calendar_gives_the_edition_days_in_china_time(client, untimed, lang, field):
    parsed = calendar(client, lang, untimed.edition)

    events = parsed.walk("VEVENT")
    days = sorted(event.decoded("dtstart") for event in events)
    start = untimed.start_date
    assert days == [start, start + timedelta(days=1), start + timedelta(days=2)]
    assert all(event.get("location") == getattr(untimed.city, field) for event in events)
    assert parsed.get("x-wr-timezone") == "Asia/Shanghai"


def test_calendar_timed_item_uses_tzid_with_vtimezone(client, untimed):
    day = untimed.start_date + timedelta(days=1)
    plenary = make_agenda_item(
        untimed, date=day, kind=AgendaItem.Kind.PLENARY, title_ja="本会議", title_zh_hans="全体会议"
    )
    keynote = make_agenda_item(
        untimed,
        date=day,
        session=plenary,
        kind=AgendaItem.Kind.KEYNOTE,
        title_ja="基調講演",
        title_zh_hans="主旨演讲",
        start_time=time(9, 30),
        end_time=time(10, 15),
    )

    response = client.get(f"/zh-hans/seminars/{untimed.edition}/calendar.ics")
    parsed = Calendar.from_ical(response.content)

    stamp = f"DTSTART;TZID=Asia/Shanghai:{keynote.date:%Y%m%d}T093000"
    assert stamp.encode() in response.content
    assert [tz.get("tzid") for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    summary = f"{plenary.title_zh_hans}：{keynote.title_zh_hans}"  # named with its session
    event = next(e for e in parsed.walk("VEVENT") if e.get("summary") == summary)
    start = event.decoded("dtstart")
    assert start.tzinfo == ZoneInfo("Asia/Shanghai") and start.hour == 9
    assert event.decoded("dtend").minute == 15


def test_calendar_uids_are_stable_and_shared_by_both_languages(client, untimed):
    first = [e.get("uid") for e in calendar(client, "ja", untimed.edition).walk("VEVENT")]
    again = [e.get("uid") for e in calendar(client, "ja", untimed.edition).walk("VEVENT")]
    chinese = [e.get("uid") for e in calendar(client, "zh-hans", untimed.edition).walk("VEVENT")]

    assert first == again == chinese
    assert len(set(first)) == 3
