"""One edition's page (/<lang>/seminars/<edition>/): a full report and a basics-only edition."""

import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from seminars.models import AgendaItem, Organizer, Photo, Seminar
from tests.factories import (
    make_agenda_item,
    make_city,
    make_delegation,
    make_edition,
    make_organization,
    make_organizer,
    make_participant,
    make_seminar,
)
from tests.pages import collapsed
from tests.security.images import image_bytes

KANA = re.compile(r"[\u3040-\u30ff]")
REPORT_URLS = ["/ja/seminars/5/", "/zh-hans/seminars/5/"]


def text_of(html):
    """The visible text, roughly: tags dropped, whitespace collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", collapsed(html), flags=re.S)
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
    blocks = [json.loads(s) for s in scripts]
    (page,) = [b for b in blocks if b.get("@type") != "BreadcrumbList"]  # and its breadcrumbs
    return page


@pytest.fixture
def report(db):
    """make_edition(5) (2006-07-11 to 13 in テスト市, 12 + 15 people) with two more co-hosts and
    sponsors, so that several organizers share a role."""
    seminar = make_edition(5)
    for order, (role, name_ja, name_zh_hans) in enumerate(
        [
            (Organizer.Role.CO_HOST, "共催市政府", "协办市政府"),
            (Organizer.Role.SPONSOR, "後援協会甲", "支持协会甲"),
            (Organizer.Role.SPONSOR, "後援協会乙", "支持协会乙"),
        ],
        start=3,
    ):
        make_organizer(seminar, make_organization(name_ja, name_zh_hans), role=role, order=order)
    return seminar


@pytest.fixture
def basics(db):
    """Edition 1 as the record has it: a year and a host city, no theme, no report."""
    city = make_city("北京市", "北京市", province_ja="", province_zh_hans="")
    return make_seminar(1, city=city, fiscal_year=2002, theme_ja="", theme_zh_hans="")


REPORT = {
    "ja": {
        "lang": '<html lang="ja">',
        "facts": ["第5回", "2006年度（平成18年度）", "2006年7月11日（火）～13日（木）"],
        "city": "テスト市（テスト省）",
        "people": "27人（日本側12人、中国側15人）",
        "organizers": [
            "主催 主催団体5-0",
            "共催 主催団体5-1 共催市政府",
            "後援 主催団体5-2 後援協会甲 後援協会乙",
        ],
    },
    "zh-hans": {
        "lang": '<html lang="zh-Hans">',
        "facts": ["第5届", "2006年度", "2006年7月11日（星期二）至13日（星期四）"],
        "city": "测试市（测试省）",
        "people": "27人（日方12人，中方15人）",
        "organizers": [
            "主办单位 主办团体5-0",
            "协办单位 主办团体5-1 协办市政府",
            "支持单位 主办团体5-2 支持协会甲 支持协会乙",
        ],
    },
}


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_detail_shows_the_report_in_the_page_language(report, client, language):
    expected = REPORT[language]
    html = collapsed(client.get(f"/{language}/seminars/5/").content.decode())
    text = text_of(html)

    assert expected["lang"] in html
    assert f"<h1>{getattr(report, 'title_' + language.replace('-', '_'))}</h1>" in html
    assert all(fact in text for fact in expected["facts"]), text
    assert expected["city"] in text
    assert expected["people"] in text
    organizers = text_of(section(html, "organizers"))
    for role_line in expected["organizers"]:
        assert role_line in organizers, organizers
    if language == "zh-hans":
        assert not KANA.search(text)
        for japanese_form in ("テスト市", "主催団体", "共催市政府", "後援協会", "講演", "講師"):
            assert japanese_form not in html
    else:
        assert "平成" in text


@pytest.mark.parametrize(
    ("url", "japan", "china", "total"),
    [
        ("/ja/seminars/5/", "日本側", "中国側", "合計"),
        ("/zh-hans/seminars/5/", "日方", "中方", "合计"),
    ],
)
def test_detail_participants_table_has_headers_and_total(report, client, url, japan, china, total):
    table = section(client.get(url).content.decode(), "participants")

    assert table.count('scope="col"') == 3
    assert re.search(rf'<th scope="row">{japan}</th>.*?<td class="num">12人</td>', table, re.S)
    assert re.search(rf'<th scope="row">{china}</th>.*?<td class="num">15人</td>', table, re.S)
    assert re.search(rf'<th scope="row">{total}</th>.*?<td class="num">27人</td>', table, re.S)


def plain(html):
    """The text with tags dropped and no space added where a tag was."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _item(seminar, day, order, kind, title_ja, title_zh_hans, session=None):
    return make_agenda_item(
        seminar,
        date=seminar.start_date + datetime.timedelta(days=day),
        kind=kind,
        order=order,
        session=session,
        title_ja=title_ja,
        title_zh_hans=title_zh_hans,
    )


