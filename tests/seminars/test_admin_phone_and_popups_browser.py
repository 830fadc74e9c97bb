"""The admin in Chromium where it is easy to overlook: the edition page on a phone (375 × 740:
inline rows stack, nothing wider than the screen, every label readable) and the ＋ popups of a
city or an organization (translation tabs named by language, not by code), in both languages.

Seconds per test (a live server and a browser page); the data is small and built per test
(live_server needs committed rows).
"""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

from seminars.models import AgendaItem, City, Organization
from tests.factories import make_agenda_item, make_edition

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
LOCALES = {"ja": "ja-JP", "zh-hans": "zh-CN"}
# A language code shown as text ("JA", "zh-hans", "ZH-HANS"), not inside a longer word.
LANGUAGE_CODE = re.compile(r"(?<![A-Za-z])(ja|zh-hans|zh_hans)(?![A-Za-z])", re.IGNORECASE)

# What a phone shows of the inline groups: their boxes against the screen, and the labels.
PHONE_LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const result = {width, scrollWidth: document.documentElement.scrollWidth, groups: [],
                  cells: 0, unlabelled: [], squeezed: [], repeated: []};
  for (const group of document.querySelectorAll(".inline-group")) {
    const box = group.getBoundingClientRect();
    const table = group.querySelector("table");
    result.groups.push({id: group.id, right: Math.round(box.right),
                        table: table ? Math.round(table.getBoundingClientRect().width) : 0,
                        inner: Math.round(box.width)});
  }
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  for (const cell of document.querySelectorAll(".inline-group tr.form-row > td")) {
    if (!visible(cell) || cell.classList.contains("original")) continue;
    if (cell.classList.contains("delete") && !cell.querySelector("input, a")) continue;
    result.cells += 1;
    const label = getComputedStyle(cell, "::before").content;
    if (!label || label === "none" || label === '""') {
      result.unlabelled.push(cell.className || cell.textContent.trim().slice(0, 20));
    }
    const cellWidth = Math.round(cell.getBoundingClientRect().width);
    if (cellWidth < 200) result.squeezed.push(`cell ${cell.dataset.label}: ${cellWidth}px`);
  }
  // Two cells of one row under the same name (a read-only title in each language).
  for (const row of document.querySelectorAll(".inline-group tr.form-row:not(.empty-form)")) {
    const cells = row.querySelectorAll(":scope > td[data-label]");
    const labels = Array.from(cells, (td) => td.dataset.label);
    const twice = labels.filter((label, index) => labels.indexOf(label) !== index);
    if (twice.length) result.repeated.push(`${row.id}: ${twice.join(", ")}`);
  }
  // A label narrower than three characters while its text is longer: one character a line.
  for (const el of document.querySelectorAll("label, th, h1, h2, .inline-group td p")) {
    if (!visible(el)) continue;
    const text = el.textContent.replace(/\\s+/g, "");
    const size = parseFloat(getComputedStyle(el).fontSize);
    const box = el.getBoundingClientRect();
    if (text.length > 3 && box.width < 3 * size) {
      result.squeezed.push(`${el.tagName} ${text.slice(0, 12)}: ${Math.round(box.width)}px`);
    }
  }
  return result;
}"""


def _user(django_user_model, group):
    user = django_user_model.objects.create_user(group.lower(), password=None, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def _signed_in_page(browser, live_server, user, language, viewport):
    """A browser page signed in as `user` (the session of Django's test client, no login form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale=LOCALES[language], viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context, context.new_page()


@pytest.fixture
def edition(transactional_db):
    """The latest edition as the seed has it: a programme with speakers, a session and its
    parts, photos, both delegations."""
    seminar = make_edition(17, start_date=datetime.date(2018, 11, 6))
    session = make_agenda_item(
        seminar, kind=AgendaItem.Kind.MEETING, order=10, title_ja="本会議", title_zh_hans="全体会议"
    )
    for i in range(2):
        make_agenda_item(
            seminar,
            kind=AgendaItem.Kind.KEYNOTE,
            session=session,
            order=11 + i,
            start_time=datetime.time(14 + i, 0),
            title_ja=f"基調講演{i + 1}",
            title_zh_hans=f"主旨演讲{i + 1}",
        )
    return seminar


@pytest.mark.parametrize(
    ("group", "language"), [("Editors", "ja"), ("Publishers", "zh-hans"), ("Editors", "zh-hans")]
)
def test_admin_phone_edition_page_stacks_inline_rows(
    browser, live_server, edition, django_user_model, group, language
):
    user = _user(django_user_model, group)
    context, page = _signed_in_page(browser, live_server, user, language, PHONE)
    page.goto(live_server.url + reverse("admin:seminars_seminar_change", args=[edition.pk]))
    page.wait_for_load_state("load")
    page.wait_for_function("document.querySelector('#agenda_items-group td[data-label]') !== null")
    layout = page.evaluate(PHONE_LAYOUT)
    if group == "Editors":  # a row added on the phone stacks and is labelled too
        rows = "#agenda_items-group tr.form-row:not(.empty-form)"
        before = page.locator(rows).count()
        page.locator("#agenda_items-group .add-row a").click()
        page.wait_for_function(
            f"document.querySelectorAll('{rows}').length === {before + 1}"
            f" && document.querySelectorAll('{rows}')[{before}]"
            ".querySelector('td.field-date[data-label]') !== null"
        )
        added = page.evaluate(PHONE_LAYOUT)
        assert added["unlabelled"] == [] and added["squeezed"] == [], added
        assert added["scrollWidth"] <= added["width"], added
    context.close()

    assert layout["width"] == PHONE["width"]
    assert layout["scrollWidth"] <= layout["width"], layout
    assert {g["id"] for g in layout["groups"]} >= {"agenda_items-group", "photos-group"}
    for group_box in layout["groups"]:
        assert group_box["right"] <= layout["width"], group_box
        assert group_box["table"] <= group_box["inner"] + 1, group_box  # no 1,300 px table
    assert layout["cells"] > 30, layout  # the rows are there, each cell shown
    assert layout["unlabelled"] == [], layout
    assert layout["squeezed"] == [], layout
    assert layout["repeated"] == [], layout


def _tab_names(language):
    with translation.override(language):
        return [str(get_language_info(code)["name_translated"]) for code in ("ja", "zh-hans")]


def _tabs_of(page):
    page.wait_for_selector(".ui-tabs-nav a")
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # admin_extra/admin.js names the tabs as they appear
    first_group = page.locator(".ui-tabs-nav").first
    return [name.strip() for name in first_group.locator("a").all_inner_texts()]


@pytest.mark.parametrize("language", list(LOCALES))
def test_admin_popups_name_languages_in_their_tabs(
    browser, live_server, edition, django_user_model, language
):
    user = _user(django_user_model, "Editors")
    city = City.objects.order_by("pk").first()
    organization = Organization.objects.order_by("pk").first()
    popup = "?_to_field=id&_popup=1"
    pages = [
        reverse("admin:seminars_city_add") + popup,
        reverse("admin:seminars_city_change", args=[city.pk]) + popup,
        reverse("admin:seminars_organization_add") + popup,
        reverse("admin:seminars_organization_change", args=[organization.pk]) + popup,
        # The same forms outside a popup.
        reverse("admin:seminars_city_change", args=[city.pk]),
        reverse("admin:seminars_organization_add"),
    ]
    context, page = _signed_in_page(
        browser, live_server, user, language, {"width": 900, "height": 700}
    )
    wrong = []
    for url in pages:
        page.goto(live_server.url + url)
        tabs = _tabs_of(page)
        codes = LANGUAGE_CODE.findall(page.locator("body").inner_text())
        if tabs != _tab_names(language) or codes:
            wrong.append(f"{url}: tabs {tabs}, codes shown {codes}")
    context.close()
    assert not wrong, "\n".join(wrong)
