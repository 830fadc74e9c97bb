"""The committed fixtures carry every fact of the seed page, in both languages."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organizer, Photo, Seminar
from tests.pages import collapsed
from tests.seminars.test_public_structured_data import check, json_ld_blocks, public_urls

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# The seed's table: edition, fiscal year, city (ja), province (ja), theme (ja); "-" when empty.
SEED_TABLE = [
    line.split()
    for line in """
    1 2002 北京市 - -
    2 2003 南寧市 広西チワン族自治区 アジア経済発展に向けての地方政府の役割
    3 2004 チチハル市 黒竜江省 東北アジア経済と地方政府の役割
    4 2005 ウルムチ市 新疆ウイグル自治区 相互にメリットのある新しいタイプの日中地域間交流
    5 2006 長沙市 湖南省 新たな日中都市間ネットワークの確立に向けて
    6 2007 成都市 四川省 都市間連携による観光交流の拡大
    7 2008 太原市 山西省 日中の環境協力を地域から促進
    8 2009 揚州市 江蘇省 世界的な金融危機を受けて日中両国自治体が今後果たすべき役割
    9 2010 済南市 山東省 日中地域間文化観光交流の更なる推進に向けて
    10 2011 重慶市 - 経済交流を通じた地域発展の展望
    11 2012 北京市 - 新たな地域間交流の展開
    12 2013 義烏市 浙江省 地域の特性に合った多様な都市の発展と展望
    13 2014 貴陽市 貴州省 イノベーションの活用と環境都市の創造
    14 2015 西寧市 青海省 新たな都市間交流の展開と展望
    15 2016 安康市 陝西省 環境資源を活用した持続可能な都市発展のあり方
    16 2017 瀋陽市 遼寧省 協働による『幸福都市』の創造
    17 2018 綿陽市 四川省 新産業創出と企業誘致による持続的な地方の発展について
    """.strip().splitlines()
]
CHINESE_CITIES = {
    2: "南宁市",
    3: "齐齐哈尔市",
    4: "乌鲁木齐市",
    8: "扬州市",
    16: "沈阳市",
    17: "绵阳市",
}
# The 2018 organizers in role order: role, name (ja), name (zh-hans).
ORGANIZERS_2018 = """
    host 日本国自治体国際化協会 日本国自治体国际化协会
    co_host 中華人民共和国外交部外事管理司 中华人民共和国外交部外事管理司
    co_host 綿陽市人民政府 绵阳市人民政府
    sponsor 在重慶日本国総領事館 日本国驻重庆总领事馆
    sponsor 中国日本友好協会 中国日本友好协会
    sponsor 四川省人民政府外事僑務弁公室 四川省人民政府外事侨务办公室
    sponsor 日本貿易振興機構成都代表処 日本贸易振兴机构成都代表处
