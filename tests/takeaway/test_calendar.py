"""The edition's iCalendar file: parsed with the icalendar library."""

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from seminars.models import AgendaItem


def calendar(client, lang, edition=17):
    response = client.get(f"/{lang}/seminars/{edition}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


@pytest.mark.parametrize(("lang", "city"), [("ja", "綿陽市"), ("zh-hans", "绵阳市")])
def test_calendar_gives_2018_days_in_china_time(client, seed, lang, city):
    parsed = calendar(client, lang)

    events = parsed.walk("VEVENT")
    days = sorted(event.decoded("dtstart") for event in events)
    assert days == [date(2018, 7, 11), date(2018, 7, 12), date(2018, 7, 13)]
    assert all(event.get("location") == city for event in events)
    assert parsed.get("x-wr-timezone") == "Asia/Shanghai"


def test_calendar_timed_item_uses_tzid_with_vtimezone(client, seminar_2018):
    AgendaItem.objects.filter(seminar=seminar_2018, kind="keynote").update(
        start_time=time(9, 30), end_time=time(10, 15)
    )

    response = client.get("/zh-hans/seminars/17/calendar.ics")
    parsed = Calendar.from_ical(response.content)

    assert b"DTSTART;TZID=Asia/Shanghai:20180712T093000" in response.content
    assert [tz.get("tzid") for tz in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    keynote = next(e for e in parsed.walk("VEVENT") if e.get("summary") == "全体会议：主旨演讲")
    start = keynote.decoded("dtstart")
    assert start.tzinfo == ZoneInfo("Asia/Shanghai") and start.hour == 9
    assert keynote.decoded("dtend").minute == 15


def test_calendar_uids_are_stable_and_shared_by_both_languages(client, seed):
    first = [e.get("uid") for e in calendar(client, "ja").walk("VEVENT")]
    again = [e.get("uid") for e in calendar(client, "ja").walk("VEVENT")]
    chinese = [e.get("uid") for e in calendar(client, "zh-hans").walk("VEVENT")]

    assert first == again == chinese
    assert len(set(first)) == 3
