"""The series page (/ja/, /zh-hans/): the introduction, every published edition, the latest."""

import re

import pytest

from seminars.models import Seminar
from tests.factories import make_editions, make_seminar
from tests.pages import collapsed

NOT_FOUND = {"/ja/": "<h1>ページが見つかりません</h1>", "/zh-hans/": "<h1>找不到该页面</h1>"}


def rows(html):
    """The rows of the editions table (the host-city table has rows of its own)."""
    table = re.search(r'<table class="editions-table">.*?</table>', html, re.S)
    return re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", table[0] if table else "", re.S)


@pytest.mark.django_db
def test_series_ja_shows_introduction_and_every_edition(seed, client):
    html = client.get("/ja/").content.decode()

    assert "<h1>日中地域間交流推進セミナー</h1>" in html
    assert "「日中地域間交流推進セミナー」を毎年、中国各都市で開催しています。" in html
    assert "課題解決型の交流が重視されるようになる中で" in html
    assert len(rows(html)) == 17
    assert "第1回" in html and "第17回" in html
    assert "2018年度（平成30年度）" in html
    assert "2002年度（平成14年度）" in html
    assert "綿陽市（四川省）" in html
    assert "南寧市（広西チワン族自治区）" in html
    assert "新産業創出と企業誘致による持続的な地方の発展について" in html
    assert 'href="/ja/seminars/17/"' in html


def test_series_zh_hans_shows_introduction_and_every_edition(seed, client):
    html = client.get("/zh-hans/").content.decode()

    assert '<html lang="zh-Hans">' in html
    assert "<h1>中日地区间交流推进研讨会</h1>" in html
    assert "每年在中国各城市举办“中日地区间交流推进研讨会”" in html
    assert len(rows(html)) == 17
    assert "第1届" in html and "第17届" in html
    assert "2018年度" in html and "平成" not in html
    assert "绵阳市（四川省）" in html
    assert "加强新产业培育及招商引资，促进地方可持续发展" in html
    assert 'href="/zh-hans/seminars/17/"' in html
    assert not re.search(r"[\u3040-\u30ff]", html), "no Japanese kana on a Chinese page"


@pytest.mark.parametrize(
    ("url", "edition", "theme"),
    [("/ja/", "第17回", "新産業創出と企業誘致"), ("/zh-hans/", "第17届", "加强新产业培育")],
)
def test_series_latest_edition_is_highlighted(seed, client, url, edition, theme):
    html = collapsed(client.get(url).content.decode())

    latest = re.search(r'<section class="latest".*?</section>', html, re.S).group(0)
    assert edition in latest and theme in latest
    assert html.count('class="is-latest"') == 1
    assert re.search(r'class="is-latest"><th scope="row"><a href="[^"]+/17/">', html)


@pytest.mark.parametrize(
    ("url", "era"), [("/ja/", "2019年度（令和元年度）"), ("/ja/", "2020年度（令和2年度）")]
)
def test_series_ja_fiscal_year_shows_the_era(seed, client, url, era):
    make_editions(2)

    assert era in client.get(url).content.decode()


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_first_edition_without_theme_says_so(seed, client, url):
    html = client.get(url).content.decode()

    first = rows(html)[0]
    assert "北京市" in first
    assert ("なし" if url == "/ja/" else "无") in first


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_draft_edition_is_not_listed(seed, client, url):
    Seminar.objects.filter(edition=17).update(status=Seminar.Status.DRAFT)

    html = client.get(url).content.decode()

    assert len(rows(html)) == 16
    assert "/seminars/17/" not in html
    assert "/seminars/16/" in re.search(r'<section class="latest".*?</section>', html, re.S).group(
        0
    )


@pytest.mark.parametrize("url", ["/ja/", "/zh-hans/"])
def test_series_with_many_editions_is_paginated(seed, client, url):
    make_editions(80)

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
def test_series_bad_page_number_is_404(seed, client, prefix, page):
    make_editions(40)

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
