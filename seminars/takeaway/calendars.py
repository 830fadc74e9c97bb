"""The iCalendar file of an edition (RFC 5545, the `icalendar` library).

One event per agenda item that has a start time (TZID=Asia/Shanghai, with its VTIMEZONE); the
days whose items have no time become one all-day event each, listing the day's items. An edition
without an agenda but with dates gets one all-day event per day. Text is in the active language
(a missing translation falls back to the other language, as on the page). UIDs depend only on
the edition and the item or day, so a re-import updates events instead of duplicating them.
"""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext

from seminars.templatetags.seminar_i18n import day_label, edition_label, localized_text
from seminars.templatetags.seminar_meta import series_name

CHINA = ZoneInfo("Asia/Shanghai")
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:jp-cn-regional-exchange-seminar")


def uid(*parts):
    return f"{uuid.uuid5(UID_NAMESPACE, ':'.join(str(p) for p in parts))}@seminar"


def location(seminar, item=None):
    venue = localized_text(item, "venue").text if item is not None else ""
    city = localized_text(seminar.city, "name").text
    return ", ".join(part for part in (venue, city) if part)


def item_title(item, session=None):
    """A part of a session is named with its session (全体会议：主旨演讲): alone in a calendar,
    the part's own title does not say where it belongs."""
    title = localized_text(item, "title").text
    if session is None:
        return title
    return gettext("%(session)s: %(part)s") % {
        "session": localized_text(session, "title").text,
        "part": title,
    }


def timed_event(seminar, item, url, session=None):
    from icalendar import Event

    event = Event()
    event.add("uid", uid("edition", seminar.edition, "item", item.pk))
    event.add("summary", item_title(item, session))
    start = datetime.combine(item.date, item.start_time, tzinfo=CHINA)
    event.add("dtstart", start)
    if item.end_time:
        event.add("dtend", datetime.combine(item.date, item.end_time, tzinfo=CHINA))
    event.add("location", location(seminar, item))
    description = localized_text(item, "description").text
    event.add("description", "\n".join(p for p in (description, url) if p))
    return event


def day_event(seminar, day, items, url, sessions):
    from icalendar import Event

    event = Event()
    event.add("uid", uid("edition", seminar.edition, "day", day.isoformat()))
    event.add("summary", f"{edition_label(seminar.edition)} {series_name()} ({day_label(day)})")
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("location", location(seminar))
    lines = [f"・{item_title(item, sessions.get(item.session_id))}" for item in items]
    event.add("description", "\n".join([*lines, url]))
    return event


def seminar_days(seminar):
    if not seminar.start_date:
        return []
    end = seminar.end_date or seminar.start_date
    count = (end - seminar.start_date).days + 1
    return [seminar.start_date + timedelta(days=n) for n in range(count)]


def edition_calendar(seminar, url):
    """The calendar bytes of `seminar` (fetched with `for_detail()`); `url` is its page."""
    from icalendar import Calendar  # on first use: web workers that never serve one skip it

    calendar = Calendar()
    calendar.add("prodid", "-//Japan-China Regional Exchange Promotion Seminar//seminars//")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{edition_label(seminar.edition)} {series_name()}")
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    stamp = seminar.updated_at or timezone.now()
    items = list(seminar.agenda_items.all())
    sessions = {item.pk: item for item in items}
    untimed = {}
    for item in items:
        if item.start_time:
            session = sessions.get(item.session_id)
            calendar.add_component(timed_event(seminar, item, url, session))
        else:
            untimed.setdefault(item.date, []).append(item)
    days = sorted(untimed) if items else seminar_days(seminar)
    for day in days:
        calendar.add_component(day_event(seminar, day, untimed.get(day, []), url, sessions))
    for event in calendar.walk("VEVENT"):
        event.add("dtstamp", stamp)
    calendar.add_missing_timezones()
    return calendar.to_ical()
