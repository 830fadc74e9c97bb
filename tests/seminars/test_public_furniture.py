"""What every public page carries besides its content: the footer (publisher, contact, copyright,
last update, the open data and the feed), its own title, description and Open Graph card,
breadcrumbs with their BreadcrumbList, the edition page's print button; and how people are named
(the position as the source gives it)."""

import re

import pytest

from tests.factories import make_participant
from tests.pages import collapsed
from tests.seminars.test_public_site import PUBLISHER, footer, plain
from tests.seminars.test_public_structured_data import breadcrumb_lists, check

# make_edition(5) (tests/conftest.py `edition`): its pages, and the pages of the whole site.
PAGES = {
    "series": "/{lang}/",
    "edition": "/{lang}/seminars/5/",
    "programme": "/{lang}/seminars/5/programme/",
    "open data": "/{lang}/data/",
}
# Each page's own og:title, by language.
TITLES = {
    "series": ("日中地域間交流推進セミナー", "中日地区间交流推进研讨会"),
    "edition": ("第5回", "第5届"),
    "programme": ("プログラム（日中対訳） | 第5回", "日程（中日对照） | 第5届"),
    "open data": ("オープンデータ | 日中地域間", "开放数据 | 中日地区间"),
}
LANGS = ("ja", "zh-hans")


def meta(html, prop):
    found = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html)
    return found[1] if found else None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", list(PAGES))
def test_furniture_every_page_has_the_full_footer(edition, client, kind, lang):
    html = collapsed(client.get(PAGES[kind].format(lang=lang)).content.decode())
    words = plain(footer(html))
    label, publisher = PUBLISHER[lang]

    assert f"{label} {publisher}" in words
    assert f"© {publisher}（CLAIR）" in words
    assert re.search(r"(最終更新|最后更新) 20\d\d年\d+月\d+日", words)
    assert re.search(r"(お問い合わせ|联系方式)", words)
    assert f'href="/{lang}/data/"' in footer(html)
    assert f'href="/{lang}/feed.atom" type="application/atom+xml"' in footer(html)


@pytest.mark.parametrize("lang", LANGS)
def test_furniture_error_page_links_the_data_and_feed_without_a_query(
    edition, client, lang, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(f"/{lang}/no-such-page/")

    html = collapsed(response.content.decode())
    assert response.status_code == 404
    assert f'href="/{lang}/data/"' in footer(html)
    assert meta(html, "og:title").startswith(("ページが見つかりません |", "找不到该页面 |"))


@pytest.mark.parametrize(("lang", "column"), [("ja", 0), ("zh-hans", 1)])
@pytest.mark.parametrize("kind", list(PAGES))
def test_furniture_every_page_has_its_own_title_description_and_card(
    edition, client, kind, lang, column
):
    html = collapsed(client.get(PAGES[kind].format(lang=lang)).content.decode())
    description = re.search(r'<meta name="description" content="([^"]*)">', html)[1]

    assert TITLES[kind][column] in meta(html, "og:title")
    assert meta(html, "og:title") == " ".join(meta(html, "og:title").split())  # one line
    assert meta(html, "og:description") and description
    if kind in ("programme", "open data"):
        assert meta(html, "og:description") == description
        assert meta(html, "og:title") != meta(html, "og:site_name")


@pytest.mark.parametrize(
    ("url", "trail"),
    [
        ("/ja/seminars/5/", ["日中地域間交流推進セミナー", "第5回"]),
        ("/zh-hans/seminars/5/", ["中日地区间交流推进研讨会", "第5届"]),
        (
            "/ja/seminars/5/programme/",
            ["日中地域間交流推進セミナー", "第5回", "プログラム（日中対訳）"],
        ),
        (
            "/zh-hans/seminars/5/programme/",
            ["中日地区间交流推进研讨会", "第5届", "日程（中日对照）"],
        ),
        ("/ja/data/", ["日中地域間交流推進セミナー", "オープンデータ"]),
        ("/zh-hans/data/", ["中日地区间交流推进研讨会", "开放数据"]),
    ],
)
def test_furniture_breadcrumbs_lead_from_the_series_with_their_structured_data(
    edition, client, url, trail
):
    html = collapsed(client.get(url).content.decode())
    nav = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">.*?</nav>', html)[0]
    (data,) = breadcrumb_lists(html)

    assert re.findall(r"<li>(?:<a [^>]*>|<span [^>]*>)([^<]*)<", nav) == trail
    assert f'<span aria-current="page">{trail[-1]}</span>' in nav
    lang = url.split("/")[1]
    assert f'<a href="/{lang}/">{trail[0]}</a>' in nav
    check(data)
    assert [e["name"] for e in data["itemListElement"]] == trail
    assert [e["position"] for e in data["itemListElement"]] == list(range(1, len(trail) + 1))
    assert data["itemListElement"][-1]["item"] == f"http://testserver{url}"


@pytest.mark.parametrize(("lang", "label"), [("ja", "このページを印刷"), ("zh-hans", "打印本页")])
def test_furniture_edition_page_has_a_print_button_run_by_a_script_file(
    edition, client, lang, label
):
    html = collapsed(client.get(f"/{lang}/seminars/5/").content.decode())

    assert f'<button type="button" class="print-button" data-print hidden>{label}</button>' in html
    assert '<script src="/static/js/print.js" defer></script>' in html


@pytest.mark.parametrize(
    ("lang", "positions", "shown"),
    [
        ("ja", ("長野県須坂市長", "长野县须坂市市长"), "長野県須坂市長"),
        ("zh-hans", ("長野県須坂市長", "长野县须坂市市长"), "长野县须坂市市长"),
        ("ja", ("", ""), "長野県須坂市"),  # no position: the affiliation
    ],
)
def test_furniture_a_person_is_named_with_the_position_the_source_gives(
    edition, client, lang, positions, shown
):
    """The position is shown as written, never composed from the affiliation and a title (長野県
    須坂市 + 市長 read 長野県須坂市市長); the affiliation only when there is no position."""
    person = make_participant(
        edition.delegations.get(side="japan"),
        "三木正夫",
        "三木正夫",
        position_ja=positions[0],
        position_zh_hans=positions[1],
        organization_ja="長野県須坂市",
        organization_zh_hans="长野县须坂市",
        listed_with_delegation=False,
    )
    person.agenda_items.add(edition.agenda_items.first())

    html = collapsed(client.get(f"/{lang}/seminars/5/").content.decode())
    line = re.search(r'<span class="person__name">三木正夫</span>(.*?)</li>', html, re.S)[1]

    assert re.sub(r"<[^>]+>", "", line).strip() == shown
    assert "須坂市市長" not in html
