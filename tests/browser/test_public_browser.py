"""The public pages in a real browser: both languages, the switcher, phones, no kana in Chinese."""

import re

import pytest

from seminars.models import Seminar

from .conftest import CHENGDU_EDITION, LATEST

pytestmark = pytest.mark.browser

KANA = re.compile(r"[\u3040-\u30ff]")
LATEST_JA, LATEST_ZH = f"/ja/seminars/{LATEST}/", f"/zh-hans/seminars/{LATEST}/"
# The page's heading: the series name, or the latest edition's title (a field of the record).
PAGES = {
    "/ja/": "日中地域間交流推進セミナー",
    "/zh-hans/": "中日地区间交流推进研讨会",
    LATEST_JA: "title_ja",
    LATEST_ZH: "title_zh_hans",
}
WEEKDAYS = {"ja": "月火水木金土日", "zh-hans": "一二三四五六日"}


def heading_of(path, record):
    return getattr(record, PAGES[path]) if PAGES[path].startswith("title_") else PAGES[path]


@pytest.mark.parametrize("path", PAGES)
def test_browser_page_loads_with_heading_and_styles(site, record, page, path):
    response = page.goto(site + path)

    assert response.status == 200
    assert page.locator("h1").inner_text() == heading_of(path, record)
    assert page.locator("h1").count() == 1
    # The stylesheet loaded (WhiteNoise): the header has its dark background.
    header_background = page.eval_on_selector(
        ".site-header", "el => getComputedStyle(el).backgroundColor"
    )
    assert header_background == "rgb(29, 35, 48)"


def test_browser_edition_page_shows_dates_and_total_in_both_languages(site, record, page):
    page.goto(site + LATEST_JA)
    ja = page.locator("main").inner_text()
    page.goto(site + LATEST_ZH)
    zh = page.locator("main").inner_text()

    start, end = record.start_date, record.end_date
    day = f"{start.year}年{start.month}月{start.day}日"
    ja_days = [WEEKDAYS["ja"][d.weekday()] for d in (start, end)]
    zh_days = [WEEKDAYS["zh-hans"][d.weekday()] for d in (start, end)]
    # make_edition's delegations: 12 from Japan, 15 from China
    assert f"{day}（{ja_days[0]}）～{end.day}日（{ja_days[1]}）" in ja
    assert "27人（日本側12人、中国側15人）" in ja
    assert f"{day}（星期{zh_days[0]}）至{end.day}日（星期{zh_days[1]}）" in zh
    assert "27人（日方12人，中方15人）" in zh


def test_browser_language_switcher_click_keeps_the_page(site, record, page):
    page.goto(site + LATEST_JA)

    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url(site + LATEST_ZH)
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == record.title_zh_hans

    page.get_by_role("link", name="日本語").click()
    page.wait_for_url(site + LATEST_JA)
    assert page.locator("html").get_attribute("lang") == "ja"


def test_browser_series_row_links_to_the_edition(site, page):
    page.goto(site + "/zh-hans/")

    name = f"第{CHENGDU_EDITION}届"
    page.locator(".editions-table").get_by_role("link", name=name).click()

    page.wait_for_url(site + f"/zh-hans/seminars/{CHENGDU_EDITION}/")
    # without a title, the heading is the theme
    theme = Seminar.objects.get(edition=CHENGDU_EDITION).theme_zh_hans
    assert page.locator("h1").inner_text() == theme


@pytest.mark.parametrize("path", PAGES)
def test_browser_nothing_overflows_at_375_px(site, page, path):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + path)

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")

    assert scroll_width <= 375


@pytest.mark.parametrize("path", ["/zh-hans/", LATEST_ZH, "/zh-hans/seminars/1/"])
def test_browser_chinese_pages_contain_no_kana(site, page, path):
    page.goto(site + path)

    text = page.evaluate("document.body.innerText")

    assert "中" in text
    assert KANA.findall(text) == []


def test_browser_skip_link_is_first_and_visible_on_focus(site, page):
    page.goto(site + LATEST_JA)

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    outline = page.eval_on_selector(".skip-link", "el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
