"""The annual job in a real browser (1366 × 768, in both admin languages): copy a 2018-like
edition, then in one save move it to a new city and shorter dates with a new theme, delete the
copied rows of the day that no longer exists, and add a session with two timed parts; a refused
save keeps the picked photo (shown as waiting by its name) and every typed field; the corrected
save stores all.

Costs ~30 s a language on a shared machine: a live server, Chromium, and three saves of a full
edition page.
"""

import datetime

import pytest

from seminars.models import AgendaItem, Photo, Seminar
from tests.factories import make_agenda_item, make_city, make_edition
from tests.pages import add_inline_row, log_in_to_admin, type_in
from tests.security.images import image_bytes

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
# Browser locale, the new session's label in the session selects, the waiting photo's line.
LANGUAGES = {
    "ja": ("ja-JP", "分科会（新しい行）", "保存待ち：DSC_0412.JPG"),
    "zh-hans": ("zh-CN", "分组会议（新行）", "等待保存：DSC_0412.JPG"),
}


@pytest.fixture
def job_site(live_server, transactional_db, django_user_model, settings, tmp_path):
    """Edition 17 of FY2018 (three days, a plenary session with two parts on day 1), the city of
    the next edition, and an editor."""
    from django.contrib.auth.models import Group

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    source = make_edition(17, start_date=datetime.date(2018, 11, 6), fiscal_year=2018)
    plenary = make_agenda_item(
        source, kind=AgendaItem.Kind.PLENARY, title_ja="本会議", title_zh_hans="全体会议", order=20
    )
    make_agenda_item(
        source, title_ja="基調講演", title_zh_hans="主旨演讲", session=plenary, order=21
    )
    make_city("成都", "成都", province_ja="四川省", province_zh_hans="四川省")
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Editors", "Publishers"]))
    return live_server.url


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "DSC_0412.JPG"
    path.write_bytes(image_bytes("JPEG", size=(1200, 900)))
    return path


def typed_row(page, index, day, kind, ja, zh, times=None):
    row = f"agenda_items-{index}"
    page.fill(f"[name='{row}-date']", day)
    page.select_option(f"[name='{row}-kind']", kind)
    if times:
        page.fill(f"[name='{row}-start_time']", times[0])
        page.fill(f"[name='{row}-end_time']", times[1])
    type_in(page, f"{row}-title_zh_hans", zh)
    type_in(page, f"{row}-title_ja", ja)


