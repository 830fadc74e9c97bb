"""The ↑/↓ buttons of ordered inlines in a real browser: they move the row, renumber the order
column and the save keeps the new order; an added row is numbered last."""

import pytest

from seminars.models import Photo
from tests.factories import make_edition
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
LABELS = {"ja-JP": ("上へ移動", "下へ移動"), "zh-CN": ("上移", "下移")}


@pytest.fixture
def editor_site(live_server, transactional_db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return live_server.url


def open_edition(browser, site, seminar, locale):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in_to_admin(page, site, "editor", PASSWORD)
    page.goto(f"{site}/admin/seminars/seminar/{seminar.pk}/change/")
    page.wait_for_load_state("load")
    return context, page


def photo_rows(page):
    return page.locator("#photos-group tr.form-row:not(.empty-form)")


def order_values(page):
    return [row.locator("td.field-order input").input_value() for row in photo_rows(page).all()]


@pytest.mark.parametrize("locale", list(LABELS))
def test_arrows_move_rows_and_the_save_keeps_the_order(browser, editor_site, locale):
    seminar = make_edition(5)
    first, second = seminar.photos.order_by("order")
    context, page = open_edition(browser, editor_site, seminar, locale)
    up, down = LABELS[locale]

    first_row = photo_rows(page).nth(0)
    assert first_row.get_by_role("button", name=up).is_visible()
    first_row.get_by_role("button", name=down).click()

    captions = photo_rows(page).locator("input[id$='-caption_ja']")
    assert captions.evaluate_all("inputs => inputs.map(input => input.value)") == [
        second.caption_ja,
        first.caption_ja,
    ]
    assert order_values(page) == ["10", "20"]
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    context.close()

    assert page.url.endswith(f"/admin/seminars/seminar/{seminar.pk}/change/")
    assert list(
        Photo.objects.filter(seminar=seminar).order_by("order").values_list("pk", "order")
    ) == [
        (second.pk, 10),
        (first.pk, 20),
    ]


def test_an_added_row_is_numbered_after_the_last(browser, editor_site):
    seminar = make_edition(5)
    context, page = open_edition(browser, editor_site, seminar, "ja-JP")

    page.locator("#photos-group .add-row a").click()

    assert order_values(page)[-1] == str(max(seminar.photos.values_list("order", flat=True)) + 10)
    up = LABELS["ja-JP"][0]
    added = photo_rows(page).last
    assert added.get_by_role("button", name=up).count() == 1
    added.get_by_role("button", name=up).click()
    assert order_values(page) == ["10", "20", "30"]
    context.close()


def test_dragging_a_row_by_its_handle_reorders_and_the_save_keeps_it(browser, editor_site):
    from seminars.models import Organizer

    seminar = make_edition(5)
    first, second, third = seminar.organizers.order_by("order", "pk")
    context, page = open_edition(browser, editor_site, seminar, "zh-CN")
    rows = page.locator("#organizers-group tr.form-row:not(.empty-form)")

    handle = rows.nth(0).locator(".order-handle")
    assert handle.get_attribute("title") == "拖动以调整顺序"
    handle.drag_to(rows.nth(2))

    orders = [row.locator("td.field-order input").input_value() for row in rows.all()]
    assert orders == ["10", "20", "30"]
    page.click("input[name=_continue]")
    page.wait_for_load_state("load")
    context.close()

    saved = Organizer.objects.filter(seminar=seminar).order_by("order").values_list("pk", flat=True)
    assert list(saved) == [second.pk, third.pk, first.pk]
