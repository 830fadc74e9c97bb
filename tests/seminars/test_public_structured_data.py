"""Structured data (schema.org JSON-LD) of every public page, parsed and checked against the
properties schema.org and the search engines' event guidelines require of each type."""

import json
import re

import pytest

from tests.factories import make_city, make_edition, make_seminar

# Required properties by @type (schema.org Event: name, startDate, location; an EventSeries is an
# Event too; a Place needs a name and an address; an Organization a name).
REQUIRED = {
    "Event": {"name", "startDate", "location", "url"},
    "EventSeries": {"@id", "name", "url", "startDate", "location", "organizer", "inLanguage"},
    "WebPage": {"name", "url", "inLanguage", "isPartOf"},
    "Place": {"name", "address"},
    "PostalAddress": {"addressCountry"},
    "Organization": {"name"},
    "GeoCoordinates": {"latitude", "longitude"},
    "ItemList": {"itemListElement"},
    "ListItem": {"position", "url", "name"},
    "BreadcrumbList": {"itemListElement"},
    # The site and its search (seminars/search/): on the series page.
    "WebSite": {"@id", "name", "url", "inLanguage", "potentialAction"},
    "SearchAction": {"target", "query-input"},
    "EntryPoint": {"urlTemplate"},
}
# A breadcrumb's ListItem names its page by "item" (Google's breadcrumb structured data).
REQUIRED_IN_BREADCRUMBS = {"ListItem": {"position", "item", "name"}}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


def all_json_ld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def json_ld_blocks(html):
    """The page's own structured data (its breadcrumbs aside)."""
    return [b for b in all_json_ld_blocks(html) if b.get("@type") != "BreadcrumbList"]


def breadcrumb_lists(html):
    return [b for b in all_json_ld_blocks(html) if b.get("@type") == "BreadcrumbList"]


def items(node):
    """Every typed object inside `node`, depth first."""
    if isinstance(node, dict):
        if "@type" in node:
            yield node
        for value in node.values():
            yield from items(value)
    elif isinstance(node, list):
        for value in node:
            yield from items(value)


def check(node):
    """The required properties of every typed object, with non-empty values."""
    required = REQUIRED
    if node.get("@type") == "BreadcrumbList":
        required = REQUIRED | REQUIRED_IN_BREADCRUMBS
    for item in items(node):
        missing = {p for p in required.get(item["@type"], ()) if item.get(p) in (None, "", [])}
        assert not missing, f"{item['@type']} without {sorted(missing)}: {item}"
        assert item["@type"] in REQUIRED, f"unchecked type {item['@type']}"
        for date in ("startDate", "endDate"):
            if date in item:
                assert ISO_DATE.match(item[date]), item[date]


@pytest.fixture
def editions(db):
    """Edition 1 (year and city only), 3 (a theme, no dates) and 5 (make_edition: dated, with
    organizers, in a city with coordinates)."""
    beijing = make_city("北京市", "北京市", province_ja="", province_zh_hans="")
    make_seminar(1, city=beijing, fiscal_year=2002, theme_ja="", theme_zh_hans="")
    make_seminar(3)
    city = make_city("座標市", "座标市", latitude=31.4675, longitude=104.6796)
    return make_edition(5, city=city)


def public_urls(editions=(1, 3, 5)):
    urls = ["/ja/", "/zh-hans/"]
    for edition in editions:
        urls += [f"/ja/seminars/{edition}/", f"/zh-hans/seminars/{edition}/"]
    return urls


def test_every_public_page_has_valid_structured_data(editions, client):
    for url in public_urls():
        html = client.get(url).content.decode()
        blocks = json_ld_blocks(html)
        assert len(blocks) == 1, url
        assert blocks[0]["@context"] == "https://schema.org", url
        check(blocks[0])
        crumbs = breadcrumb_lists(html)
        assert len(crumbs) == (1 if "/seminars/" in url else 0), url
        for crumb in crumbs:
            check(crumb)


@pytest.mark.parametrize(("lang", "html_lang"), [("ja", "ja"), ("zh-hans", "zh-Hans")])
def test_series_page_is_an_event_series_with_its_editions(editions, client, lang, html_lang):
    (data,) = json_ld_blocks(client.get(f"/{lang}/").content.decode())

    series, listed, website = data["@graph"]
    assert series["@type"] == "EventSeries" and series["inLanguage"] == html_lang
    assert website["@type"] == "WebSite" and website["url"] == f"http://testserver/{lang}/"
    assert series["@id"] == f"http://testserver/{lang}/#series"
    assert series["startDate"] == "2002"  # the first edition's fiscal year
    assert series["organizer"]["alternateName"] == "CLAIR"
    assert series["organizer"]["name"] in ("日本国自治体国際化協会", "日本国自治体国际化协会")
    assert [e["startDate"] for e in series["subEvent"]] == ["2006-07-11"]  # the dated one
    assert [e["url"] for e in listed["itemListElement"]] == [
        f"http://testserver/{lang}/seminars/{n}/" for n in (1, 3, 5)
    ]


@pytest.mark.parametrize(("lang", "province"), [("ja", "テスト省"), ("zh-hans", "测试省")])
def test_edition_without_dates_is_a_page_of_the_series_not_an_event(
    editions, client, lang, province
):
    (data,) = json_ld_blocks(client.get(f"/{lang}/seminars/3/").content.decode())

    assert data["@type"] == "WebPage"
    assert data["isPartOf"] == {"@id": f"http://testserver/{lang}/#series"}
    assert data["about"]["address"]["addressRegion"] == province
    assert "startDate" not in json.dumps(data)


@pytest.mark.parametrize(
    ("lang", "organizers", "sponsors"),
    [("ja", ["主催団体5-0", "主催団体5-1"], 1), ("zh-hans", ["主办团体5-0", "主办团体5-1"], 1)],
)
def test_dated_edition_is_an_event_with_organizers_by_role_and_location(
    editions, client, lang, organizers, sponsors
):
    (data,) = json_ld_blocks(client.get(f"/{lang}/seminars/5/").content.decode())

    assert data["@type"] == "Event"
    assert [o["name"] for o in data["organizer"]] == organizers  # host, then co-host
    assert len(data["sponsor"]) == sponsors
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 31.4675,
        "longitude": 104.6796,
    }
    assert data["superEvent"] == {"@id": f"http://testserver/{lang}/#series"}
    assert editions.photos.count() == 2
    assert "image" not in data  # the photos have no images


def test_dated_edition_without_organizers_names_the_publisher(db, client):
    make_seminar(3, start_date="2004-08-01")

    (data,) = json_ld_blocks(client.get("/ja/seminars/3/").content.decode())

    assert data["@type"] == "Event"
    assert data["organizer"] == [
        {
            "@type": "Organization",
            "name": "日本国自治体国際化協会",
            "alternateName": "CLAIR",
            "url": "https://www.clair.or.jp/",
        }
    ]
    check(data)
