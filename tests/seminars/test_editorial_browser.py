"""An editor (Editors + Publishers) in a real browser: copy the latest edition as a new draft,
fill one Chinese field, preview it, publish it (confirming the missing translations), and read
the public page."""

import pytest

from seminars.models import Seminar
from tests.factories import make_edition
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
CHINESE_THEME = "推动地方创新发展"


@pytest.fixture
def editor_site(live_server, transactional_db, django_user_model):
    """A complete published edition 5 (make_edition) and an editor-publisher."""
    from django.contrib.auth.models import Group

    make_edition(5)

    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
    assert user.groups.count() == 2, "the role groups exist (seminars.record.roles.sync_roles)"
    return live_server.url


def log_in(page, site):
    log_in_to_admin(page, site, "editor", PASSWORD)


def copy_latest(page, site):
    page.goto(f"{site}/admin/seminars/seminar/")
    source = Seminar.objects.get(edition=5)
    page.check(f"input[name=_selected_action][value='{source.pk}']")
    page.select_option("select[name=action]", "copy_as_next_edition")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/seminars/seminar/*/change/")
    return Seminar.objects.get(edition=6)


def fill_chinese_theme(page):
    tab = page.locator("a[href='#tab_id_theme_zh_hans']")
    if tab.count():
        tab.click()
    page.fill("#id_theme_zh_hans", CHINESE_THEME)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")


def test_editor_copies_previews_and_publishes(editor_site, page):
    site = editor_site
    log_in(page, site)
    draft = copy_latest(page, site)
    assert draft.status == Seminar.Status.DRAFT
    assert "第6回" in page.locator(".messagelist").inner_text()
    fill_chinese_theme(page)
    draft.refresh_from_db()
    assert draft.theme_zh_hans == CHINESE_THEME

    with page.context.expect_page() as opened:
        page.click("a[hreflang='zh-hans']")
    preview = opened.value
    preview.wait_for_load_state()
    assert CHINESE_THEME in preview.content()
    assert "预览" in preview.locator(".preview-banner").inner_text()
    assert page.context.request.get(f"{site}/zh-hans/seminars/6/").status == 404

    page.click("form.editorial-publish button")
    page.wait_for_selector("ul.editorial-missing")
    assert "テーマ（日本語）" in page.locator("ul.editorial-missing").inner_text()
    page.fill("#publish-reason", "レビューなしで公開")  # a draft never approved (test_review.py)
    page.click("input[type=submit][value='はい、公開します']")
    page.wait_for_selector(".messagelist .success")
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.PUBLISHED

    response = page.goto(f"{site}/zh-hans/seminars/6/")
    assert response.status == 200
    assert CHINESE_THEME in page.content()
    assert not page.locator(".preview-banner").count()
