"""The publisher and site information (site settings), the host-city section, Open Graph tags
and the sitemap's priorities, in both languages."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from seminars.models import City, Seminar, SiteSettings
from seminars.public.hostmap import BOX, host_map, project
from tests.admin_forms import admin_form_data
from tests.factories import make_city, make_editions, make_seminar
from tests.pages import collapsed


def footer(html):
    return re.search(r'<footer class="site-footer">.*?</footer>', html, re.S)[0]


def plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def text(html):
    """The text as it reads: tags dropped, no space added where a tag was."""
    return re.sub(r"<[^>]+>", "", collapsed(html))


# The footer's publisher line by page language: (label, publisher).
PUBLISHER = {
    "ja": ("発行", "日本国自治体国際化協会"),
    "zh-hans": ("发布机构", "日本国自治体国际化协会"),
}


@pytest.mark.parametrize("url", ["/ja/", "/ja/seminars/3/", "/zh-hans/", "/zh-hans/seminars/5/"])
def test_every_page_names_the_publisher_with_copyright_and_last_update(edition, client, url):
    make_seminar(3)  # an edition without a report
    label, publisher = PUBLISHER[url.split("/")[1]]
    html = footer(client.get(url).content.decode())
    words = plain(html)

    assert f"{label} {publisher} （ CLAIR ） " in words
    assert f"© {publisher}（CLAIR）" in words
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
def test_series_introduction_says_who_holds_the_seminar(edition, client, url, opening):
    intro = re.search(
        r'<section class="intro".*?</section>', collapsed(client.get(url).content.decode()), re.S
    )

    assert opening in intro[0]


def test_site_settings_edited_in_the_admin_show_in_both_languages_at_once(edition, superuser):
    anonymous = Client()
    anonymous.get("/ja/"), anonymous.get("/zh-hans/seminars/5/")  # cached
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
    zh = plain(footer(anonymous.get("/zh-hans/seminars/5/").content.decode()))
    assert "問い合わせ先 〒102-0083 東京都千代田区 交流支援部" in ja
    assert "联系方式 交流支援部（日本东京都千代田区）" in zh
    assert "seminar@example.org" in ja and "seminar@example.org" in zh


def test_last_updated_is_the_latest_change_of_the_settings_or_a_published_edition(db, client):
    make_editions(3, first_edition=3, first_year=2004)
    moment = timezone.make_aware(datetime.datetime(2026, 1, 10, 12))
    SiteSettings.objects.update(updated_at=moment)
    Seminar.objects.update(updated_at=moment)
    Seminar.objects.filter(edition=4).update(updated_at=moment + datetime.timedelta(days=50))
    Seminar.objects.filter(edition=5).update(
        status=Seminar.Status.DRAFT, updated_at=moment + datetime.timedelta(days=90)
    )  # a draft's change is not public

    ja = footer(collapsed(client.get("/ja/").content.decode()))
    zh = footer(collapsed(client.get("/zh-hans/seminars/4/").content.decode()))

    assert '最終更新</dt><dd><time datetime="2026-03-01">2026年3月1日（日）</time>' in ja
    assert '最后更新</dt><dd><time datetime="2026-03-01">2026年3月1日（星期日）</time>' in zh


def test_only_one_site_settings_record_exists(db):
    SiteSettings(publisher_name_ja="別", publisher_name_zh_hans="别").save()

    assert SiteSettings.objects.count() == 1
    assert SiteSettings.objects.get().publisher_name_ja == "別"


@pytest.mark.django_db(transaction=True)
def test_site_settings_exist_again_after_a_flush(client):
    """Every footer names the publisher: a flushed database (every transactional test's
    teardown, a restore that lost it) gets the record back with migration 0008's values, as the
    information pages and the roles come back; an edited record is kept."""
    from django.core.management import call_command

    SiteSettings.objects.update(publisher_name_ja="編集済み")
    call_command("flush", interactive=False, verbosity=0)
    assert SiteSettings.objects.get().publisher_name_ja == "日本国自治体国際化協会"
    assert SiteSettings.objects.get().publisher_name_zh_hans == "日本国自治体国际化协会"
    assert "发布机构 日本国自治体国际化协会" in plain(
        footer(client.get("/zh-hans/").content.decode())
    )

    SiteSettings.objects.update(publisher_name_ja="編集済み")
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate runs again
    assert SiteSettings.objects.get().publisher_name_ja == "編集済み"


# --- the host cities ---


def host_section(html):
    return re.search(r'<section class="host-cities".*?</section>', html, re.S)[0]


@pytest.fixture
def host_cities(db):
    """Beijing (a municipality) hosting editions 1 and 3, Nanning (in a region) edition 2,
    both with their coordinates."""
    beijing = make_city(
        "北京市",
        "北京市",
        province_ja="",
        province_zh_hans="",
        latitude=39.9042,
        longitude=116.4074,
    )
    nanning = make_city(
        "南寧市",
        "南宁市",
        province_ja="広西チワン族自治区",
        province_zh_hans="广西壮族自治区",
        latitude=22.817,
        longitude=108.3665,
    )
    for edition, city in ((1, beijing), (2, nanning), (3, beijing)):
        make_seminar(edition, city=city)
    return beijing, nanning


@pytest.mark.parametrize(
    ("url", "heading", "label", "nanning"),
    [
        ("/ja/", "開催地", "北京市 第1回・第3回", ("南寧市", "広西チワン族自治区")),
        ("/zh-hans/", "举办地", "北京市 第1届、第3届", ("南宁市", "广西壮族自治区")),
    ],
)
def test_series_host_cities_map_and_list(host_cities, client, url, heading, label, nanning):
    section = host_section(collapsed(client.get(url).content.decode()))
    prefix = url

    assert f'<h2 id="host-cities-heading">{heading}</h2>' in section
    markers = re.findall(r'<g class="host-map__marker".*?</g>', section, re.S)
    assert len(markers) == len(host_cities)
    beijing_marker = next(m for m in markers if "北京市" in m)
    # The marker links to the latest edition; no tspan inside an a (invalid SVG 1.1 for vnu).
    assert re.findall(r'<a href="([^"]+)"[^>]*><circle', beijing_marker) == [f"{prefix}seminars/3/"]
    assert not re.search(r"<a\b(?:(?!</a>).)*<tspan", section, re.S)
    assert text(re.search(r"<text[^>]*>.*?</text>", beijing_marker)[0]) == label
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", section, re.S)
    assert len(rows) == len(host_cities)
    nanning_row = next(r for r in rows if nanning[0] in r)
    assert nanning[1] in nanning_row and f'href="{prefix}seminars/2/"' in nanning_row
    links = set(re.findall(rf'href="({prefix}seminars/\d+/)"', section))
    assert len(links) == 3  # every edition reachable from the section


def test_host_city_markers_are_placed_by_their_coordinates(db):
    inland = make_city("内陸市", "内陆市", latitude=31.4675, longitude=104.6796)
    northwest = make_city("西北市", "西北市", latitude=43.8256, longitude=87.6168)
    make_seminar(1, city=inland), make_seminar(2, city=northwest)
    editions = list(Seminar.objects.published().for_listing())

    built_in = host_map(editions)

    middle = next(m for m in built_in.markers if m.city == inland)
    assert (middle.x, middle.y) == tuple(round(v, 1) for v in project(104.6796, 31.4675))
    west = next(m for m in built_in.markers if m.city == northwest)
    assert west.x < middle.x and west.y < middle.y  # further west and north
    assert all(0 <= m.x <= built_in.width and 0 <= m.y <= built_in.height for m in built_in.markers)
    assert BOX[0] < 87.6 and BOX[2] > 123.9


def test_host_city_markers_on_a_replacement_map_use_its_bounding_box(host_cities):
    site = SiteSettings.objects.get()
    site.map_image.name = "site/approved.png"
    site.map_image_width, site.map_image_height = 1000, 800
    site.map_west, site.map_east, site.map_south, site.map_north = 70.0, 140.0, 15.0, 55.0

    placed = host_map(list(Seminar.objects.published().for_listing()), site)

    beijing = next(m for m in placed.markers if m.city.name_ja == "北京市")
    assert placed.image_url.endswith("site/approved.png") and placed.land_path == ""
    assert beijing.x == round((116.4074 - 70) / 70 * 1000, 1)
    assert beijing.y == round((55 - 39.9042) / 40 * 800, 1)


def test_city_without_coordinates_is_listed_but_not_placed(host_cities, client):
    City.objects.filter(name_ja="北京市").update(latitude=None, longitude=None)

    section = host_section(collapsed(client.get("/ja/").content.decode()))

    assert len(re.findall(r'<g class="host-map__marker"', section)) == 1  # Nanning only
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
        ("/ja/seminars/5/", "ja_JP", "zh_CN", "article"),
        ("/zh-hans/seminars/5/", "zh_CN", "ja_JP", "article"),
    ],
)
def test_pages_carry_open_graph_and_twitter_tags(edition, client, url, locale, alternate, og_type):
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


def test_sitemap_priority_follows_the_content(edition, client):
    make_seminar(3, summary_ja="", summary_zh_hans="")  # no report: empty summaries
    make_seminar(4)  # no report: summaries left NULL
    xml = client.get("/sitemap.xml").content.decode()

    entries = dict(
        re.findall(r"<loc>(http://testserver/ja/[^<]*)</loc>.*?<priority>([\d.]+)", xml, re.S)
    )
    assert entries["http://testserver/ja/"] == "1.0"
    assert entries["http://testserver/ja/seminars/5/"] == "0.8"
    assert entries["http://testserver/ja/seminars/3/"] == "0.3"
    assert entries["http://testserver/ja/seminars/4/"] == "0.3"
