"""The publisher and site information (site settings), the host-city section, Open Graph tags
and the sitemap's priorities, in both languages."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from seminars.hostmap import BOX, host_map, project
from seminars.models import City, Seminar, SiteSettings
from tests.admin_forms import admin_form_data
from tests.pages import collapsed

PAGES = ["/ja/", "/zh-hans/", "/ja/seminars/17/", "/zh-hans/seminars/1/"]


def footer(html):
    return re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)[0]


def plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text(html):
    """The text as it reads: tags dropped, no space added where a tag was."""
    return re.sub(r"<[^>]+>", "", collapsed(html))


@pytest.mark.parametrize(
    ("url", "publisher", "label", "copyright"),
    [
        ("/ja/", "日本国自治体国際化協会", "発行", "© 日本国自治体国際化協会（CLAIR）"),
        ("/ja/seminars/3/", "日本国自治体国際化協会", "発行", "© 日本国自治体国際化協会（CLAIR）"),
        ("/zh-hans/", "日本国自治体国际化协会", "发布机构", "© 日本国自治体国际化协会（CLAIR）"),
        (
            "/zh-hans/seminars/17/",
            "日本国自治体国际化协会",
            "发布机构",
            "© 日本国自治体国际化协会（CLAIR）",
        ),
    ],
)
def test_every_page_names_the_publisher_with_copyright_and_last_update(
    seed, client, url, publisher, label, copyright
):
    html = footer(client.get(url).content.decode())
    words = plain(html)

    assert f"{label} {publisher} （ CLAIR ）" in words
    assert copyright in words
    assert re.search(r"(最終更新|最后更新) 20\d\d年\d+月\d+日", words)
    published_by = re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", collapsed(html))[1]
    assert text(published_by) == f"{publisher}（CLAIR）"


@pytest.mark.parametrize(
    ("url", "opening"),
    [
        ("/ja/", "日本国自治体国際化協会（CLAIR）は、日中両国における地域間交流を一層推進するため"),
        (
            "/zh-hans/",
            "为进一步推进中日两国地区间交流，日本国自治体国际化协会（CLAIR）与中国外交部",
        ),
    ],
)
def test_series_introduction_says_who_holds_the_seminar(seed, client, url, opening):
    intro = re.search(
        r'<section class="intro".*?</section>', client.get(url).content.decode(), re.S
    )

    assert opening in intro[0]


def test_site_settings_edited_in_the_admin_show_in_both_languages_at_once(seed, superuser):
    anonymous = Client()
    anonymous.get("/ja/"), anonymous.get("/zh-hans/seminars/17/")  # cached
    staff = Client()
    staff.force_login(superuser)
    url = "/admin/seminars/sitesettings/1/change/"
    data = admin_form_data(staff.get(url))
    data.update(
        contact_ja="〒102-0083 東京都千代田区 交流支援部",
        contact_zh_hans="交流支援部（日本东京都千代田区）",
        contact_email="seminar@example.org",
    )

    response = staff.post(url, data)

    assert response.status_code == 302
    ja = plain(footer(anonymous.get("/ja/").content.decode()))
    zh = plain(footer(anonymous.get("/zh-hans/seminars/17/").content.decode()))
    assert "問い合わせ先 〒102-0083 東京都千代田区 交流支援部" in ja
    assert "联系方式 交流支援部（日本东京都千代田区）" in zh
    assert "seminar@example.org" in ja and "seminar@example.org" in zh


def test_last_updated_is_the_latest_change_of_the_settings_or_a_published_edition(seed, client):
    moment = timezone.make_aware(datetime.datetime(2026, 1, 10, 12))
    SiteSettings.objects.update(updated_at=moment)
    Seminar.objects.update(updated_at=moment)
    Seminar.objects.filter(edition=16).update(updated_at=moment + datetime.timedelta(days=50))
    Seminar.objects.filter(edition=17).update(
        status=Seminar.Status.DRAFT, updated_at=moment + datetime.timedelta(days=90)
    )  # a draft's change is not public

    ja = footer(collapsed(client.get("/ja/").content.decode()))
    zh = footer(collapsed(client.get("/zh-hans/seminars/16/").content.decode()))

    assert '最終更新</dt><dd><time datetime="2026-03-01">2026年3月1日（日）</time>' in ja
    assert '最后更新</dt><dd><time datetime="2026-03-01">2026年3月1日（星期日）</time>' in zh


def test_only_one_site_settings_record_exists(seed):
    SiteSettings(publisher_name_ja="別", publisher_name_zh_hans="别").save()

    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.get().publisher_name_ja == "別"


# --- the host cities ---


def host_section(html):
    return re.search(r'<section class="host-cities".*?</section>', html, re.S)[0]


@pytest.mark.parametrize(
    ("url", "heading", "beijing", "label", "nanning"),
    [
        ("/ja/", "開催地", "北京市", "北京市 第1回・第11回", ("南寧市", "広西チワン族自治区")),
        ("/zh-hans/", "举办地", "北京市", "北京市 第1届、第11届", ("南宁市", "广西壮族自治区")),
    ],
)
def test_series_host_cities_map_and_list(seed, client, url, heading, beijing, label, nanning):
    section = host_section(collapsed(client.get(url).content.decode()))
    prefix = url

    assert f'<h2 id="host-cities-heading">{heading}</h2>' in section
    markers = re.findall(r'<g class="host-map__marker".*?</g>', section, re.S)
    assert len(markers) == 16
    beijing_marker = next(m for m in markers if beijing in m)
    assert re.findall(r'<a href="([^"]+)"><tspan', beijing_marker) == [
        f"{prefix}seminars/1/",
        f"{prefix}seminars/11/",
    ]
    assert text(re.search(r"<text[^>]*>.*?</text>", beijing_marker)[0]) == label
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", section, re.S)
    assert len(rows) == 16
    nanning_row = next(r for r in rows if nanning[0] in r)
    assert nanning[1] in nanning_row and f'href="{prefix}seminars/2/"' in nanning_row
    links = set(re.findall(rf'href="({prefix}seminars/\d+/)"', section))
    assert len(links) == 17  # every edition reachable from the section


def test_host_city_markers_are_placed_by_their_coordinates(seed):
    editions = list(Seminar.objects.published().for_listing())

    built_in = host_map(editions)

    mianyang = next(m for m in built_in.markers if m.city.name_ja == "綿陽市")
    assert (mianyang.x, mianyang.y) == tuple(round(v, 1) for v in project(104.6796, 31.4675))
    urumqi = next(m for m in built_in.markers if m.city.name_ja == "ウルムチ市")
    assert urumqi.x < mianyang.x and urumqi.y < mianyang.y  # further west and north
    assert all(0 <= m.x <= built_in.width and 0 <= m.y <= built_in.height for m in built_in.markers)
    assert BOX[0] < 87.6 and BOX[2] > 123.9


def test_host_city_markers_on_a_replacement_map_use_its_bounding_box(seed):
    site = SiteSettings.objects.get()
    site.map_image.name = "site/approved.png"
    site.map_image_width, site.map_image_height = 1000, 800
    site.map_west, site.map_east, site.map_south, site.map_north = 70.0, 140.0, 15.0, 55.0

    placed = host_map(list(Seminar.objects.published().for_listing()), site)

    beijing = next(m for m in placed.markers if m.city.name_ja == "北京市")
    assert placed.image_url.endswith("site/approved.png") and placed.land_path == ""
    assert beijing.x == round((116.4074 - 70) / 70 * 1000, 1)
    assert beijing.y == round((55 - 39.9042) / 40 * 800, 1)


def test_city_without_coordinates_is_listed_but_not_placed(seed, client):
    City.objects.filter(name_ja="北京市").update(latitude=None, longitude=None)

    section = host_section(client.get("/ja/").content.decode())

    assert len(re.findall(r'<g class="host-map__marker"', section)) == 15
    assert re.search(r'<th scope="row">北京市</th>', section)


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(91, 100), (-91, 100), (30, 181), (30, -181), (30, None)]
)
def test_city_coordinates_are_validated_by_the_database(db, latitude, longitude):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        City.objects.create(name_ja="x", name_zh_hans="x", latitude=latitude, longitude=longitude)


# --- Open Graph, Twitter card, favicon ---


@pytest.mark.parametrize(
    ("url", "locale", "alternate", "og_type"),
    [
        ("/ja/", "ja_JP", "zh_CN", "website"),
        ("/zh-hans/", "zh_CN", "ja_JP", "website"),
        ("/ja/seminars/17/", "ja_JP", "zh_CN", "article"),
        ("/zh-hans/seminars/17/", "zh_CN", "ja_JP", "article"),
    ],
)
def test_pages_carry_open_graph_and_twitter_tags(seed, client, url, locale, alternate, og_type):
    html = collapsed(client.get(url).content.decode())

    def meta(prop):
        found = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html)
        return found[1] if found else None

    assert meta("og:url") == f"http://testserver{url}"
    assert meta("og:locale") == locale and meta("og:locale:alternate") == alternate
    assert meta("og:type") == og_type
    assert meta("og:title") and meta("og:description") and meta("og:site_name")
    assert meta("og:title") == " ".join(meta("og:title").split())  # one line, single spaces
    assert meta("og:image").startswith("http://testserver/static/img/og-image")
    assert meta("twitter:card") == "summary_large_image"
    assert '<link rel="icon" href="/static/img/favicon.ico"' in html


# --- sitemap ---


def test_sitemap_priority_follows_the_content(seed, client):
    xml = client.get("/sitemap.xml").content.decode()

    entries = dict(
        re.findall(r"<loc>(http://testserver/ja/[^<]*)</loc>.*?<priority>([\d.]+)", xml, re.S)
    )
    assert entries["http://testserver/ja/"] == "1.0"
    assert entries["http://testserver/ja/seminars/17/"] == "0.8"
    assert entries["http://testserver/ja/seminars/3/"] == "0.3"
