"""sitemap.xml lists the open data page and each side-by-side programme, in both languages."""

from xml.etree import ElementTree as ET

from seminars.models import Seminar
from tests.factories import make_seminar

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {
        url.find("s:loc", NS).text: {
            "priority": url.find("s:priority", NS).text,
            "alternates": {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            },
        }
        for url in ET.fromstring(response.content).findall("s:url", NS)
    }


def test_programmes_of_published_editions_with_agenda_items_are_listed(edition, client):
    without_programme = make_seminar(6)
    draft = make_seminar(7, status=Seminar.Status.DRAFT)

    entries = sitemap_entries(client)

    programme = f"/seminars/{edition.edition}/programme/"
    for language in ("ja", "zh-hans"):
        entry = entries[f"http://testserver/{language}{programme}"]
        assert entry["priority"] == "0.5"
        assert entry["alternates"] == {
            "ja": f"http://testserver/ja{programme}",
            "zh-hans": f"http://testserver/zh-hans{programme}",
            "x-default": f"http://testserver{programme}",
        }
    programmes = [location for location in entries if location.endswith("/programme/")]
    assert len(programmes) == 2
    assert f"http://testserver/ja/seminars/{without_programme.edition}/" in entries
    assert not any(f"/seminars/{draft.edition}/" in location for location in entries)


def test_open_data_page_is_listed_in_both_languages(db, client):
    entries = sitemap_entries(client)

    assert entries["http://testserver/ja/data/"]["priority"] == "0.5"
    assert (
        entries["http://testserver/zh-hans/data/"]["alternates"]["ja"]
        == "http://testserver/ja/data/"
    )
    assert entries["http://testserver/ja/"]["priority"] == "1.0"


def test_every_listed_page_answers(edition, client):
    for location in sitemap_entries(client):
        assert client.get(location.removeprefix("http://testserver")).status_code == 200, location
