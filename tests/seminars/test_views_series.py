"""The series page (/ja/, /zh-hans/): the introduction, every published edition, the latest."""

import re

import pytest

from seminars.models import Seminar
from tests.factories import make_city, make_editions, make_seminar
from tests.pages import collapsed

NOT_FOUND = {"/ja/": "<h1>ページが見つかりません</h1>", "/zh-hans/": "<h1>找不到该页面</h1>"}


def rows(html):
    """The rows of the editions table (the host-city table has rows of its own)."""
    table = re.search(r'<table class="editions-table">.*?</table>', html, re.S)
    return re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", table[0] if table else "", re.S)


@pytest.fixture
def series(db):
    """Three published editions: the first with a year and a city only (Beijing, no province,
    no theme), the next two with a theme in a city of a province."""
    beijing = make_city("北京市", "北京市", province_ja="", province_zh_hans="")
    first = make_seminar(1, city=beijing, fiscal_year=2002, theme_ja="", theme_zh_hans="")
    second = make_seminar(2, city=make_city("南テスト市", "南测试市"))
    latest = make_seminar(
        3, theme_ja="地方の持続的な発展について", theme_zh_hans="促进地方可持续发展"
    )
    return [first, second, latest]


SERIES = {
    "/ja/": {
        "texts": [
            "<h1>日中地域間交流推進セミナー</h1>",
            "「日中地域間交流推進セミナー」を毎年、中国各都市で開催しています。",
            "課題解決型の交流が重視されるようになる中で",
            "第1回",
            "第3回",
            "2002年度（平成14年度）",
            "2004年度（平成16年度）",
            "テスト市（テスト省）",
            "南テスト市（テスト省）",
        ],
        "theme": "theme_ja",
    },
    "/zh-hans/": {
        "texts": [
            '<html lang="zh-Hans">',
            "<h1>中日地区间交流推进研讨会</h1>",
            "每年在中国各城市举办“中日地区间交流推进研讨会”",
            "第1届",
            "第3届",
            "2004年度",
            "测试市（测试省）",
            "南测试市（测试省）",
        ],
        "theme": "theme_zh_hans",
    },
}


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_shows_introduction_and_every_edition(series, client, url):
    html = collapsed(client.get(url).content.decode())

    for text in SERIES[url]["texts"]:
        assert text in html, text
    assert len(rows(html)) == len(series)
    assert getattr(series[-1], SERIES[url]["theme"]) in html
    assert f'href="{url}seminars/3/"' in html
    if url == "/zh-hans/":
        assert "平成" not in html
        assert not re.search(r"[\u3040-\u30ff]", html), "no Japanese kana on a Chinese page"


@pytest.mark.parametrize(("url", "edition"), [("/ja/", "第3回"), ("/zh-hans/", "第3届")])
def test_series_latest_edition_is_highlighted(series, client, url, edition):
    html = collapsed(client.get(url).content.decode())

    latest = re.search(r'<section class="latest".*?</section>', html, re.S).group(0)
    theme = series[-1].theme_ja if url == "/ja/" else series[-1].theme_zh_hans
    assert edition in latest and theme in latest
    assert html.count('class="is-latest"') == 1
    assert re.search(r'class="is-latest"><th scope="row"><a href="[^"]+/3/">', html)


@pytest.mark.parametrize(
    ("url", "era"), [("/ja/", "2019年度（令和元年度）"), ("/ja/", "2020年度（令和2年度）")]
)
def test_series_ja_fiscal_year_shows_the_era(db, client, url, era):
    make_editions(2, first_year=2019)

    assert era in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_first_edition_without_theme_says_so(series, client, url):
    html = client.get(url).content.decode()

    first = rows(html)[0]
    assert "北京市" in first
    assert ("なし" if url == "/ja/" else "无") in first


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_draft_edition_is_not_listed(series, client, url):
    Seminar.objects.filter(edition=3).update(status=Seminar.Status.DRAFT)

    html = client.get(url).content.decode()

    assert len(rows(html)) == 2
    assert "/seminars/3/" not in html
    assert "/seminars/2/" in re.search(r'<section class="latest".*?</section>', html, re.S).group(0)


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_with_many_editions_is_paginated(db, client, url):
    make_editions(97, first_edition=1, first_year=2002)

    first = collapsed(client.get(url).content.decode())
    second = collapsed(client.get(url, {"page": 2}).content.decode())

    assert len(rows(first)) == 50 and len(rows(second)) == 47
    assert 'href="?page=2"' in first and 'rel="next"' in first
    assert "/seminars/97/" in second and 'aria-current="page">2<' in second
    assert re.search(r"<title>(.*?)</title>", second)[1].startswith(("2ページ目 | ", "第2页 | "))
    # The latest edition is highlighted on every page.
    assert "/seminars/97/" in re.search(r'<section class="latest".*?</section>', first, re.S)[0]


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "1.5", "9" * 30])
@pytest.mark.parametrize("prefix", ["/ja/", "/zh-hans/"])
def test_series_bad_page_number_is_404(db, client, prefix, page):
    make_editions(57)  # two pages of 50

    response = client.get(prefix, {"page": page})

    assert response.status_code == 404
    assert NOT_FOUND[prefix] in response.content.decode()


@pytest.mark.parametrize(
    ("url", "text"),
    [("/ja/", "公開中の開催回はまだありません。"), ("/zh-hans/", "目前尚无已发布的研讨会。")],
)
def test_series_without_editions_says_so(db, client, url, text):
    make_seminar(1, status=Seminar.Status.DRAFT)

    response = client.get(url)

    assert response.status_code == 200
    assert text in response.content.decode()
