"""The search page (`/<lang>/search/?q=…`): what it finds, what it never finds (drafts), how it
shows it (escaped, highlighted), what it answers to bad queries, its fixed query count, and its
place on the site (the header's box, the series page's SearchAction, noindex, no sitemap entry,
no page cache, not in the static copy). The seed's own queries: test_search_seed.py."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seminars.models import Organization, SearchEntry, Seminar, SiteSettings
from seminars.record import services
from seminars.search import index
from seminars.search.folding import fold, fold_with_positions
from seminars.search.query import MAX_QUERY_LENGTH, highlight, terms_of
from seminars.takeaway.export import Export
from tests.factories import make_city, make_edition, make_editions, make_seminar
from tests.pages import collapsed

LANGS = ("ja", "zh-hans")


def search(client, lang, query):
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    return response


def found(client, lang, query):
    return [item.seminar.edition for item in search(client, lang, query).context["result"].found]


@pytest.fixture
def mianyang(db):
    """Edition 5, held in 綿陽市 / 绵阳市, indexed."""
    seminar = make_edition(5, city=make_city("綿陽市", "绵阳市"))
    index.rebuild()
    return seminar


# --- folding ---


VARIANTS = [("綿", "绵"), ("陽", "阳"), ("黒", "黑"), ("誘", "诱"), ("業", "业"), ("資", "资")]
VARIANTS += [("県", "县"), ("弁", "办"), ("ＡＢＣ１", "abc1"), ("竜", "龍")]


@pytest.mark.parametrize(("one", "other"), VARIANTS)
def test_search_folding_makes_variants_one(one, other):
    assert fold(one) == fold(other)


def test_search_folding_keeps_a_map_to_the_original_characters():
    folded, positions = fold_with_positions("㈱綿\x00陽")

    assert folded == "(株)绵阳"
    assert positions == [0, 0, 0, 1, 3]


def test_search_terms_split_on_any_space_and_drop_repeats():
    assert terms_of("綿陽\u3000須坂  綿陽 ") == ["绵阳", "须坂"]
    assert terms_of("\x01\x02") == []
    assert len(terms_of("a b c d e f g")) == 5


# --- what it finds ---


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "query", ["綿陽", "绵阳", "綿", "阳", "主催団体5-0", "主办团体5-0", "講師1"]
)
def test_search_finds_an_edition_by_any_text_in_either_language(client, mianyang, lang, query):
    assert found(client, lang, query) == [5]


def test_search_never_finds_a_draft(client, mianyang):
    draft = make_seminar(
        6, status=Seminar.Status.DRAFT, theme_ja="非公開の下書き", theme_zh_hans="草稿"
    )
    index.rebuild()
    assert not SearchEntry.objects.filter(seminar=draft).exists()
    # Even rows written for it by mistake (or before an unpublish was refreshed) find nothing.
    SearchEntry.objects.create(
        seminar=draft, kind="theme", language="ja", text="非公開", folded="非公开"
    )

    for lang in LANGS:
        assert found(client, lang, "非公開") == []
        assert found(client, lang, "草稿") == []
    assert found(client, "ja", "テーマ") == [5]  # make_seminar's theme of the published one


def test_search_shows_matches_escaped_and_highlighted(client, db):
    make_edition(5, theme_ja="<script>alert(1)</script>綿陽&amp;", theme_zh_hans="绵阳")
    index.rebuild()

    html = search(client, "ja", "綿陽").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>綿陽</mark>&amp;amp;" in html
    assert 'lang="zh-Hans"><mark>绵阳</mark></span>' in html


def test_search_highlight_escapes_every_piece():
    html = highlight('a<b>"綿陽"</b>', ["绵阳"])

    assert html == "a&lt;b&gt;&quot;<mark>綿陽</mark>&quot;&lt;/b&gt;"


@pytest.mark.parametrize("lang", LANGS)
def test_search_query_is_echoed_escaped(client, mianyang, lang):
    query = '<img src=x onerror="alert(1)">'
    html = search(client, lang, query).content.decode()

    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


# --- bad queries ---


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("query", ["", "   ", "\u3000", "\x01\x02"])
def test_search_empty_query_asks_for_words(client, mianyang, lang, query):
    response = search(client, lang, query)

    assert response.context["result"].error == "empty"
    assert {"ja": "入力してください", "zh-hans": "请输入"}[lang] in collapsed(
        response.content.decode()
    )


@pytest.mark.parametrize("lang", LANGS)
def test_search_too_long_query_is_refused_without_a_query(
    client, mianyang, lang, django_assert_max_num_queries
):
    SiteSettings.objects.current()
    with django_assert_max_num_queries(1):  # the site settings at most: no search ran
        response = search(client, lang, "綿陽" * MAX_QUERY_LENGTH)

    assert response.context["result"].error == "too_long"
    expected = {"ja": f"{MAX_QUERY_LENGTH}文字まで", "zh-hans": f"最多{MAX_QUERY_LENGTH}个字符"}
    assert expected[lang] in collapsed(response.content.decode())


@pytest.mark.parametrize("query", ["%", "_", "%%", "\\", "'", '"', "' OR 1=1 --", "*", "NEAR("])
def test_search_wildcards_and_quotes_are_plain_characters(client, mianyang, query):
    assert found(client, "ja", query) == []


def test_search_takes_the_last_q_and_ignores_other_parameters(client, mianyang):
    response = client.get("/ja/search/?q=草稿&q=綿陽&page=x&lang=en")

    assert response.status_code == 200
    assert [item.seminar.edition for item in response.context["result"].found] == [5]


@pytest.mark.parametrize("path", ["/en/search/?q=a", "/ja/search/x/?q=a", "/ja/search"])
def test_search_malformed_urls_are_not_found_or_redirected(client, db, path):
    assert client.get(path).status_code in (301, 404)


# --- fixed cost ---


def query_count(client, lang, query):
    SiteSettings.objects.current()  # as on a running site: from the cache
    with CaptureQueriesContext(connection) as captured:
        search(client, lang, query)
    return len(captured)


@pytest.mark.parametrize("lang", LANGS)
def test_search_query_count_is_the_same_for_one_and_four_editions(client, db, lang):
    city = make_city("綿陽市", "绵阳市")
    make_edition(5, city=city)
    index.rebuild()
    one = query_count(client, lang, "绵阳 講師")
    for edition in (6, 7, 8):
        make_edition(edition, city=city)
    index.rebuild()
    four = query_count(client, lang, "绵阳 講師")

    assert found(client, lang, "绵阳 講師") == [8, 7, 6, 5]
    assert one == four == 2


def test_search_lists_at_most_five_matches_an_edition_and_counts_the_rest(client, mianyang):
    item = search(client, "ja", "講").context["result"].found[0]

    assert len(item.matches) == 5
    assert item.more > 0
    assert f"ほか{item.more}件が該当" in collapsed(search(client, "ja", "講").content.decode())


@pytest.mark.parametrize("lang", LANGS)
def test_search_pages_editions_twenty_at_a_time(client, db, lang):
    make_editions(21, first_edition=1, first_year=2002)
    index.rebuild()
    query = "テーマ"  # make_editions' themes: テーマN / 主题N

    first = search(client, lang, query)
    html = first.content.decode()
    assert first.context["result"].count == 21
    assert [item.seminar.edition for item in first.context["result"].found] == list(
        range(21, 1, -1)
    )
    assert 'href="?q=%E3%83%86%E3%83%BC%E3%83%9E&amp;page=2"' in html
    last = client.get(f"/{lang}/search/", {"q": query, "page": "2"})
    assert [item.seminar.edition for item in last.context["result"].found] == [1]
    for page in ("abc", "0", "-1", "99", "１"):  # no page, or out of range: first or last
        response = client.get(f"/{lang}/search/", {"q": query, "page": page})
        assert response.status_code == 200
        assert response.context["result"].page.number in (1, 2)


# --- its place on the site ---


@pytest.mark.parametrize("lang", LANGS)
def test_search_box_in_the_header_of_every_public_page(client, mianyang, lang):
    action = f'action="/{lang}/search/"'
    for path in (f"/{lang}/", f"/{lang}/seminars/5/", f"/{lang}/privacy/", f"/{lang}/search/"):
        html = client.get(path).content.decode()
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        assert action in header and 'name="q"' in header and 'method="get"' in header, path
    missing = client.get(f"/{lang}/seminars/99/")
    assert missing.status_code == 404 and action in missing.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_search_page_is_noindex_and_not_in_the_sitemap(client, mianyang, lang):
    response = search(client, lang, "綿陽")

    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "/search/" not in client.get("/sitemap.xml").content.decode()


def test_search_is_never_served_from_the_page_cache(client, mianyang, settings):
    settings.PAGE_CACHE_ENABLED = True
    assert found(client, "ja", "綿陽") == [5]
    assert found(client, "ja", "存在しない語") == []
    assert found(client, "ja", "綿陽") == [5]


def website_node(client, lang):
    html = client.get(f"/{lang}/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    graphs = [node for block in blocks for node in json.loads(block).get("@graph", [])]
    return next((node for node in graphs if node["@type"] == "WebSite"), None)


@pytest.mark.parametrize("lang", LANGS)
def test_search_action_in_the_series_page_structured_data(client, mianyang, lang):
    action = website_node(client, lang)["potentialAction"]

    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == f"http://testserver/{lang}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"


def test_search_static_copy_has_no_search_box_and_no_search_action(client, mianyang, settings):
    assert (
        Export(root=None, base_url="https://example.org/").settings_during_export()[
            "SEARCH_ENABLED"
        ]
        is False
    )
    settings.SEARCH_ENABLED = False

    assert 'name="q"' not in client.get("/ja/seminars/5/").content.decode()
    assert website_node(client, "ja") is None


# --- the index follows the record ---


@pytest.mark.django_db(transaction=True)
def test_search_index_follows_publish_unpublish_and_edits(client):
    """Real commits (a transactional test, ~1 s for its flush): the index is written by the
    page-cache invalidation's after-commit hook, as on a running site."""
    seminar = make_edition(5, city=make_city("綿陽市", "绵阳市"))
    assert found(client, "ja", "绵阳") == [5]

    services.unpublish(seminar)
    assert found(client, "ja", "绵阳") == []
    assert not SearchEntry.objects.exists()

    services.publish(Seminar.objects.get(pk=seminar.pk))
    assert found(client, "zh-hans", "綿陽") == [5]

    organization = Organization.objects.get(name_ja="主催団体5-0")
    organization.name_zh_hans = "四川省人民政府外事侨务办公室"
    organization.save()
    assert found(client, "ja", "外事僑務弁公室") == [5]