@pytest.fixture
def programme(db):
    """Edition 6 with an untimed programme like the printed reports: a meeting and a reception,
    a plenary session of four parts (two greeters, a keynote speaker) and an exchange, then a
    study visit of two stops. No times, no venues."""
    seminar = make_seminar(
        6, start_date=datetime.date(2007, 7, 11), end_date=datetime.date(2007, 7, 13)
    )
    kind = AgendaItem.Kind
    _item(seminar, 0, 0, kind.MEETING, "連絡会議", "联络会议")
    _item(seminar, 0, 1, kind.RECEPTION, "歓迎の夕べ", "欢迎晚宴")
    plenary = _item(seminar, 1, 0, kind.PLENARY, "本会議", "全体会议")
    parts = [
        _item(seminar, 1, order, part_kind, ja, zh, session=plenary)
        for order, (part_kind, ja, zh) in enumerate(
            [
                (kind.GREETING, "開会あいさつ", "开幕致辞"),
                (kind.KEYNOTE, "基調講演", "主旨演讲"),
                (kind.SPECIAL_LECTURE, "特別講演", "特别演讲"),
                (kind.PANEL, "パネルディスカッション", "小组讨论"),
            ]
        )
    ]
    _item(seminar, 1, 1, kind.EXCHANGE, "経験者の集い", "经验者座谈")
    visit = _item(seminar, 2, 0, kind.STUDY_VISIT, "行政視察", "考察")
    _item(seminar, 2, 0, kind.STUDY_VISIT, "記念館", "纪念馆", session=visit)
    _item(seminar, 2, 1, kind.STUDY_VISIT, "展示館", "展示馆", session=visit)
    japan = make_delegation(seminar, "japan", 20)
    china = make_delegation(seminar, "china", 30)
    for order, (delegation, names, organizations, positions, item) in enumerate(
        [
            (
                japan,
                ("岡田一郎", "冈田一郎"),
                ("交流協会", "交流协会"),
                ("交流協会理事長", "交流协会理事长"),
                0,
            ),
            (
                china,
                ("王芳", "王芳"),
                ("外事管理局", "外事管理局"),
                ("外事管理局副局長", "外事管理局副局长"),
                0,
            ),
            (
                japan,
                ("三木次郎", "三木次郎"),
                ("テスト県須坂市", "测试县须坂市"),
                ("テスト県須坂市長", "测试县须坂市市长"),
                1,
            ),
        ]
    ):
        speaker = make_participant(
            delegation,
            *names,
            organization_ja=organizations[0],
            organization_zh_hans=organizations[1],
            position_ja=positions[0],
            position_zh_hans=positions[1],
            listed_with_delegation=False,
            order=order,
        )
        speaker.agenda_items.add(parts[item])
    return seminar


# What the programme says, (Japanese, Chinese) side by side.
PROGRAMME = {
    "days": (
        ["7月11日（水）", "7月12日（木）", "7月13日（金）"],
        ["7月11日（星期三）", "7月12日（星期四）", "7月13日（星期五）"],
    ),
    "plenary": ("本会議", "全体会议"),
    "parts": (
        ["開会あいさつ", "基調講演", "特別講演", "パネルディスカッション"],
        ["开幕致辞", "主旨演讲", "特别演讲", "小组讨论"],
    ),
    "greeters": (
        ["岡田一郎 交流協会理事長", "王芳 外事管理局副局長"],
        ["冈田一郎 交流协会理事长", "王芳 外事管理局副局长"],
    ),
    # The position as the source gives it (須坂市長), never composed as organization + title.
    "keynote": ("三木次郎 テスト県須坂市長", "三木次郎 测试县须坂市市长"),
}


