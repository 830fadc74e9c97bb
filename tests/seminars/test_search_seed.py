"""The search finds the seed's editions by their real texts, from both language prefixes.

The seed is loaded once for the module (`seed_for_module`, inside a transaction that never
commits, so the after-commit refresh of the index never runs): the index is built once from it
with `rebuild()`, as the post_migrate handler and a commit build it on a running site.
"""

import pytest

from seminars.search import index
from tests.pages import collapsed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_index")]
LANGS = ("ja", "zh-hans")


@pytest.fixture(scope="module")
def seed_index(seed_for_module, django_db_blocker):
    with django_db_blocker.unblock():
        index.rebuild()


def found_editions(client, lang, query):
    """The edition numbers the search page links to, in order."""
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    return [item.seminar.edition for item in response.context["result"].found]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["綿陽", "绵阳", "企業誘致", "招商引资", "三木正夫", "須坂"])
def test_search_seed_query_finds_the_2018_edition(client, lang, query):
    assert found_editions(client, lang, query) == [17]


@pytest.mark.parametrize("lang", LANGS)
def test_search_seed_page_links_and_highlights_the_2018_edition(client, lang):
    response = client.get(f"/{lang}/search/", {"q": "须坂"})
    html = collapsed(response.content.decode())

    assert f'href="/{lang}/seminars/17/"' in html
    assert "長野県<mark>須坂</mark>市長" in html  # the Japanese text, found by the Chinese glyph
    assert "长野县<mark>须坂</mark>市市长" in html


@pytest.mark.parametrize(
    ("query", "editions"),
    [
        ("黒竜江", [3]),  # Japanese shinjitai: 黒竜江省 / 黑龙江省
        ("黑龍江", [3]),  # traditional
        ("瀋陽", [16]),
        ("沈阳", [16]),
        ("义乌", [12]),  # 義烏市
        ("外事侨务办公室", [17]),  # the seed's ja 外事僑務弁公室
        ("日本国驻重庆总领事馆", [17]),
        ("在重慶日本国総領事館", [17]),
    ],
)
def test_search_seed_variant_glyphs_find_the_same_edition(client, query, editions):
    assert found_editions(client, "ja", query) == editions


def test_search_seed_two_words_need_both(client):
    assert found_editions(client, "ja", "綿陽 市長") == [17]
    assert found_editions(client, "zh-hans", "绵阳 黑龙江") == []


def test_search_seed_one_character_finds_many_newest_first(client):
    editions = found_editions(client, "zh-hans", "市")

    assert len(editions) == 17
    assert editions == sorted(editions, reverse=True)
