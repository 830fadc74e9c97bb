"""The public pages in a real browser: both languages, the switcher, phones, no kana in Chinese."""

import re

import pytest

pytestmark = pytest.mark.browser

KANA = re.compile(r"[\u3040-\u30ff]")
PAGES = {
    "/ja/": "日中地域間交流推進セミナー",
    "/zh-hans/": "中日地区间交流推进研讨会",
    "/ja/seminars/17/": "新産業創出と企業誘致による持続的な地方の発展について",
    "/zh-hans/seminars/17/": "加强新产业培育及招商引资，促进地方可持续发展",
}


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_browser_page_loads_with_heading_and_styles(site, page, path, heading):
    response = page.goto(site + path)

    assert response.status == 200
    assert page.locator("h1").inner_text() == heading
    assert page.locator("h1").count() == 1
    # The stylesheet loaded (WhiteNoise): the header has its dark background.
    header_background = page.eval_on_selector(
        ".site-header", "el => getComputedStyle(el).backgroundColor"
    )
    assert header_background == "rgb(29, 35, 48)"


def test_browser_2018_page_shows_dates_and_total_in_both_languages(site, page):
    page.goto(site + "/ja/seminars/17/")
    ja = page.locator("main").inner_text()
    page.goto(site + "/zh-hans/seminars/17/")
    zh = page.locator("main").inner_text()

    assert "2018年7月11日（水）～13日（金）" in ja and "147人（日本側59人、中国側88人）" in ja
    assert "2018年7月11日（星期三）至13日（星期五）" in zh and "147人（日方59人，中方88人）" in zh


def test_browser_language_switcher_click_keeps_the_page(site, page):
    page.goto(site + "/ja/seminars/17/")

    page.get_by_role("link", name="简体中文").click()
    page.wait_for_url(site + "/zh-hans/seminars/17/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == PAGES["/zh-hans/seminars/17/"]

    page.get_by_role("link", name="日本語").click()
    page.wait_for_url(site + "/ja/seminars/17/")
    assert page.locator("html").get_attribute("lang") == "ja"


def test_browser_series_row_links_to_the_edition(site, page):
    page.goto(site + "/zh-hans/")

    page.locator(".editions-table").get_by_role("link", name="第16届").click()

    page.wait_for_url(site + "/zh-hans/seminars/16/")
    assert page.locator("h1").inner_text() == "携手共创“幸福城市”"


@pytest.mark.parametrize("path", PAGES)
def test_browser_nothing_overflows_at_375_px(site, page, path):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + path)

    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")

    assert scroll_width <= 375


@pytest.mark.parametrize("path", ["/zh-hans/", "/zh-hans/seminars/17/", "/zh-hans/seminars/1/"])
def test_browser_chinese_pages_contain_no_kana(site, page, path):
    page.goto(site + path)

    text = page.evaluate("document.body.innerText")

    assert "中" in text
    assert KANA.findall(text) == []


def test_browser_skip_link_is_first_and_visible_on_focus(site, page):
    page.goto(site + "/ja/seminars/17/")

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    outline = page.eval_on_selector(".skip-link", "el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