@pytest.mark.parametrize(("url", "language"), [("/ja/seminars/6/", 0), ("/zh-hans/seminars/6/", 1)])
def test_detail_programme_has_the_plenary_session_with_its_parts(programme, client, url, language):
    days, plenary, parts, greeters, keynote = (
        PROGRAMME[key][language] for key in ("days", "plenary", "parts", "greeters", "keynote")
    )
    agenda = section(collapsed(client.get(url).content.decode()), "agenda")

    headings = re.findall(r"<h3[^>]*><time[^>]*>(.*?)</time></h3>", agenda)
    assert headings == days
    assert agenda.count('<li class="agenda-item') == 5  # 2 + 2 + 1 blocks
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
        ("/ja/seminars/6/", "時刻はすべて中国現地時間（UTC+8）です。"),
        ("/zh-hans/seminars/6/", "所有时间均为中国当地时间（UTC+8）。"),
    ],
)
def test_detail_untimed_programme_repeats_nothing(programme, client, url, note):
    agenda = section(client.get(url).content.decode(), "agenda")

    assert note not in agenda  # the programme has no times
    assert "：" not in plain(agenda)  # no 「本会議：…」 or 「行政視察：…」 prefixes
    assert 'class="agenda-item__venue"' not in agenda  # no venues
    pairs = re.findall(
        r'<p class="kind[^"]*">(.*?)</p>\s*<h[45] class="agenda-item__title">(.*?)</h[45]>', agenda
    )
    assert len(pairs) == 2  # the reception and the exchange show a badge beside their title
    for badge, title in pairs:
        assert badge not in title and title not in badge


def test_detail_times_show_with_the_time_zone_note_and_other_venues(report, client):
    same = report.agenda_items.get(order=1)
    same.venue_ja, same.venue_zh_hans = same.title_ja, same.title_zh_hans
    same.save()
    first = report.agenda_items.get(order=0)

    ja = text_of(client.get("/ja/seminars/5/").content.decode())
    zh = text_of(client.get("/zh-hans/seminars/5/").content.decode())

    assert "時刻はすべて中国現地時間（UTC+8）です。" in ja
    assert "所有时间均为中国当地时间（UTC+8）。" in zh
    assert f"09:00 – 11:00 講演会 {first.title_ja}" in ja  # time, kind badge, title
    assert f"会場： {first.venue_ja}" in ja and f"会場： {same.title_ja}" not in ja
    assert f"地点： {first.venue_zh_hans}" in zh


@pytest.mark.parametrize("url", REPORT_URLS)
def test_detail_photos_without_images_make_no_figures(report, client, url):
    html = client.get(url).content.decode()

    assert report.photos.filter(image="").count() == 2
    assert "<figure" not in html and 'class="photos"' not in html


def test_detail_photo_with_image_has_renditions_alt_and_a_link(report, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = Photo(seminar=report, caption_ja="会場の様子", caption_zh_hans="会场情景", order=9)
    photo.image = SimpleUploadedFile("会場.jpg", image_bytes(size=(2400, 1600)), "image/jpeg")
    photo.save()

    ja = section(collapsed(client.get("/ja/seminars/5/").content.decode()), "photos")
    zh = section(collapsed(client.get("/zh-hans/seminars/5/").content.decode()), "photos")

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


@pytest.fixture
def five_editions(db):
    city = make_city()
    return [make_seminar(edition, city=city) for edition in range(1, 6)]


@pytest.mark.parametrize(
    ("url", "previous", "following"),
    [
        ("/ja/seminars/5/", "/ja/seminars/4/", None),
        ("/zh-hans/seminars/2/", "/zh-hans/seminars/1/", "/zh-hans/seminars/3/"),
        ("/ja/seminars/1/", None, "/ja/seminars/2/"),
    ],
)
def test_detail_previous_and_next_links(five_editions, client, url, previous, following):
    html = collapsed(client.get(url).content.decode())
    pager = re.search(r'<nav class="pager".*?</nav>', html, re.S)[0]

    prev_link = re.search(r'rel="prev" href="([^"]+)"', pager)
    next_link = re.search(r'rel="next" href="([^"]+)"', pager)
    assert (prev_link[1] if prev_link else None) == previous
    assert (next_link[1] if next_link else None) == following


def test_detail_previous_and_next_skip_drafts(five_editions, client):
    Seminar.objects.filter(edition__in=[2, 4]).update(status=Seminar.Status.DRAFT)

    html = collapsed(client.get("/ja/seminars/3/").content.decode())
    html_5 = collapsed(client.get("/ja/seminars/5/").content.decode())

    assert (
        'rel="prev" href="/ja/seminars/1/"' in html and 'rel="next" href="/ja/seminars/5/"' in html
    )
    assert 'rel="prev" href="/ja/seminars/3/"' in html_5


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
def test_detail_basics_only_edition_presents_what_is_known(basics, client, url, facts, notice):
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
            "/ja/seminars/5/",
            "第5回（2006年度（平成18年度）・テスト市） | 日中地域間交流推進セミナー",
            "第5回の概要。",
        ),
        (
            "/zh-hans/seminars/5/",
            "第5届（2006年度，测试市） | 中日地区间交流推进研讨会",
            "第5届的概要。",
        ),
        (
            "/ja/seminars/1/",
            "第1回（2002年度（平成14年度）・北京市）",
            "第1回日中地域間交流推進セミナー",
        ),
    ],
)
def test_detail_title_and_meta_description_in_the_page_language(
    report, basics, client, url, title, description
):
    html = collapsed(client.get(url).content.decode())

    assert re.search(r"<title>(.*?)</title>", html)[1].startswith(title)
    assert re.search(r'<meta name="description" content="([^"]*)"', html)[1].startswith(description)


