"""The admin in a real browser, 1280 × 800, in both admin languages: the edition page fits the
window, no language code or server-time note shows, and the dashboard lists a fresh draft."""

import re

import pytest

from seminars.models import Seminar
from tests.factories import make_edition, make_editions
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
VIEWPORT = {"width": 1280, "height": 800}
LANGUAGES = {"ja": "ja-JP", "zh-hans": "zh-CN"}
# A language code as text: "ja", "zh-hans", "ZH-HANS", "zh_hans", not inside a longer word.
LANGUAGE_CODE = re.compile(r"(?<![A-Za-z])(ja|zh-hans|zh_hans)(?![A-Za-z])", re.IGNORECASE)

# Visible elements whose right edge passes the window, with a short description of each.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || style.visibility === "hidden" || style.display === "none") continue;
    if (box.right > width + 1) {
      found.push(`${el.tagName}#${el.id}.${el.className} right=${Math.round(box.right)}`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found: found.slice(0, 10)};
}"""


@pytest.fixture
def staff_site(live_server, transactional_db, django_user_model):
    """A complete edition 5 after four plain ones, and an editor-publisher."""
    from django.contrib.auth.models import Group

    latest = make_edition(5)
    make_editions(4, first_edition=1, first_year=2002, city=latest.city)

    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
    return live_server.url


@pytest.fixture(params=list(LANGUAGES))
def staff_page(request, browser, staff_site):
    context = browser.new_context(locale=LANGUAGES[request.param], viewport=VIEWPORT)
    page = context.new_page()
    log_in_to_admin(page, staff_site, "editor", PASSWORD)
    page.language = request.param
    page.site = staff_site
    yield page
    context.close()


def codes_in(page):
    page.wait_for_load_state("load")
    return LANGUAGE_CODE.findall(page.locator("body").inner_text())


def test_admin_browser_change_page_fits_and_names_languages(staff_page):
    page = staff_page
    seminar = Seminar.objects.get(edition=5)  # staff_site's complete edition
    page.goto(f"{page.site}/admin/seminars/seminar/{seminar.pk}/change/")
    page.wait_for_selector(".ui-tabs-nav, ul.ui-tabs-nav, #id_theme_ja")
    page.wait_for_timeout(300)  # the tab script and DateTimeShortcuts run on load
    layout = page.evaluate(OVERFLOWING)
    assert layout["scrollWidth"] <= layout["width"], layout
    assert layout["found"] == [], layout
    assert codes_in(page) == []
    assert page.locator(".timezonewarning").count() == 0
    assert page.locator(".china-time-note").count() == 1
    tabs = page.locator("a[href='#tab_id_theme_zh_hans']").inner_text()
    assert tabs == {"ja": "簡体字中国語", "zh-hans": "简体中文"}[page.language]


def test_admin_browser_list_and_filters_name_languages(staff_page):
    page = staff_page
    page.goto(f"{page.site}/admin/seminars/seminar/")
    assert codes_in(page) == []
    first = page.locator("#result_list tbody tr").first
    latest = Seminar.objects.get(edition=5)
    assert first.locator("input[name=_selected_action]").get_attribute("value") == str(latest.pk)
    assert "5" in first.inner_text()  # newest first
    page.goto(f"{page.site}/admin/seminars/seminar/?translation=missing-zh-hans")
    assert codes_in(page) == []
    page.goto(f"{page.site}/admin/seminars/agendaitem/")
    assert codes_in(page) == []
    layout = page.evaluate(OVERFLOWING)
    assert layout["scrollWidth"] <= layout["width"], layout


def test_admin_browser_dashboard_lists_fresh_draft(staff_page):
    page = staff_page
    source = Seminar.objects.get(edition=5)
    page.goto(f"{page.site}/admin/seminars/seminar/")
    page.check(f"input[name=_selected_action][value='{source.pk}']")
    page.select_option("select[name=action]", "copy_as_next_edition")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/seminars/seminar/*/change/")
    draft = Seminar.objects.get(edition=6)
    page.goto(f"{page.site}/admin/")
    drafts = page.locator("#dashboard .dashboard-drafts").inner_text()
    missing = page.locator("#dashboard .dashboard-missing").inner_text()
    assert draft.status == Seminar.Status.DRAFT and "6" in drafts
    assert "6" in missing
    assert codes_in(page) == []
    # A missing field links to its tab on the change page, which opens it.
    link = page.locator("#dashboard .dashboard-missing a[href*='#tab_id_theme']").first
    link.click()
    page.wait_for_url("**/change/#tab_id_theme_*")
    page.wait_for_load_state("load")
    field = page.url.rsplit("#tab_", 1)[1]
    page.wait_for_selector(f"#{field}", state="visible", timeout=5000)
