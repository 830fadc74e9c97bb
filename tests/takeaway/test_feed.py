"""The Atom feed per language, checked against RFC 4287's required elements."""

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import caches
from django.utils.timezone import localtime

from seminars.models import EditionVersion, Seminar, SiteSettings
from tests.factories import make_seminar

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("lang", "title"),
    [("ja", "日中地域間交流推進セミナー"), ("zh-hans", "中日地区间交流推进研讨会")],
)
def test_feed_is_valid_atom_of_published_editions(client, edition, lang, title):
    make_seminar(edition.edition - 1)
    make_seminar(edition.edition + 1, status="draft")
    response = client.get(f"/{lang}/feed.atom")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == title
    for required in ("id", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"/{lang}/feed.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2  # the two published editions, the draft left out
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(ATOM + required) is not None, required
    newest = f"/{lang}/seminars/{edition.edition}/"
    assert entries[0].find(f"{ATOM}link").get("href").endswith(newest)
    assert f"第{edition.edition}" in entries[0].findtext(f"{ATOM}title")
    theme = edition.theme_ja if lang == "ja" else edition.theme_zh_hans
    assert entries[0].findtext(f"{ATOM}title").endswith(theme)


def test_feed_leaves_drafts_out(client, edition):
    other = make_seminar(edition.edition + 1)
    edition.status = "draft"
    edition.save()

    feed = ET.fromstring(client.get("/ja/feed.atom").content)

    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert not any(link.endswith(f"/seminars/{edition.edition}/") for link in links)
    assert any(link.endswith(f"/seminars/{other.edition}/") for link in links)


@pytest.mark.parametrize(
    ("path", "feed"),
    [("/ja/", "/ja/feed.atom"), ("/zh-hans/seminars/{edition}/", "/zh-hans/feed.atom")],
)
def test_pages_announce_the_feed_of_their_language(client, edition, path, feed):
    response = client.get(path.format(edition=edition.edition))
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r"<link\s[^>]*application/atom\+xml[^>]*>", html)
    assert len(links) == 1
    assert f'href="{feed}"' in links[0]


@pytest.mark.parametrize(("lang", "xml_lang"), [("ja", "ja"), ("zh-hans", "zh-Hans")])
def test_feed_language_and_dates_agree_with_footer_and_sitemap(client, edition, lang, xml_lang):
    item = edition.agenda_items.first()
    item.title_ja = "改訂"
    item.save()  # a part of the edition changes later than the edition's own row

    feed = ET.fromstring(client.get(f"/{lang}/feed.atom").content)
    sitemap = client.get("/sitemap.xml")
    page = client.get(f"/{lang}/seminars/{edition.edition}/").content.decode()

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == xml_lang
    saved = localtime(EditionVersion.objects.get(seminar=edition).saved_at)  # the site's zone
    day = saved.date().isoformat()
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}updated").startswith(saved.strftime("%Y-%m-%dT%H:%M:%S"))
    assert feed.findtext(f"{ATOM}updated")[:10] == day
    assert f"<lastmod>{day}" in sitemap.content.decode()
    assert f'datetime="{day}"' in page  # the footer's "last updated"


def test_dates_after_midnight_in_china_are_that_day_everywhere(client, edition):
    """00:30 in China is 16:30 UTC the day before: the feed, the sitemap and the footer all say
    the Chinese day (TIME_ZONE), as the database's UTC value would not. (This test's first form
    compared with the UTC day and failed in a CI run that started after 16:00 UTC.)"""
    moment = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    Seminar.objects.filter(pk=edition.pk).update(updated_at=moment, published_at=moment)
    EditionVersion.objects.filter(seminar=edition).update(saved_at=moment)
    SiteSettings.objects.update(updated_at=moment)
    caches["default"].clear()
    caches["pages"].clear()

    feed = ET.fromstring(client.get("/ja/feed.atom").content)
    sitemap = client.get("/sitemap.xml").content.decode()
    page = client.get(f"/zh-hans/seminars/{edition.edition}/").content.decode()

    assert feed.findtext(f"{ATOM}updated") == "2026-12-08T00:30:00+08:00"
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}updated") == "2026-12-08T00:30:00+08:00"
    assert "<lastmod>2026-12-08</lastmod>" in sitemap
    assert "2026-12-07" not in sitemap
    assert 'datetime="2026-12-08"' in page
