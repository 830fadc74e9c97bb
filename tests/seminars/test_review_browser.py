"""In Chromium, in both admin languages: an editor marks a draft ready for review, a publisher
finds it on the dashboard and requests changes on a named field, the editor marks it ready
again, the publisher approves it and publishes it through the confirmation page (no reason
asked: it is approved).

One test, parametrized by language: about 10 s each (live server, four sign-ins)."""

import pytest
from django.conf import settings

from seminars.models import EditionReview, ReviewEvent, Seminar
from tests.factories import make_agenda_item, make_seminar
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
WORDS = {
    "ja": {
        "submit": "レビュー依頼（確認待ちにする）",
        "request": "修正を依頼する",
        "approve": "承認する",
        "ready": "レビュー待ち",
        "changes": "修正依頼中",
        "approved": "承認済み",
        "publish": "公開…",
        "yes": "はい、公開します",
        "field": "テーマ（簡体字中国語）",
    },
    "zh-hans": {
        "submit": "提交审阅",
        "request": "要求修改",
        "approve": "批准",
        "ready": "待审阅",
        "changes": "已要求修改",
        "approved": "已批准",
        "publish": "发布…",
        "yes": "是，发布",
        "field": "主题（简体中文）",
    },
}


@pytest.fixture
def review_site(live_server, transactional_db, django_user_model):
    """Edition 5 as a draft; an editor and a publisher."""
    from django.contrib.auth.models import Group

    draft = make_seminar(5, status=Seminar.Status.DRAFT)
    make_agenda_item(draft)
    for username, group in [("editor", "Editors"), ("publisher", "Publishers")]:
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    return live_server.url, draft


def as_user(page, site, username, language):
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site}]
    )
    log_in_to_admin(page, site, username, PASSWORD)


def step(page, label, comment=""):
    if comment:
        page.fill("#id_comment", comment)
    page.click(f"form.review-decision button:text-is('{label}')")
    page.wait_for_selector(".messagelist .success")


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_review_flow_from_ready_to_published(review_site, page, language):
    site, draft = review_site
    words = WORDS[language]
    review_page = f"{site}/admin/seminars/seminar/{draft.pk}/review/"

    as_user(page, site, "editor", language)
    page.goto(f"{site}/admin/seminars/seminar/{draft.pk}/change/")
    page.click("a.review-link")
    step(page, words["submit"])
    assert words["ready"] in page.locator(".review-state").inner_text()

    as_user(page, site, "publisher", language)
    page.click(f"#dashboard .dashboard-review a[href$='/{draft.pk}/review/']")
    page.select_option("#id_field", "theme_zh_hans")
    step(page, words["request"], comment="中国語のテーマを見直してください。")
    assert words["changes"] in page.locator(".review-state").inner_text()
    steps = page.locator(".review-steps").inner_text()
    assert "中国語のテーマを見直してください。" in steps and words["field"] in steps

    as_user(page, site, "editor", language)
    page.goto(review_page)
    step(page, words["submit"], comment="直しました。")

    as_user(page, site, "publisher", language)
    page.goto(review_page)
    step(page, words["approve"])
    assert words["approved"] in page.locator(".review-state").inner_text()
    page.click(f"form.review-publish button:text-is('{words['publish']}')")
    page.wait_for_selector("section.publish-edition")
    assert page.locator("#publish-reason").count() == 0  # approved: no reason asked
    page.click(f"input[type=submit][value='{words['yes']}']")
    page.wait_for_selector(".messagelist .success")

    draft.refresh_from_db()
    assert draft.status == Seminar.Status.PUBLISHED
    assert EditionReview.objects.get(seminar=draft).state == "draft"  # the approval was used
    actions = list(ReviewEvent.objects.filter(seminar=draft).values_list("action", flat=True))
    assert actions == ["submit", "request_changes", "submit", "approve", "publish"]
    assert page.context.request.get(f"{site}/{language}/seminars/5/").status == 200
