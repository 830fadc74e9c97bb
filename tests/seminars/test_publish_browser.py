"""In a real browser, in both admin languages: a Publisher publishes two drafts from the list
through the confirmation page (previews in both languages, nothing missing); an editor reaches a
missing agenda field from the dashboard and opens the rest of the list; a second editor is told
who has the edition open, and no longer once that page is left.

Each test starts Chromium pages against the live server: 5–20 s each (data, sign-ins)."""

import pytest

from seminars.models import AgendaItem, Seminar
from tests.factories import make_edition
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
VIEWPORT = {"width": 1280, "height": 800}
LANGUAGES = {"ja": "ja-JP", "zh-hans": "zh-CN"}
WORDS = {
    "ja": {
        "nothing_missing": "どちらの言語にも未翻訳の項目はありません。",
        "yes": "はい、公開します",
        "done": "2 件のセミナーを公開しました。",
        "previews": ["プレビュー（日本語）", "プレビュー（简体中文）"],
        "open": "山田花子 さんが",
    },
    "zh-hans": {
        "nothing_missing": "两种语言均无缺少的译文。",
        "yes": "是，发布",
        "done": "已发布 2 届研讨会。",
        "previews": ["预览（日本語）", "预览（简体中文）"],
        "open": "山田花子 自",
    },
}


@pytest.fixture
def site(live_server, transactional_db, django_user_model):
    """Edition 1 published, 2 and 3 complete drafts; a publisher and two editors."""
    from django.contrib.auth.models import Group

    make_edition(1)
    for number in (2, 3):
        make_edition(number, status=Seminar.Status.DRAFT)
    for username, groups, names in [
        ("publisher", ["Publishers"], {}),
        ("hyamada", ["Editors"], {"first_name": "花子", "last_name": "山田"}),
        ("editor", ["Editors"], {}),
    ]:
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True, **names
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
    return live_server.url


def signed_in(browser, site, username, language):
    context = browser.new_context(locale=LANGUAGES[language], viewport=VIEWPORT)
    page = context.new_page()
    log_in_to_admin(page, site, username, PASSWORD)
    return page


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_publisher_publishes_two_drafts_after_the_confirmation(browser, site, language):
    words = WORDS[language]
    drafts = list(Seminar.objects.filter(status="draft").order_by("edition"))
    page = signed_in(browser, site, "publisher", language)
    page.goto(f"{site}/admin/seminars/seminar/")
    for draft in drafts:
        page.check(f"input[name=_selected_action][value='{draft.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")

    page.wait_for_selector("section.publish-edition")
    sections = page.locator("section.publish-edition")
    assert sections.count() == 2
    for index, draft in enumerate(drafts):
        section = sections.nth(index)
        assert str(draft.edition) in section.locator("h2").inner_text()
        links = section.locator("ul.publish-previews a")
        assert links.all_inner_texts() == words["previews"]
        assert [links.nth(i).get_attribute("hreflang") for i in range(2)] == ["ja", "zh-hans"]
        assert section.locator(".publish-nothing-missing").inner_text() == words["nothing_missing"]
    with page.context.expect_page() as opened:
        sections.nth(0).locator("a[hreflang='zh-hans']").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "第2届研讨会" in preview.content() and preview.locator(".preview-banner").count()
    preview.close()
    assert Seminar.objects.filter(status="draft").count() == 2

    page.fill("#publish-reason", "レビューなしで公開")  # drafts never approved (test_review.py)
    page.click(f"input[type=submit][value='{words['yes']}']")

    page.wait_for_selector(".messagelist .success")
    assert words["done"] in page.locator(".messagelist").inner_text()
    assert not Seminar.objects.filter(status="draft").exists()
    page.context.close()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_editor_reaches_a_missing_agenda_field_from_the_dashboard(browser, site, language):
    draft = Seminar.objects.get(edition=3)
    AgendaItem.objects.filter(seminar=draft).update(venue_zh_hans="")  # six gaps: four + "2 more"
    target = AgendaItem.objects.filter(seminar=draft).order_by("date", "order").last()
    page = signed_in(browser, site, "editor", language)

    rest = page.locator(".dashboard-missing details.dashboard-more")
    assert not rest.locator("ul").is_visible()
    rest.locator("summary").click()
    assert rest.locator("li").count() == 2
    link = rest.locator("li a").last
    assert link.is_visible()
    link.click()

    page.wait_for_url(f"**/admin/seminars/seminar/{draft.pk}/change/#tab_id_agenda_items-*")
    field_id = page.url.split("#tab_")[1]
    field = page.locator(f"#{field_id}")
    field.wait_for(state="visible")
    assert field_id.endswith("-venue_zh_hans")
    row = field_id.removeprefix("id_").removesuffix("-venue_zh_hans")
    assert page.locator(f"input[name='{row}-id']").get_attribute("value") == str(target.pk)
    page.context.close()


def test_second_editor_sees_who_has_the_edition_open_until_it_is_left(browser, site):
    draft = Seminar.objects.get(edition=3)
    change = f"{site}/admin/seminars/seminar/{draft.pk}/change/"
    first = signed_in(browser, site, "hyamada", "ja")
    first.goto(change)
    first.wait_for_selector("#edition-presence", state="attached")

    for language in LANGUAGES:
        second = signed_in(browser, site, "editor", language)
        second.goto(change)
        assert WORDS[language]["open"] in second.locator("#edition-presence").inner_text()
        second.context.close()

    first.goto(f"{site}/admin/")  # leaves the page: its beacon takes the mark away
    second = signed_in(browser, site, "editor", "ja")
    for _attempt in range(20):  # the beacon is sent as the page goes, answered a moment later
        second.goto(change)
        if not second.locator("#edition-presence").inner_text().strip():
            break
        second.wait_for_timeout(250)
    assert second.locator("#edition-presence").inner_text().strip() == ""
    second.context.close()
    first.context.close()
