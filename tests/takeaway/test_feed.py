"""The Atom feed per language, checked against RFC 4287's required elements."""

import re
import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("lang", "title"),
    [("ja", "日中地域間交流推進セミナー"), ("zh-hans", "中日地区间交流推进研讨会")],
)
def test_feed_is_valid_atom_of_published_editions(client, seed, lang, title):
    response = client.get(f"/{lang}/feed.atom")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == title
    for required in ("id", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"/{lang}/feed.atom")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 17
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(ATOM + required) is not None, required
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/{lang}/seminars/17/")
    assert "第17" in entries[0].findtext(f"{ATOM}title")


def test_feed_leaves_drafts_out(client, seminar_2018):
    seminar_2018.status = "draft"
    seminar_2018.save()

    feed = ET.fromstring(client.get("/ja/feed.atom").content)

    links = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert not any(link.endswith("/seminars/17/") for link in links)


@pytest.mark.parametrize(
    ("path", "feed"),
    [("/ja/", "/ja/feed.atom"), ("/zh-hans/seminars/17/", "/zh-hans/feed.atom")],
)
def test_pages_announce_the_feed_of_their_language(client, seed, path, feed):
    html = client.get(path).content.decode()
    links = re.findall(r"<link\s[^>]*application/atom\+xml[^>]*>", html)
    assert len(links) == 1
    assert f'href="{feed}"' in links[0]
