"""The bilingual template helpers: eras, dates with weekdays, marked fallbacks."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from seminars.templatetags.seminar_i18n import date_range, fiscal_year_label
from tests.factories import make_city

D = datetime.date


@pytest.mark.parametrize(
    ("year", "ja", "zh"),
    [
        (1989, "1989年度（平成元年度）", "1989年度"),
        (2002, "2002年度（平成14年度）", "2002年度"),
        (2018, "2018年度（平成30年度）", "2018年度"),
        (2019, "2019年度（令和元年度）", "2019年度"),
        (2025, "2025年度（令和7年度）", "2025年度"),
    ],
)
def test_fiscal_year_label_has_the_era_in_japanese_only(year, ja, zh):
    with translation.override("ja"):
        assert fiscal_year_label(year) == ja
    with translation.override("zh-hans"):
        assert fiscal_year_label(year) == zh


@pytest.mark.parametrize(
    ("start", "end", "ja", "zh"),
    [
        (
            D(2018, 7, 11),
            D(2018, 7, 13),
            "2018年7月11日（水）～13日（金）",
            "2018年7月11日（星期三）至13日（星期五）",
        ),
        (
            D(2018, 7, 30),
            D(2018, 8, 1),
            "2018年7月30日（月）～8月1日（水）",
            "2018年7月30日（星期一）至8月1日（星期三）",
        ),
        (
            D(2018, 12, 31),
            D(2019, 1, 2),
            "2018年12月31日（月）～2019年1月2日（水）",
            "2018年12月31日（星期一）至2019年1月2日（星期三）",
        ),
        (D(2018, 7, 15), D(2018, 7, 15), "2018年7月15日（日）", "2018年7月15日（星期日）"),
        (D(2018, 7, 14), None, "2018年7月14日（土）", "2018年7月14日（星期六）"),
        (None, None, "", ""),
    ],
)
def test_date_range_with_weekdays_in_each_language(start, end, ja, zh):
    with translation.override("ja"):
        assert date_range(start, end) == ja
    with translation.override("zh-hans"):
        assert date_range(start, end) == zh


def render_field(obj, language):
    template = Template('{% load seminar_i18n %}{% field obj "name" %}|{% city_name obj %}')
    with translation.override(language):
        return template.render(Context({"obj": obj}))


def test_field_in_the_active_language_has_no_marker(db):
    city = make_city("内陸市", "内陆市", province_ja="四川省", province_zh_hans="四川省")

    np = '<span class="np">{}</span>'.format
    assert render_field(city, "ja") == f"内陸市|{np('内陸市')}（{np('四川省')}）"
    assert render_field(city, "zh-hans") == f"内陆市|{np('内陆市')}（{np('四川省')}）"


def test_field_missing_in_chinese_shows_japanese_with_lang_and_marker(db):
    city = make_city("内陸市", "", province_ja="四川省", province_zh_hans="")

    html = render_field(city, "zh-hans")

    marked = '<span lang="ja">内陸市</span> <small class="fallback-note">仅有日文</small>'
    assert html.startswith(marked + "|")
    assert '<span lang="ja">四川省</span> <small class="fallback-note">仅有日文</small>' in html


def test_field_missing_in_japanese_shows_chinese_with_lang_and_marker(db):
    city = make_city("", "北京市", province_ja="", province_zh_hans="")

    html = render_field(city, "ja")

    marked = '<span lang="zh-Hans">北京市</span> <small class="fallback-note">中国語のみ</small>'
    assert html == f'{marked}|<span class="np">{marked}</span>'


def test_field_missing_in_both_languages_is_empty(db):
    city = make_city("", "", province_ja="", province_zh_hans="")

    assert render_field(city, "ja") == '|<span class="np"></span>'


def test_field_escapes_html_in_content(db):
    city = make_city("<b>市</b>", "", province_ja="", province_zh_hans="")

    assert "<b>" not in render_field(city, "zh-hans")
    assert "&lt;b&gt;市&lt;/b&gt;" in render_field(city, "zh-hans")


def test_field_text_marked_is_the_same_as_field(db):
    """Templates that already hold a LocalizedText print `.marked` instead of a second lookup."""
    city = make_city("<b>内陸市</b>", "", province_ja="", province_zh_hans="")
    template = Template(
        '{% load seminar_i18n %}{% field_text obj "name" as name %}{{ name.marked }}|'
        '{% field obj "name" %}'
    )
    for language in ("ja", "zh-hans"):
        with translation.override(language):
            marked, field = template.render(Context({"obj": city})).split("|")
        assert marked == field
    assert marked.startswith('<span lang="ja">&lt;b&gt;内陸市&lt;/b&gt;</span> <small')


@pytest.mark.parametrize(
    ("value", "text"),
    [(datetime.time(9, 5), "09:05"), (datetime.time(14, 30), "14:30"), (None, "")],
)
def test_clock_filter(value, text):
    template = Template("{% load seminar_i18n %}{{ value|clock }}")
    for language in ("ja", "zh-hans"):
        with translation.override(language):
            assert template.render(Context({"value": value})) == text
