"""One edition's page (/<lang>/seminars/<edition>/): the 2018 report and a basics-only edition."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from seminars.models import Photo, Seminar
from tests.factories import make_agenda_item, make_seminar
from tests.pages import collapsed
from tests.security.images import image_bytes

KANA = re.compile(r"[\u3040-\u30ff]")


def text_of(html):
    """The visible text, roughly: tags dropped, whitespace collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def section(html, name):
    """The <section class="name"> element, nested sections included."""
    start = html.index(f'<section class="{name}"')
    depth = 0
    for tag in re.finditer(r"<(/?)section\b", html[start:]):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return html[start : start + tag.end()]
    raise AssertionError(f"unclosed section {name}")


def json_ld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_detail_2018_ja_shows_the_report(seed, client):
    html = collapsed(client.get("/ja/seminars/17/").content.decode())
    text = text_of(html)

    assert "<h1>新産業創出と企業誘致による持続的な地方の発展について</h1>" in html
    assert "第17回" in text and "2018年度（平成30年度）" in text
    assert "2018年7月11日（水）～13日（金）" in text
    assert "綿陽市（四川省）" in text
    assert "147人（日本側59人、中国側88人）" in text
    organizers = text_of(section(html, "organizers"))
    assert "主催 日本国自治体国際化協会" in organizers
    assert "共催 中華人民共和国外交部外事管理司 綿陽市人民政府" in organizers
    assert (
        "後援 在重慶日本国総領事館 中国日本友好協会 四川省人民政府外事僑務弁公室 "
        "日本貿易振興機構成都代表処" in organizers
    )


def test_detail_2018_zh_hans_shows_the_report_in_simplified_chinese(seed, client):
    html = collapsed(client.get("/zh-hans/seminars/17/").content.decode())
    text = text_of(html)

    assert '<html lang="zh-Hans">' in html
    assert "<h1>加强新产业培育及招商引资，促进地方可持续发展</h1>" in html
    assert "第17届" in text and "2018年度" in text
    assert "2018年7月11日（星期三）至13日（星期五）" in text
    assert "绵阳市（四川省）" in text
    assert "147人（日方59人，中方88人）" in text
    organizers = text_of(section(html, "organizers"))
    assert "主办单位 日本国自治体国际化协会" in organizers
    assert "协办单位 中华人民共和国外交部外事管理司 绵阳市人民政府" in organizers
    assert (
        "支持单位 日本国驻重庆总领事馆 中国日本友好协会 四川省人民政府外事侨务办公室 "
        "日本贸易振兴机构成都代表处" in organizers
    )
    assert not KANA.search(text)
    for japanese_form in ("綿陽", "弁公室", "僑務", "総領事館", "協会"):
        assert japanese_form not in html


@pytest.mark.parametrize(
    ("url", "japan", "china", "total"),
    [
        ("/ja/seminars/17/", "日本側", "中国側", "合計"),
        ("/zh-hans/seminars/17/", "日方", "中方", "合计"),
    ],
)
def test_detail_2018_participants_table_has_headers_and_total(
    seed, client, url, japan, china, total
):
    table = section(client.get(url).content.decode(), "participants")

    assert table.count('scope="col"') == 3
    assert re.search(rf'<th scope="row">{japan}</th>.*?<td class="num">59人</td>', table, re.S)
    assert re.search(rf'<th scope="row">{china}</th>.*?<td class="num">88人</td>', table, re.S)
    assert re.search(rf'<th scope="row">{total}</th>.*?<td class="num">147人</td>', table, re.S)