def copy_edition(page, site):
    page.goto(f"{site}/admin/seminars/seminar/")
    source = Seminar.objects.get(edition=17)
    page.check(f"input[name=_selected_action][value='{source.pk}']")
    page.select_option("select[name=action]", "copy_as_next_edition")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/seminars/seminar/*/change/")
    return Seminar.objects.get(edition=18)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_annual_job_in_one_save_keeps_photos_through_a_refusal(
    browser, job_site, photo_file, language
):
    locale, session_label, waiting = LANGUAGES[language]
    context = browser.new_context(locale=locale, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in_to_admin(page, job_site, "editor", PASSWORD)
    draft = copy_edition(page, job_site)
    assert draft.agenda_items.count() == 8
    chengdu = Seminar._meta.get_field("city").related_model.objects.get(name_ja="成都")

    # The new city (the autocomplete's select), shorter dates, a new theme.
    page.evaluate(
        "(pk) => { const s = document.getElementById('id_city');"
        " s.add(new Option('成都', pk, true, true)); }",
        str(chengdu.pk),
    )
    page.fill("#id_start_date", "2019-10-15")
    page.fill("#id_end_date", "2019-10-16")
    type_in(page, "theme_ja", "地方創生と交流")
    # The copied third day no longer exists: its rows go.
    for item in draft.agenda_items.filter(date=draft.end_date):
        id_input = page.locator(f"#agenda_items-group input[name$='-id'][value='{item.pk}']")
        index = id_input.get_attribute("name").split("-")[1]
        page.check(f"[name='agenda_items-{index}-DELETE']")
    # A new session and its two timed parts, in the same save.
    session = add_inline_row(page, "agenda_items")
    typed_row(page, session, "2019-10-16", "plenary", "分科会", "分组会议")
    parts = []
    for times, ja, zh in (
        (("14:00", "15:00"), "事例発表", "案例发表"),
        (("15:15", "16:00"), "意見交換", "意见交流"),
    ):
        index = add_inline_row(page, "agenda_items")
        typed_row(page, index, "2019-10-16", "lecture", ja, zh, times)
        page.select_option(f"[name='agenda_items-{index}-session']", label=session_label)
        parts.append(index)
    # A photo picked, its caption forgotten: the save is refused.
    photo = add_inline_row(page, "photos")
    page.set_input_files(f"[name='photos-{photo}-image']", str(photo_file))
    page.click("input[name=_continue]")
    page.wait_for_selector(".errornote")

    assert waiting in page.locator(f"#photos-{photo}").inner_text()
    assert page.input_value("#id_theme_ja") == "地方創生と交流"
    assert page.input_value("#id_start_date") == "2019-10-15"
    for index in parts:
        chosen = page.locator(f"[name='agenda_items-{index}-session'] option:checked").inner_text()
        assert chosen == session_label
    assert Seminar.objects.get(edition=18).start_date == datetime.date(2019, 11, 5)  # unsaved
    assert not Photo.objects.filter(seminar=draft).exists()

    type_in(page, f"photos-{photo}-caption_ja", "開会式")
    type_in(page, f"photos-{photo}-caption_zh_hans", "开幕式")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    context.close()

    draft.refresh_from_db()
    assert (draft.city_id, draft.start_date, draft.end_date, draft.theme_ja) == (
        chengdu.pk,
        datetime.date(2019, 10, 15),
        datetime.date(2019, 10, 16),
        "地方創生と交流",
    )
    assert sorted(set(draft.agenda_items.values_list("date", flat=True))) == [
        datetime.date(2019, 10, 15),
        datetime.date(2019, 10, 16),
    ]
    new_session = draft.agenda_items.get(title_ja="分科会")
    assert [(p.title_ja, p.start_time) for p in new_session.parts.order_by("start_time")] == [
        ("事例発表", datetime.time(14, 0)),
        ("意見交換", datetime.time(15, 15)),
    ]
    copied_plenary = draft.agenda_items.get(title_ja="本会議")
    assert copied_plenary.parts.get().date == datetime.date(2019, 10, 15)
    [saved] = Photo.objects.filter(seminar=draft)
    assert (saved.original_name, saved.caption_ja) == ("DSC_0412.JPG", "開会式")


def test_session_choice_follows_its_row_when_a_new_row_is_removed(browser, job_site):
    """Removing a new row renumbers the rows after it: the part keeps its session."""
    context = browser.new_context(locale="ja-JP", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    log_in_to_admin(page, job_site, "editor", PASSWORD)
    source = Seminar.objects.get(edition=17)
    page.goto(f"{job_site}/admin/seminars/seminar/{source.pk}/change/")
    dropped = add_inline_row(page, "agenda_items")
    typed_row(page, dropped, "2018-11-07", "meeting", "取り消す行", "取消的行")
    session = add_inline_row(page, "agenda_items")
    typed_row(page, session, "2018-11-07", "plenary", "午後の部", "下午会议")
    part = add_inline_row(page, "agenda_items")
    typed_row(page, part, "2018-11-07", "lecture", "報告", "报告", ("14:00", "15:00"))
    page.select_option(f"[name='agenda_items-{part}-session']", label="午後の部（新しい行）")

    page.click(f"#agenda_items-{dropped} .inline-deletelink")
    select = page.locator(f"[name='agenda_items-{part - 1}-session']")
    assert select.locator("option:checked").inner_text() == "午後の部（新しい行）"
    assert select.input_value() == f"new-{session - 1}"
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    context.close()

    report = source.agenda_items.get(title_ja="報告")
    assert report.session.title_ja == "午後の部"
    assert not source.agenda_items.filter(title_ja="取り消す行").exists()