@pytest.mark.parametrize(
    ("url", "language", "city", "region", "organizers", "sponsor"),
    [
        (
            "/ja/seminars/5/",
            "ja",
            "テスト市",
            "テスト省",
            ["主催団体5-0", "主催団体5-1", "共催市政府"],
            "主催団体5-2",
        ),
        (
            "/zh-hans/seminars/5/",
            "zh-Hans",
            "测试市",
            "测试省",
            ["主办团体5-0", "主办团体5-1", "协办市政府"],
            "主办团体5-2",
        ),
    ],
)
def test_detail_json_ld_describes_the_event(
    report, client, url, language, city, region, organizers, sponsor
):
    data = json_ld(client.get(url).content.decode())

    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["startDate"] == "2006-07-11" and data["endDate"] == "2006-07-13"
    assert data["inLanguage"] == language
    assert data["url"] == f"http://testserver{url}"
    assert data["location"]["name"] == city
    assert data["location"]["address"]["addressLocality"] == city
    assert data["location"]["address"]["addressRegion"] == region
    assert data["location"]["address"]["addressCountry"] == "CN"
    assert [o["name"] for o in data["organizer"]] == organizers
    assert data["sponsor"][0]["name"] == sponsor and len(data["sponsor"]) == 3


def test_detail_json_ld_escapes_a_closing_script_tag(db, client):
    make_seminar(1, theme_ja="</script><script>alert(1)</script>", start_date="2020-05-01")

    html = client.get("/ja/seminars/1/").content.decode()

    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"].endswith("</script><script>alert(1)</script>")


@pytest.mark.parametrize("url", REPORT_URLS)
def test_detail_has_no_inline_script_or_style(report, client, url):
    html = client.get(url).content.decode()

    # Scripts are data (JSON-LD) or files (src=, allowed by the CSP): none is inline code.
    assert re.findall(r"<script(?![^>]*(?:application/ld\+json|\ssrc=))", html) == []
    assert " style=" not in html and "<style" not in html
    assert html.count("<h1") == 1


def test_detail_missing_translation_falls_back_with_lang_and_marker(db, client):
    seminar = make_edition(5, title_ja="", title_zh_hans="")  # the theme is the heading
    seminar.theme_zh_hans = ""
    seminar.save()
    make_agenda_item(seminar, title_ja="日本語だけの議題", title_zh_hans="", order=20)

    html = collapsed(client.get("/zh-hans/seminars/5/").content.decode())

    assert (
        f'<h1><span lang="ja">{seminar.theme_ja}</span> '
        '<small class="fallback-note">仅有日文</small></h1>'
    ) in html
    assert (
        '<span lang="ja">日本語だけの議題</span> <small class="fallback-note">仅有日文</small>'
        in html
    )


def test_detail_missing_japanese_falls_back_to_chinese_with_marker(db, client):
    make_seminar(3, theme_ja="", theme_zh_hans="只有中文的主题")

    html = collapsed(client.get("/ja/seminars/3/").content.decode())

    assert (
        '<span lang="zh-Hans">只有中文的主题</span> <small class="fallback-note">中国語のみ</small>'
        in html
    )


@pytest.mark.parametrize(
    ("language", "banner"), [("ja", "プレビュー — 非公開"), ("zh-hans", "预览 — 尚未公开")]
)
def test_detail_template_in_preview_shows_banner_and_noindex(report, language, banner):
    request = RequestFactory().get(f"/admin/seminars/seminar/{report.pk}/preview/")
    seminar = Seminar.objects.for_detail().get(pk=report.pk)
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


def test_detail_page_is_not_noindex_when_public(report, client):
    html = client.get("/ja/seminars/5/").content.decode()

    assert "noindex" not in html and "プレビュー" not in html
