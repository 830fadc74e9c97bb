"""The URL contract: `/` by Accept-Language, localized 404s, switcher, hreflang, sitemap."""

import re
from xml.etree import ElementTree as ET

import pytest

from seminars.models import Seminar
from tests.factories import make_editions
from tests.pages import collapsed

NOT_FOUND_JA = "<h1>ページが見つかりません</h1>"
NOT_FOUND_ZH = "<h1>找不到该页面</h1>"


# Accept-Language → the language prefix a reader is sent to.
REDIRECTS = [
    ("zh-CN,zh;q=0.9", "/zh-hans/"),
    ("zh-TW", "/zh-hans/"),
    ("zh", "/zh-hans/"),
    ("zh-Hans-CN", "/zh-hans/"),
    ("en-US,en;q=0.9,zh-CN;q=0.8", "/zh-hans/"),
    ("ja-JP,ja;q=0.9", "/ja/"),
    ("en-US,en;q=0.9", "/ja/"),
    ("ja;q=0.5,zh;q=0.9", "/zh-hans/"),
    ("", "/ja/"),
    ("*", "/ja/"),
]


@pytest.mark.parametrize(("accept_language", "location"), REDIRECTS)
def test_root_redirects_by_accept_language(db, client, accept_language, location):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == location
    assert "Accept-Language" in response["Vary"]


def test_root_without_accept_language_redirects_to_japanese(db, client):
    response = client.get("/")

    assert response.status_code == 302 and response["Location"] == "/ja/"


def test_root_ignores_the_language_cookie_in_favour_of_the_header(db, client):
    client.cookies["django_language"] = "ja"

    response = client.get("/", headers={"accept-language": "zh-CN"})

    assert response["Location"] == "/zh-hans/"


# Paths that name no page, by the language their 404 answers in.
UNKNOWN_PATHS = {
    "ja": [
        "/ja/seminars/999/",
        "/ja/seminars/abc/",
        "/ja/seminars/0/",
        "/ja/seminars/05/",
        "/ja/seminars/99999999999999999999/",
        "/ja/seminars/-1/",
        "/xx/",
        "/xx/seminars/5/",
        "/en/",
        "/ja/%E0%A4%A/",
    ],
    "zh-Hans": ["/zh-hans/seminars/999/", "/zh-hans/seminars/abc/", "/zh-hans/no/such/page/"],
}
NOT_FOUND = {"ja": NOT_FOUND_JA, "zh-Hans": NOT_FOUND_ZH}


@pytest.mark.parametrize(
    ("url", "lang"), [(url, lang) for lang, urls in UNKNOWN_PATHS.items() for url in urls]
)
def test_unknown_paths_answer_a_localized_404(edition, client, url, lang):
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND[lang] in html
    assert f'<html lang="{lang}">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'hreflang="x-default"' not in html


@pytest.mark.parametrize(("accept_language", "prefix"), REDIRECTS)
def test_404_outside_a_prefix_answers_in_the_browsers_language(
    db, client, settings, accept_language, prefix
):
    """The language `/` would redirect to (REDIRECTS)."""
    lang = "zh-Hans" if prefix == "/zh-hans/" else "ja"
    settings.DEBUG = False
    response = client.get("/xx/", headers={"accept-language": accept_language})

    html = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND[lang] in html and f'<html lang="{lang}">' in html
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/ja/seminars/", "/ja/"),
        ("/zh-hans/seminars/", "/zh-hans/"),
        ("/zh/", "/zh-hans/"),
        ("/zh", "/zh-hans/"),
        ("/zh-Hans/", "/zh-hans/"),
        ("/zh-cn/", "/zh-hans/"),
        ("/zh-CN/", "/zh-hans/"),
        ("/zh_CN/seminars/5/", "/zh-hans/seminars/5/"),
        ("/zh-cn/seminars/5/?page=2", "/zh-hans/seminars/5/"),
        ("/JA/seminars/5/", "/ja/seminars/5/"),
        ("/ja-JP/", "/ja/"),
    ],
)
def test_language_aliases_and_the_edition_list_redirect(edition, client, path, target):
    response = client.get(path)

    assert response.status_code == 301 and response["Location"] == target
    assert client.get(target).status_code == 200


def test_favicon_ico_is_served(db, client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("img/favicon.ico")


def test_404_switcher_links_to_each_language_home(db, client):
    html = collapsed(client.get("/zh-hans/seminars/999/").content.decode())

    assert re.search(r'<a href="/ja/" hreflang="ja" lang="ja"[^>]*>日本語</a>', html)


@pytest.mark.parametrize("url", ["/ja/seminars/5/", "/zh-hans/seminars/5/"])
def test_unpublished_edition_is_404(edition, client, url):
    assert edition.is_published
    Seminar.objects.filter(pk=edition.pk).update(status=Seminar.Status.DRAFT)

    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    for text in (edition.title_ja, edition.title_zh_hans, edition.theme_ja, edition.theme_zh_hans):
        assert text not in html


@pytest.mark.parametrize(
    ("url", "other", "other_name"),
    [
        ("/ja/", "/zh-hans/", "简体中文"),
        ("/zh-hans/", "/ja/", "日本語"),
        ("/ja/seminars/5/", "/zh-hans/seminars/5/", "简体中文"),
        ("/zh-hans/seminars/5/", "/ja/seminars/5/", "日本語"),
        # ?page=1 is the first page itself (one cache key): it links to the other first page.
        ("/ja/?page=1", "/zh-hans/", "简体中文"),
    ],
)
def test_language_switcher_links_to_the_same_page(edition, client, url, other, other_name):
    html = collapsed(client.get(url).content.decode())

    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S)[0]
    link = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', switcher)
    assert (link[1], link[2]) == (other.replace("&", "&amp;"), other_name)
    assert 'aria-current="true"' in switcher