def plain(html):
    """The text with tags dropped and no space added where a tag was."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    ("url", "days", "plenary", "parts", "greeters", "keynote"),
    [
        (
            "/ja/seminars/17/",
            ["7月11日（水）", "7月12日（木）", "7月13日（金）"],
            "本会議",
            ["開会あいさつ", "基調講演", "特別講演", "パネルディスカッション"],
            ["岡本保 日本国自治体国際化協会理事長", "唐松根 中国外交部外事管理司副司長"],
            "三木正夫 長野県須坂市市長",
        ),
        (
            "/zh-hans/seminars/17/",
            ["7月11日（星期三）", "7月12日（星期四）", "7月13日（星期五）"],
            "全体会议",
            ["开幕致辞", "主旨演讲", "特别演讲", "小组讨论"],
            ["冈本保 日本国自治体国际化协会理事长", "唐松根 中国外交部外事管理司副司长"],
            "三木正夫 长野县须坂市市长",
        ),
    ],
)
def test_detail_2018_programme_has_the_plenary_session_with_its_parts(
    seed, client, url, days, plenary, parts, greeters, keynote
):
    agenda = section(collapsed(client.get(url).content.decode()), "agenda")

    headings = re.findall(r"<h3[^>]*><time[^>]*>(.*?)</time></h3>", agenda)
    assert headings == days
    assert agenda.count('<li class="agenda-item') == 7  # 2 + 4 + 1 blocks
    assert agenda.count('<li class="agenda-part">') == 6  # 4 plenary parts, 2 visits
    session = re.search(r'<li class="agenda-item agenda-item--session">.*?</ol>', agenda, re.S)[0]
    assert re.search(rf'<h4 class="agenda-item__title">{plenary}</h4>', session)
    assert re.findall(r'<h5 class="agenda-item__title">(.*?)</h5>', session) == parts
    greeting = re.search(r'<li class="agenda-part">.*?</li>\s*</ul>', session, re.S)[0]
    assert [plain(li).strip() for li in re.findall(r"<li>(.*?)</li>", greeting, re.S)] == greeters
    assert keynote in plain(session)


@pytest.mark.parametrize(
    ("url", "note"),
    [
        ("/ja/seminars/17/", "時刻はすべて中国現地時間（UTC+8）です。"),
        ("/zh-hans/seminars/17/", "所有时间均为中国当地时间（UTC+8）。"),
    ],
)
def test_detail_2018_programme_repeats_nothing(seed, client, url, note):
    agenda = section(client.get(url).content.decode(), "agenda")

    assert note not in agenda  # the seed has no times
    assert "：" not in plain(agenda)  # no 「本会議：…」 or 「行政視察：…」 prefixes
    assert 'class="agenda-item__venue"' not in agenda  # no venue repeating a title
    for badge, title in re.findall(
        r'<p class="kind[^"]*">(.*?)</p>\s*<h[45] class="agenda-item__title">(.*?)</h[45]>', agenda
    ):
        assert badge not in title and title not in badge


def test_detail_times_show_with_the_time_zone_note_and_other_venues(seed, client):
    keynote = Seminar.objects.get(edition=17).agenda_items.get(title_ja="基調講演")
    keynote.start_time, keynote.end_time = "09:30", "10:15"
    keynote.venue_ja, keynote.venue_zh_hans = "綿陽市内ホテル", "绵阳市内酒店"
    keynote.save()
    visit = Seminar.objects.get(edition=17).agenda_items.get(title_ja="李白記念館")
    visit.venue_ja, visit.venue_zh_hans = "李白記念館", "李白纪念馆"
    visit.save()

    ja = text_of(client.get("/ja/seminars/17/").content.decode())
    zh = text_of(client.get("/zh-hans/seminars/17/").content.decode())

    assert "時刻はすべて中国現地時間（UTC+8）です。" in ja
    assert "所有时间均为中国当地时间（UTC+8）。" in zh
    assert "09:30 – 10:15 基調講演" in ja
    assert "会場： 綿陽市内ホテル" in ja and "会場： 李白記念館" not in ja
    assert "地点： 绵阳市内酒店" in zh


@pytest.mark.parametrize("url", ["/ja/seminars/17/", "/zh-hans/seminars/17/"])
def test_detail_2018_photos_without_images_make_no_figures(seed, client, url):
    html = client.get(url).content.decode()

    assert "<figure" not in html and 'class="photos"' not in html


def test_detail_photo_with_image_has_renditions_alt_and_a_link(seed, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seminar = Seminar.objects.get(edition=17)
    photo = Photo(seminar=seminar, caption_ja="会場の様子", caption_zh_hans="会场情景", order=9)
    photo.image = SimpleUploadedFile("会場.jpg", image_bytes(size=(2400, 1600)), "image/jpeg")
    photo.save()

    ja = section(collapsed(client.get("/ja/seminars/17/").content.decode()), "photos")
    zh = section(collapsed(client.get("/zh-hans/seminars/17/").content.decode()), "photos")

    photo.refresh_from_db()
    assert (photo.width, photo.height) == (1600, 1067)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (480, 320)
    assert ja.count("<figure") == 1 and ja.count("<img") == 1
    img = re.search(r"<img [^>]*>", ja)[0]
    assert f'src="{photo.thumbnail.url}"' in img
    assert f'srcset="{photo.thumbnail.url} 480w, {photo.image.url} 1600w"' in img
    assert 'width="480" height="320"' in img and 'alt="会場の様子"' in img
    assert f'<a class="photo__link" href="{photo.image.url}">' in ja
    assert 'alt="会场情景"' in zh


@pytest.mark.parametrize(
    ("url", "previous", "following"),
    [
        ("/ja/seminars/17/", "/ja/seminars/16/", None),
        ("/zh-hans/seminars/2/", "/zh-hans/seminars/1/", "/zh-hans/seminars/3/"),
        ("/ja/seminars/1/", None, "/ja/seminars/2/"),
    ],
)
def test_detail_previous_and_next_links(seed, client, url, previous, following):
    html = collapsed(client.get(url).content.decode())
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S)[0]

    prev_link = re.search(r'rel="prev" href="([^"]+)"', pager)
    next_link = re.search(r'rel="next" href="([^"]+)"', pager)
    assert (prev_link[1] if prev_link else None) == previous
    assert (next_link[1] if next_link else None) == following


def test_detail_previous_and_next_skip_drafts(seed, client):
    Seminar.objects.filter(edition__in=[15, 9]).update(status=Seminar.Status.DRAFT)

    html = collapsed(client.get("/ja/seminars/16/").content.decode())
    html_9 = collapsed(client.get("/ja/seminars/10/").content.decode())

    assert (
        'rel="prev" href="/ja/seminars/14/"' in html
        and 'rel="next" href="/ja/seminars/17/"' in html
    )
    assert 'rel="prev" href="/ja/seminars/8/"' in html_9


@pytest.mark.parametrize(
    ("url", "facts", "notice"),
    [
        (
            "/ja/seminars/1/",
            ["第1回", "年度 2002年度（平成14年度）", "開催都市 北京市", "テーマ なし"],
            "この回の開催報告は掲載していません。記録は開催地とテーマのみです。",
        ),
        (
            "/zh-hans/seminars/1/",
            ["第1届", "年度 2002年度", "举办城市 北京市", "主题 无"],
            "本网站未刊登本届研讨会的报告，记录仅为举办地和主题。",
        ),
    ],
)
def test_detail_basics_only_edition_presents_what_is_known(seed, client, url, facts, notice):
    html = collapsed(client.get(url).content.decode())
    text = text_of(html)

    assert re.search(
        r"<h1>第1(回|届)(日中地域間交流推進セミナー|中日地区间交流推进研讨会)</h1>", html
    )
    assert all(fact in text for fact in facts)
    assert notice in text
    for absent in ('class="agenda"', 'class="participants"', 'class="photos"', '"startDate"'):
        assert absent not in html


@pytest.mark.parametrize(
    ("url", "title", "description"),
    [
        (
            "/ja/seminars/17/",
            "第17回（2018年度（平成30年度）・綿陽市） | 日中地域間交流推進セミナー",
            "日中双方の地方政府関係者等が四川省綿陽市に集い",
        ),
        (
            "/zh-hans/seminars/17/",
            "第17届（2018年度，绵阳市） | 中日地区间交流推进研讨会",
            "中日双方地方政府相关人员等齐聚四川省绵阳市",
        ),
        (
            "/ja/seminars/1/",
            "第1回（2002年度（平成14年度）・北京市）",
            "第1回日中地域間交流推進セミナー",
        ),
    ],
)
def test_detail_title_and_meta_description_in_the_page_language(
    seed, client, url, title, description
):
    html = collapsed(client.get(url).content.decode())

    assert re.search(r"<title>(.*?)</title>", html)[1].startswith(title)
    assert re.search(r'<meta name="description" content="([^"]*)"', html)[1].startswith(description)


@pytest.mark.parametrize(
    ("url", "language", "city", "organizer", "sponsor"),
    [
        ("/ja/seminars/17/", "ja", "綿陽市", "日本国自治体国際化協会", "在重慶日本国総領事館"),
        (
            "/zh-hans/seminars/17/",
            "zh-Hans",
            "绵阳市",
            "日本国自治体国际化协会",
            "日本国驻重庆总领事馆",
        ),
    ],
)
def test_detail_json_ld_describes_the_event(seed, client, url, language, city, organizer, sponsor):
    data = json_ld(client.get(url).content.decode())

    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["startDate"] == "2018-07-11" and data["endDate"] == "2018-07-13"
    assert data["inLanguage"] == language
    assert data["url"] == f"http://testserver{url}"
    assert data["location"]["name"] == city
    assert data["location"]["address"]["addressLocality"] == city
    assert data["location"]["address"]["addressRegion"] == "四川省"
    assert data["location"]["address"]["addressCountry"] == "CN"
    assert data["organizer"][0]["name"] == organizer and len(data["organizer"]) == 3
    assert data["sponsor"][0]["name"] == sponsor and len(data["sponsor"]) == 4


def test_detail_json_ld_escapes_a_closing_script_tag(db, client):
    make_seminar(1, theme_ja="</script><script>alert(1)</script>", start_date="2020-05-01")

    html = client.get("/ja/seminars/1/").content.decode()

    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"].endswith("</script><script>alert(1)</script>")


@pytest.mark.parametrize("url", ["/ja/seminars/17/", "/zh-hans/seminars/17/"])
def test_detail_has_no_inline_script_or_style(seed, client, url):
    html = client.get(url).content.decode()

    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []
    assert " style=" not in html and "<style" not in html
    assert html.count("<h1") == 1


def test_detail_missing_translation_falls_back_with_lang_and_marker(seed, client):
    seminar = Seminar.objects.get(edition=17)
    seminar.theme_zh_hans = ""
    seminar.save()
    make_agenda_item(seminar, title_ja="日本語だけの議題", title_zh_hans="", order=20)

    html = collapsed(client.get("/zh-hans/seminars/17/").content.decode())

    assert (
        '<h1><span lang="ja">新産業創出と企業誘致による持続的な地方の発展について</span> '
        '<small class="fallback-note">仅有日文</small></h1>'
    ) in html
    assert (
        '<span lang="ja">日本語だけの議題</span> <small class="fallback-note">仅有日文</small>'
        in html
    )


def test_detail_missing_japanese_falls_back_to_chinese_with_marker(db, client):
    make_seminar(3, theme_ja="", theme_zh_hans="只有中文的主题")

    html = client.get("/ja/seminars/3/").content.decode()

    assert (
        '<span lang="zh-Hans">只有中文的主题</span> <small class="fallback-note">中国語のみ</small>'
        in html
    )


@pytest.mark.parametrize(
    ("language", "banner"), [("ja", "プレビュー — 非公開"), ("zh-hans", "预览 — 尚未公开")]
)
def test_detail_template_in_preview_shows_banner_and_noindex(seed, language, banner):
    request = RequestFactory().get("/admin/seminars/seminar/17/preview/")
    seminar = Seminar.objects.for_detail().get(edition=17)
    context = {
        "seminar": seminar,
        "previous_seminar": None,
        "next_seminar": None,
        "is_preview": True,
    }

    with translation.override(language):
        html = render_to_string("seminars/detail.html", context, request=request)

    assert banner in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="alternate" hreflang' not in html and 'rel="canonical"' not in html


def test_detail_page_is_not_noindex_when_public(seed, client):
    html = client.get("/ja/seminars/17/").content.decode()

    assert "noindex" not in html and "プレビュー" not in html