"""
# Japanese-only glyphs and kana that must never appear in Simplified Chinese text.
NOT_SIMPLIFIED = re.compile(r"[\u3040-\u30ff綿弁僑陽國際協會東黒竜蘇義貴陝瀋遼館処貿興機構側]")

# The seed's own tests: every one reads the real record, loaded once for the module.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_for_module")]


@pytest.fixture
def seminar_2018(seed_for_module):
    """Edition 17 (fiscal 2018, Mianyang), the edition the seed has in full."""
    return Seminar.objects.get(edition=17)


def test_seed_has_all_17_editions_in_both_languages():
    seminars = list(Seminar.objects.select_related("city").order_by("edition"))
    assert len(seminars) == 17
    for seminar, row in zip(seminars, SEED_TABLE, strict=True):
        edition, year, city, province, theme = (value.replace("-", "") for value in row)
        assert (seminar.edition, seminar.fiscal_year) == (int(edition), int(year))
        assert seminar.city.name_ja == city
        assert seminar.city.province_ja == province
        assert seminar.theme_ja.startswith(theme)
        assert seminar.city.name_zh_hans
        assert bool(seminar.theme_zh_hans) == bool(theme)
        assert seminar.is_published


def test_seed_chinese_is_simplified():
    for seminar in Seminar.objects.select_related("city"):
        for text in (
            seminar.theme_zh_hans,
            seminar.city.name_zh_hans,
            seminar.city.province_zh_hans,
        ):
            assert not NOT_SIMPLIFIED.search(text), text
    for edition, name in CHINESE_CITIES.items():
        assert Seminar.objects.get(edition=edition).city.name_zh_hans == name


def test_seed_is_fully_translated():
    """No edition of the seed misses a translation (the admin shows all 17 as 翻訳済み)."""
    from seminars.record.completeness import missing_counts, with_translation_prefetch

    for seminar in with_translation_prefetch(Seminar.objects.all()):
        assert missing_counts(seminar) == {"ja": 0, "zh-hans": 0}, seminar


def test_seed_2018_title_and_dates(seminar_2018):
    assert seminar_2018.theme_zh_hans == "加强新产业培育及招商引资，促进地方可持续发展"
    assert seminar_2018.start_date == datetime.date(2018, 7, 11)
    assert seminar_2018.end_date == datetime.date(2018, 7, 13)
    assert seminar_2018.city.province_zh_hans == "四川省"


def test_seed_2018_organizers_by_role(seminar_2018):
    organizers = list(Organizer.objects.filter(seminar=seminar_2018).in_role_order())
    by_role = [(o.role, o.organization.name_ja, o.organization.name_zh_hans) for o in organizers]
    assert by_role == [tuple(line.split()) for line in ORGANIZERS_2018.strip().splitlines()]


def test_seed_2018_agenda_by_day(seminar_2018):
    items = AgendaItem.objects.filter(seminar=seminar_2018)
    titles_by_day = {}
    for item in items:
        titles_by_day.setdefault(item.date.day, []).append(item.title_ja)
    joined = {day: " ".join(titles) for day, titles in titles_by_day.items()}
    assert "在中国自治体事務所連絡会議" in joined[11]
    assert "綿陽市主催レセプション" in joined[11]
    for part in (
        "基調講演",
        "特別講演",
        "パネルディスカッション",
        "JETプログラム経験者意見交換会",
        "在中国自治体事務所向け訪日旅行講演会",
        "自治体国際化協会主催レセプション",
    ):
        assert part in joined[12]
    assert "李白記念館" in joined[13] and "長虹商貿中心展館" in joined[13]
    assert all(item.title_zh_hans for item in items)
    assert not any(NOT_SIMPLIFIED.search(item.title_zh_hans) for item in items)


def test_seed_2018_delegations_total_147(seminar_2018):
    counts = {d.side: d.participant_count for d in Delegation.objects.filter(seminar=seminar_2018)}
    assert counts == {"japan": 59, "china": 88}
    assert Seminar.objects.get(edition=17).participant_count == 147
    assert all(
        d.description_ja and d.description_zh_hans
        for d in Delegation.objects.filter(seminar=seminar_2018)
    )


def test_seed_2018_named_people_are_in_the_programme_not_in_the_delegation_rows(seminar_2018):
    people = {
        p.name_ja: (
            p.organization_ja,
            p.position_ja,
            p.organization_zh_hans,
            p.position_zh_hans,
            p.delegation.side,
            p.listed_with_delegation,
            [i.title_ja for i in p.agenda_items.all()],
        )
        for p in Participant.objects.select_related("delegation")
    }
    assert people["岡本保"] == (
        "日本国自治体国際化協会",
        # The source's 自治体国際化協会理事長, with the one name the record uses for CLAIR.
        "日本国自治体国際化協会理事長",
        "日本国自治体国际化协会",
        "日本国自治体国际化协会理事长",
        "japan",
        False,
        ["開会あいさつ"],
    )
    assert people["唐松根"] == (
        "中国外交部外事管理司",
        "中国外交部外事管理司副司長",
        "中国外交部外事管理司",
        "中国外交部外事管理司副司长",
        "china",
        False,
        ["開会あいさつ"],
    )
    assert people["三木正夫"] == (
        "長野県須坂市",
        "長野県須坂市長",  # not 長野県須坂市市長: the position as the source gives it
        "长野县须坂市",
        "长野县须坂市市长",
        "japan",
        False,
        ["基調講演"],
    )


def test_seed_2018_programme_has_sessions_with_parts(seminar_2018):
    sessions = {
        item.title_ja: [(p.title_ja, p.title_zh_hans, p.kind) for p in item.parts.order_by("order")]
        for item in AgendaItem.objects.filter(seminar=seminar_2018, session=None)
    }
    assert sessions["本会議"] == [
        ("開会あいさつ", "开幕致辞", "greeting"),
        ("基調講演", "主旨演讲", "keynote"),
        ("特別講演", "特别演讲", "special_lecture"),
        ("パネルディスカッション", "小组讨论", "panel"),
    ]
    assert sessions["行政視察"] == [
        ("李白記念館", "李白纪念馆", "study_visit"),
        ("長虹商貿中心展館", "长虹商贸中心展馆", "study_visit"),
    ]
    assert list(sessions) == [
        "在中国自治体事務所連絡会議",
        "綿陽市主催レセプション",
        "本会議",
        "JETプログラム経験者意見交換会",
        "在中国自治体事務所向け訪日旅行講演会",
        "日本国自治体国際化協会主催レセプション",
        "行政視察",
    ]
    assert not AgendaItem.objects.exclude(venue_ja="").exists()  # no venue repeating a title


def test_seed_2018_six_photo_captions(seminar_2018):
    captions = list(Photo.objects.filter(seminar=seminar_2018).values_list("caption_ja", flat=True))
    assert captions == [
        "あいさつをする岡本保日本国自治体国際化協会理事長",
        "あいさつをする唐松根中国外交部外事管理司副司長",
        "三木正夫長野県須坂市長による基調講演",
        "講演中の参加者の様子",
        "JETプログラム経験者意見交換会の開催",
        "長虹商貿中心展館の視察",
    ]
    assert all(p.caption_zh_hans for p in Photo.objects.all())


def test_seed_japanese_text_uses_full_width_brackets_and_one_name_for_clair():
    for row in _rows():
        for name, value in row["fields"].items():
            if name.endswith("_ja") and isinstance(value, str):
                assert "(" not in value and ")" not in value, value
                assert "自治体国際化協会" not in value.replace("日本国自治体国際化協会", ""), value
            if name.endswith("_zh_hans") and isinstance(value, str):
                assert "自治体国际化协会" not in value.replace("日本国自治体国际化协会", ""), value


def test_seed_every_host_city_has_coordinates_in_china():
    cities = [row for row in _rows() if row["model"] == "seminars.city"]
    assert len(cities) == 16
    for city in cities:
        assert 18 < city["fields"]["latitude"] < 54, city
        assert 73 < city["fields"]["longitude"] < 135, city


def _rows():
    rows = []
    for name in ("seminars.json", "participants.json"):
        rows += json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return rows


def test_seed_loading_twice_changes_nothing():
    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (City, Seminar, Organizer, AgendaItem, Photo, Delegation, Participant)
        ]

    before = snapshot()
    call_command("loaddata", "seminars", "participants", verbosity=0)
    assert snapshot() == before


def test_fixtures_use_suffixed_translation_fields_only():
    bare = {
        "name",
        "province",
        "title",
        "theme",
        "summary",
        "venue",
        "description",
        "caption",
        "position",
    }
    for path in FIXTURES.glob("*.json"):
        for row in json.loads(path.read_text(encoding="utf-8")):
            assert not bare & set(row["fields"]), (path.name, row["model"], row["pk"])


# --- the seed as the public site shows it (its real texts and counts) ---

SEED_PAGE_2018 = {
    "/ja/seminars/17/": [
        "<h1>新産業創出と企業誘致による持続的な地方の発展について</h1>",
        "第17回",
        "2018年度（平成30年度）",
        "2018年7月11日（水）～13日（金）",
        "綿陽市（四川省）",
        "147人（日本側59人、中国側88人）",
        "主催 日本国自治体国際化協会",
        "共催 中華人民共和国外交部外事管理司 綿陽市人民政府",
        "後援 在重慶日本国総領事館 中国日本友好協会 四川省人民政府外事僑務弁公室 "
        "日本貿易振興機構成都代表処",
    ],
    "/zh-hans/seminars/17/": [
        "<h1>加强新产业培育及招商引资，促进地方可持续发展</h1>",
        "第17届",
        "2018年7月11日（星期三）至13日（星期五）",
        "绵阳市（四川省）",
        "147人（日方59人，中方88人）",
        "主办单位 日本国自治体国际化协会",
        "协办单位 中华人民共和国外交部外事管理司 绵阳市人民政府",
        "支持单位 日本国驻重庆总领事馆 中国日本友好协会 四川省人民政府外事侨务办公室 "
        "日本贸易振兴机构成都代表处",
    ],
}


@pytest.mark.parametrize("url", list(SEED_PAGE_2018))
def test_seed_2018_page_shows_the_report(client, url):
    html = collapsed(client.get(url).content.decode())
    text = re.sub(r"\s+", " ", re.sub(r"<(?!/?h1>)[^>]+>", " ", html))

    for fact in SEED_PAGE_2018[url]:
        assert fact in text, fact
    if url.startswith("/zh-hans/"):
        assert not re.search(r"[\u3040-\u30ff]", text)
        assert not NOT_SIMPLIFIED.search(text.replace("日本語", ""))


@pytest.mark.parametrize(("url", "latest"), [("/ja/", "第17回"), ("/zh-hans/", "第17届")])
def test_seed_series_page_lists_the_17_editions_with_2018_latest(client, url, latest):
    html = collapsed(client.get(url).content.decode())

    table = re.search(r'<table class="editions-table">.*?</table>', html, re.S)[0]
    assert len(re.findall(r'<th scope="row">', table)) == 17
    section = re.search(r'<section class="latest".*?</section>', html, re.S)[0]
    assert latest in section and f'href="{url}seminars/17/"' in section


def test_seed_pages_have_valid_structured_data_and_2018_is_an_event(client):
    """Every page of the 17 editions passes the schema checks; 2018 names its 3 organizers and
    4 sponsors and places Mianyang by its coordinates."""
    for url in public_urls(range(1, 18)):
        (data,) = json_ld_blocks(client.get(url).content.decode())
        check(data)
        if url.endswith("/17/"):
            assert data["@type"] == "Event" and data["startDate"] == "2018-07-11"
            assert (len(data["organizer"]), len(data["sponsor"])) == (3, 4)
            assert data["location"]["geo"]["longitude"] == 104.6796


def test_seed_host_cities_are_16_with_beijing_twice(client):
    section = re.search(
        r'<section class="host-cities".*?</section>',
        collapsed(client.get("/ja/").content.decode()),
        re.S,
    )[0]

    assert len(re.findall(r'<g class="host-map__marker"', section)) == 16
    assert len(set(re.findall(r'href="(/ja/seminars/\d+/)"', section))) == 17
    assert "北京市 第1回・第11回" in re.sub(r"<[^>]+>", "", collapsed(section))


def test_seed_2018_workbench_lists_every_translated_field(seminar_2018, admin_client):
    """The translator's workbench shows every translated field of the 2018 edition and its parts
    (organizations, sessions and their parts, delegations, people, photo captions), as the
    registry has them, each once."""
    from tests.seminars.test_workbench import KEY, expected_keys, url

    html = admin_client.get(url(seminar_2018)).content.decode()
    keys = KEY.findall(html)
    assert len(keys) == len(set(keys)) == len(expected_keys(seminar_2018))
    assert set(keys) == expected_keys(seminar_2018)
    assert any(key.startswith("agendaitem.") for key in keys)
    assert sum(key.startswith("photo.") for key in keys) == 6