@pytest.mark.parametrize("path", ["/ja/", "/zh-hans/", "/ja/seminars/5/", "/zh-hans/seminars/5/"])
def test_hreflang_alternates_for_both_languages_and_x_default(edition, client, path):
    html = collapsed(client.get(path).content.decode())
    tail = path.split("/", 2)[2]

    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    assert alternates == {
        "ja": f"http://testserver/ja/{tail}",
        "zh-Hans": f"http://testserver/zh-hans/{tail}",
        "x-default": f"http://testserver/{tail}",
    }
    assert f'<link rel="canonical" href="http://testserver{path}">' in html


@pytest.mark.parametrize(("url", "lang"), [("/ja/", "ja"), ("/zh-hans/seminars/5/", "zh-Hans")])
def test_html_lang_and_content_language(edition, client, url, lang):
    response = client.get(url)

    html = collapsed(response.content.decode())
    assert re.match(f'(?i:<!doctype html>)<html lang="{lang}">', html)
    assert response["Content-Language"] == lang.lower()


def test_sitemap_lists_every_published_page_with_language_alternates(db, client):
    make_editions(5, first_edition=1, first_year=2002)
    Seminar.objects.filter(edition=3).update(status=Seminar.Status.DRAFT)

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.fromstring(response.content).findall("s:url", ns)
    locations = [u.find("s:loc", ns).text for u in urls]
    # The series, open data and organization index pages, four published editions (none has a
    # programme nor an organizer) and the three information pages (site policy, privacy,
    # accessibility).
    assert len(locations) == 2 * (3 + 4 + 3)
    assert "http://testserver/zh-hans/seminars/5/" in locations
    assert "http://testserver/ja/seminars/3/" not in locations
    entry = urls[locations.index("http://testserver/ja/seminars/5/")]
    links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert links == {
        "ja": "http://testserver/ja/seminars/5/",
        "zh-hans": "http://testserver/zh-hans/seminars/5/",
        "x-default": "http://testserver/seminars/5/",
    }


def test_robots_txt_points_at_the_sitemap(db, client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_admin_stays_outside_the_language_prefix(db, client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert client.get("/ja/admin/").status_code == 404


@pytest.mark.parametrize(("accept_language", "prefix"), REDIRECTS)
def test_x_default_url_redirects_to_the_readers_language(edition, client, accept_language, prefix):
    response = client.get("/seminars/5/", headers={"accept-language": accept_language})

    assert response.status_code == 302 and response["Location"] == f"{prefix}seminars/5/"


@pytest.mark.parametrize(
    ("path", "text"), [("/zh-hans/seminars/5/", "服务器错误"), ("/", "サーバーエラー")]
)
def test_server_error_page_is_localized_without_the_database(path, text):
    from django.test import RequestFactory
    from django.utils import translation

    from config.urls import server_error

    with translation.override(None):  # raised before LocaleMiddleware chose a language
        response = server_error(RequestFactory().get(path))

    assert response.status_code == 500
    assert f"<h1>{text}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "language"), [("/xx/", "zh-hans"), ("/zh-hans/seminars/999/", "zh-hans")]
)
def test_404_content_language_matches_the_page(db, client, url, language):
    response = client.get(url, headers={"accept-language": "zh-CN"})

    assert response["Content-Language"] == language


@pytest.mark.parametrize(
    ("path", "heading", "language"),
    [
        ("/ja/seminars/5/?x=%00", "不正なリクエスト", "ja"),
        ("/zh-hans/seminars/%00/", "错误的请求", "zh-hans"),
    ],
)
def test_bad_request_page_is_translated(db, client, path, heading, language):
    response = client.get(path)

    assert response.status_code == 400
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<html lang="{language}"' in html.replace("zh-Hans", "zh-hans")
    assert "\x00" not in html


@pytest.mark.parametrize(
    ("language", "heading"), [("ja", "アクセスできません"), ("zh-hans", "无权访问")]
)
def test_forbidden_admin_page_is_translated(db, client, django_user_model, language, heading):
    # A staff member without any permission opens a model's list.
    user = django_user_model.objects.create_user("nobody", password="x-long-pass-1", is_staff=True)
    client.force_login(user)
    client.cookies["django_language"] = language

    response = client.get("/admin/seminars/seminar/")

    assert response.status_code == 403
    assert f"<h1>{heading}</h1>" in response.content.decode()
