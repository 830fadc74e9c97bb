"""The take-away responses under the public page cache: stored with their content type, one entry
per language, cleared by an edit like the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from tests.pages import collapsed, stored_pages

TYPES = {
    "seminars/{edition}/programme/": "text/html; charset=utf-8",
    "seminars/{edition}/calendar.ics": "text/calendar; charset=utf-8",
    "feed.atom": "application/atom+xml; charset=utf-8",
    "data/": "text/html; charset=utf-8",
}


def get(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, len(captured)


@pytest.mark.parametrize(("suffix", "content_type"), TYPES.items())
def test_takeaway_cached_per_language_with_its_content_type(client, edition, suffix, content_type):
    suffix = suffix.format(edition=edition.edition)
    ja, _ = get(client, f"/ja/{suffix}")
    zh, _ = get(client, f"/zh-hans/{suffix}")
    ja_again, ja_queries = get(client, f"/ja/{suffix}")

    stored = [content for _status, content in stored_pages()]
    assert ja.content in stored and zh.content in stored  # one entry per language
    assert ja_queries == 0
    assert ja_again.content == ja.content != zh.content
    assert ja_again["Content-Type"] == zh["Content-Type"] == content_type
    assert ja_again["Cache-Control"] == "no-cache"


def test_takeaway_edit_clears_the_cached_calendar_and_programme(client, edition):
    base = f"/zh-hans/seminars/{edition.edition}/"
    get(client, base + "calendar.ics")
    get(client, base + "programme/")
    item = edition.agenda_items.order_by("date", "order").first()
    item.title_zh_hans = f"{item.title_zh_hans}（修订）"
    item.save()

    calendar, _ = get(client, base + "calendar.ics")
    programme, _ = get(client, base + "programme/")

    summaries = [e.get("summary") for e in Calendar.from_ical(calendar.content).walk("VEVENT")]
    assert item.title_zh_hans in summaries
    assert item.title_zh_hans in collapsed(programme.content.decode())
