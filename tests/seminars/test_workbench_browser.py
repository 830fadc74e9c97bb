"""A translator in Chromium: opens the workbench from the edition page, shows only the missing
fields, fills one, saves and sees the progress of Chinese rise. One short journey (a live
server and a browser cost seconds)."""

import pytest

from seminars.models import Seminar
from tests.factories import make_edition
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
CHINESE_SUMMARY = "研讨会的概要。"


@pytest.fixture
def translator_site(live_server, transactional_db, django_user_model):
    """Edition 5 (make_edition) without its Chinese summary and venue of item 1; a translator."""
    from django.contrib.auth.models import Group

    seminar = make_edition(5)
    Seminar.objects.filter(pk=seminar.pk).update(summary_zh_hans="")
    item = seminar.agenda_items.first()
    type(item).objects.filter(pk=item.pk).update(venue_zh_hans="")
    user = django_user_model.objects.create_user("translator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Translators"))
    return live_server.url, seminar


def chinese_done(page):
    return int(
        page.locator("#workbench-progress li[data-language='zh-hans'] progress").get_attribute(
            "value"
        )
    )


def test_translator_fills_a_missing_field_and_progress_rises(translator_site, page):
    site, seminar = translator_site
    log_in_to_admin(page, site, "translator", PASSWORD)
    page.goto(f"{site}/admin/seminars/seminar/{seminar.pk}/change/")
    page.click("#workbench-link")
    page.wait_for_selector("#workbench-form")
    before = chinese_done(page)
    page.click("#workbench-filters a[data-filter='missing']")
    page.wait_for_url("**show=missing")
    rows = page.locator("tr.wb-row")
    assert rows.count() == 2
    summary = page.locator(f"textarea[name='t-seminar.{seminar.pk}.summary']")
    assert summary.get_attribute("lang") == "zh-Hans"
    source = page.locator(f"tr[data-key='seminar.{seminar.pk}.summary'] .wb-source")
    assert source.get_attribute("lang") == "ja"
    summary.fill(CHINESE_SUMMARY)
    page.click("#workbench-save")
    page.wait_for_selector(".messagelist .success")
    assert chinese_done(page) == before + 1
    assert page.locator("tr.wb-row").count() == 1  # still "missing": the one left
    seminar.refresh_from_db()
    assert seminar.summary_zh_hans == CHINESE_SUMMARY
