"""Phrase-aware line breaks (seminars/public/linebreaks.py, the seminar_text tags): where <wbr> goes
and where it never goes. How the browser then lays the lines out: tests/browser/
test_public_text_browser.py."""

import pytest
from django.template import Context, Template
from django.utils import translation

from seminars.models import Seminar
from seminars.public import linebreaks
from tests.factories import make_city, make_edition

NO_LINE_START = "、。，）」ャュョッァィゥェォー"


@pytest.mark.parametrize(
    ("text", "language", "whole"),
    [
        ("加强新产业培育及招商引资，促进地方可持续发展", "zh-hans", "招商引资"),
        ("齐齐哈尔市（黑龙江省）", "zh-hans", "黑龙江省"),
        ("南宁市（广西壮族自治区）", "zh-hans", "广西壮族自治区"),
        ("ウルムチ市 (新疆ウイグル自治区)", "ja", "新疆ウイグル自治区"),
        ("本会議（基調講演、特別講演、パネルディスカッション等）", "ja", "パネルディスカッション"),
        ("日本国自治体国際化協会主催レセプション", "ja", "レセプション"),
    ],
)
def test_phrases_keep_names_and_words_of_the_record_whole(text, language, whole):
    phrases = linebreaks.phrases(text, language)

    assert "".join(phrases) == text
    assert any(whole in phrase for phrase in phrases), phrases


def test_phrases_keep_the_page_s_own_proper_nouns_whole():
    text = "第3届在齐齐哈尔市举办"
    lexicon = linebreaks.Lexicon(["齐齐哈尔市"])

    assert not any("齐齐哈尔市" in p for p in linebreaks.phrases(text, "zh-hans"))  # 齐齐|哈尔市
    assert "齐齐哈尔市" in linebreaks.phrases(text, "zh-hans", lexicon)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("齐聚四川省绵阳市，以全体会议（主旨演讲、特别演讲、小组讨论等）为中心", "zh-hans"),
        ("新たな都市間交流の展開と展望～新旧シルクロードでつなぐ", "ja"),
        ("日中双方の地方政府関係者等が四川省綿陽市に集い、本会議（基調講演）を中心に", "ja"),
        ("JETプログラム経験者意見交換会、在中国自治体事務所向け訪日旅行講演会", "ja"),
    ],
)
def test_phrases_never_start_with_what_may_not_start_a_line(text, language):
    lexicon = linebreaks.Lexicon(["綿陽市", "绵阳市", "四川省"])
    phrases = linebreaks.phrases(text, language, lexicon)

    assert all(p[0] not in NO_LINE_START for p in phrases[1:]), phrases
    assert all(p[-1] not in "（「" for p in phrases[:-1]), phrases


def test_phrased_html_escapes_the_text_between_its_phrases():
    html = linebreaks.phrased("<b>新たな</b>地域間交流の展開", "ja")

    assert html.startswith('<span class="phrases">&lt;b&gt;')
    assert html.count("<wbr>") >= 2 and "<b>" not in html


@pytest.mark.parametrize(
    ("language", "city", "province"),
    [("ja", "チチハル市", "黒竜江省"), ("zh-hans", "齐齐哈尔市", "黑龙江省")],
)
def test_noun_and_city_name_keep_names_whole_in_each_language(db, language, city, province):
    place = make_city(
        "チチハル市", "齐齐哈尔市", province_ja="黒竜江省", province_zh_hans="黑龙江省"
    )
    template = Template(
        '{% load seminar_i18n seminar_text %}{% noun city "name" %}|{% city_name city %}'
    )

    with translation.override(language):
        html = template.render(Context({"city": place}))

    noun, composed = html.split("|")
    assert noun == f'<span class="np">{city}</span>'
    assert f'<span class="np">{city}</span>' in composed
    assert f'<span class="np">{province}</span>' in composed


def test_page_lexicon_reads_the_edition_s_names_without_a_query(db, django_assert_num_queries):
    make_edition(5, city=make_city("徳陽市", "德阳市", province_ja="四川省"))
    seminar = Seminar.objects.for_detail().get(edition=5)
    template = Template(
        "{% load seminar_text %}{% page_lexicon seminar as lexicon %}"
        '{% phrased "徳陽市で開催された" "ja" %}'
    )

    with django_assert_num_queries(0):
        html = template.render(Context({"seminar": seminar}))

    assert "徳陽市" in html.split("<wbr>")[0]
