"""The annual job, end to end, on the seed, as the four roles would do it in Chromium (issue 22's
"Done when"), in production mode (DEBUG off, secure cookies, HSTS, CSP as always):

1. the Editor (1366 × 768) copies the 2018 edition (17) with the list action, then in ONE save
   moves it to another city and to dates of another length, gives it a theme, deletes the
   copied rows of the day that no longer exists and adds a session with two timed parts; that
   save is refused (a photo without its caption), keeps the photo waiting under its own name,
   and the corrected save stores it all;
2. the Translator (1280 × 800) follows the dashboard's links to every missing field of the new
   edition, one after the other, until the edition is no longer listed;
3. the Data steward imports the counts from a CP932 CSV headed as the Japanese export heads it,
   with full-width digits, then from an XLSX: preview, then confirm;
4. the Publisher opens the previews from the one confirmation page, confirms and reads the
   success message;
5. the Editor finds every step in the history and restores its first point: the edition's
   content is again exactly what the copy made.

Run twice: once with the roles' languages of the issue (Editor and Publisher in Japanese,
Translator and Data steward in Chinese), once with every role in the other language, so each
step is seen in both admin languages.

Cost: 25–35 s a run on a shared machine (50–70 s the module). Each run loads the seed and records
its history once
(`loaddata` + `record_history`, ~2 s; a live server needs a transactional database, so the seed
cannot be shared across runs), then signs in five times and saves full edition pages about ten
times. It is one long test per language on purpose: each step starts from what the one before
it left, as the year's work does.

Not production: the static files are served by the live server's finders, not by WhiteNoise's
manifest (that needs `collectstatic`, tested in tests/operations), and HTTPS redirects and
`upgrade-insecure-requests` are off (the live server speaks http on 127.0.0.1).
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from participants.models import Delegation
from seminars.models import Photo, Seminar
from tests.pages import add_inline_row, collapsed, log_in_to_admin, type_in
from tests.security.images import image_bytes
from tests.seminars.test_edition_life import content

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"
SOURCE, DRAFT = 17, 18  # the seed's 2018 edition (Mianyang) and its copy
NEW_CITY = "成都市"  # a city of the seed other than Mianyang
START, END = datetime.date(2019, 10, 15), datetime.date(2019, 10, 16)  # two days, not three
THEME = ("地方創生と交流", "地方振兴与交流")
# New rows: the editor types the Japanese, the translator the Chinese (dashboard text → Chinese).
SESSION = ("分科会", "分组会议")
PARTS = [
    (("14:00", "15:00"), "事例発表", "案例发表"),
    (("15:15", "16:00"), "意見交換", "意见交流"),
]
CAPTION = ("開会式", "开幕式")
CHINESE = {SESSION[0]: SESSION[1], CAPTION[0]: CAPTION[1], **{ja: zh for _t, ja, zh in PARTS}}

LOCALES = {"ja": "ja-JP", "zh-hans": "zh-CN"}
OTHER = {"ja": "zh-hans", "zh-hans": "ja"}
# The staff: user name, groups, full name (the history names them), viewport.
STAFF = {
    "editor": (["Editors"], {"last_name": "佐藤", "first_name": "花子"}, (1366, 768)),
    "translator": (["Translators"], {"last_name": "王", "first_name": "芳"}, (1280, 800)),
    "steward": (["Data stewards"], {"last_name": "李", "first_name": "娜"}, (1280, 800)),
    "publisher": (["Publishers"], {"last_name": "田中", "first_name": "一郎"}, (1280, 800)),
}
# Per admin language: the words each step reads on its pages.
WORDS = {
    "ja": {
        "session": f"{SESSION[0]}（新しい行）",
        "waiting": "保存待ち：DSC_0412.JPG",
        "in_chinese": "（簡体字中国語）",
        "one_more": "ほか 1 件",
        "preview_headers": ["開催回", "区分", "参加者数"],
        "sides": ["日本側", "中国側"],
        "restore_note": "{} の状態への復元",
        "added": "追加",
        "deleted": "削除",
        "nothing_missing": "どちらの言語にも未翻訳の項目はありません。",
        "yes": "はい、公開します",
        "published": "を公開しました",
        "previews": ["プレビュー（日本語）", "プレビュー（简体中文）"],
    },
    "zh-hans": {
        "session": f"{SESSION[0]}（新行）",
        "waiting": "等待保存：DSC_0412.JPG",
        "in_chinese": "（简体中文）",
        "one_more": "另有 1 处",
        "preview_headers": ["届次", "类别", "参加人数"],
        "sides": ["日方", "中方"],
        "restore_note": "恢复到 {} 的状态",
        "added": "新增",
        "deleted": "删除",
        "nothing_missing": "两种语言均无缺少的译文。",
        "yes": "是，发布",
        "published": "已发布",
        "previews": ["预览（日本語）", "预览（简体中文）"],
    },
}
# How the history names the staff: by their names, family name first, as the dashboard does.
NAMES = {"editor": "佐藤花子", "translator": "王芳", "steward": "李娜", "publisher": "田中一郎"}
# What the Japanese export heads the counts with, and its sides (tests/participants).
JA_HEADER = ["開催回", "区分", "参加者数"]


@pytest.fixture
def production(settings, tmp_path):
    """What production mode sets (config/settings.py, DEBUG off) that works over http on
    127.0.0.1; pytest-django already runs the live server with DEBUG=False."""
    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")


@pytest.fixture
def seed_site(production, live_server, transactional_db, django_user_model):
    """The seed with its first point of history (as `make run` leaves it), and the four staff."""
    call_command("loaddata", "seminars", "participants", verbosity=0)
    call_command("record_history", "--language", "ja", stdout=io.StringIO())
    for username, (groups, names, _size) in STAFF.items():
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, is_staff=True, **names
        )
        user.groups.add(*Group.objects.filter(name__in=groups))
        assert user.groups.count() == len(groups)
    return live_server.url


def signed_in(browser, site, username, language):
    width, height = STAFF[username][2]
    context = browser.new_context(
        locale=LOCALES[language], viewport={"width": width, "height": height}
    )
    # What a user would not see but production must not have: failed requests (a broken image,
    # a missing static file) and console errors (a script error, a CSP violation).
    context.problems = []
    context.on(
        "response",
        lambda response: (
            response.status >= 400 and context.problems.append(f"{response.status} {response.url}")
        ),
    )
    context.on(
        "console",
        lambda message: message.type == "error" and context.problems.append(message.text),
    )
    page = context.new_page()
    log_in_to_admin(page, site, username, PASSWORD)
    cookies = {cookie["name"]: cookie for cookie in context.cookies()}
    assert cookies["sessionid"]["secure"] and cookies["csrftoken"]["secure"]
    return page


def done(page):
    """Close the role's browser; nothing failed in it."""
    problems = page.context.problems
    page.context.close()
    assert problems == []


def saved(page):
    """Save and stay; the page answers with the success message, or the failure says what the
    page showed instead (an error note, a field's error, another message)."""
    page.click("input[name=_continue]")
    outcome = page.locator(".messagelist .success, .errornote, .errorlist, .messagelist .error")
    outcome.first.wait_for(timeout=60_000)
    shown = page.locator(".messagelist .success")
    if not shown.count():
        problems = [text.strip() for text in outcome.all_inner_texts()]
        pytest.fail(f"not saved at {page.url}: {problems}")


def typed_row(page, index, kind, title_ja, times=None):
    row = f"agenda_items-{index}"
    page.fill(f"[name='{row}-date']", END.isoformat())
    page.select_option(f"[name='{row}-kind']", kind)
    if times:
        page.fill(f"[name='{row}-start_time']", times[0])
        page.fill(f"[name='{row}-end_time']", times[1])
    type_in(page, f"{row}-title_ja", title_ja)


# --- 1. the Editor ---------------------------------------------------------------------------


def editor_copies_and_moves(browser, site, language, photo_path):
    words = WORDS[language]
    page = signed_in(browser, site, "editor", language)
    source = Seminar.objects.get(edition=SOURCE)
    page.goto(f"{site}/admin/seminars/seminar/")
    page.check(f"input[name=_selected_action][value='{source.pk}']")
    page.select_option("select[name=action]", "copy_as_next_edition")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/seminars/seminar/*/change/")
    draft = Seminar.objects.get(edition=DRAFT)
    assert page.url.endswith(f"/seminar/{draft.pk}/change/")
    first_point = content(draft.pk)
    copied = list(draft.agenda_items.order_by("date", "order"))
    assert len(copied) == source.agenda_items.count() == 13
    assert (draft.fiscal_year, draft.city_id, draft.status) == (2019, source.city_id, "draft")

    # The new city through the autocomplete, as staff pick it.
    page.click("#id_city + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", "成都")
    page.click(f".select2-results__option:has-text('{NEW_CITY}')")
    page.fill("#id_start_date", START.isoformat())
    page.fill("#id_end_date", END.isoformat())
    type_in(page, "theme_ja", THEME[0])
    # The third day no longer exists: its rows (a study visit and its two stops) go.
    last_day = draft.end_date
    dropped = [item for item in copied if item.date == last_day]
    assert [item.title_ja for item in dropped] == ["行政視察", "李白記念館", "長虹商貿中心展館"]
    for item in dropped:
        id_input = page.locator(f"#agenda_items-group input[name$='-id'][value='{item.pk}']")
        index = id_input.get_attribute("name").split("-")[1]
        page.check(f"[name='agenda_items-{index}-DELETE']")
    # A new session and its two timed parts, in the same save.
    session = add_inline_row(page, "agenda_items")
    typed_row(page, session, "plenary", SESSION[0])
    parts = []
    for times, title_ja, _zh in PARTS:
        index = add_inline_row(page, "agenda_items")
        typed_row(page, index, "lecture", title_ja, times)
        page.select_option(f"[name='agenda_items-{index}-session']", label=words["session"])
        parts.append(index)
    # A photo picked, its caption forgotten: the save is refused.
    photo = add_inline_row(page, "photos")
    page.set_input_files(f"[name='photos-{photo}-image']", str(photo_path))
    page.click("input[name=_continue]")
    page.wait_for_selector(".errornote")

    assert words["waiting"] in page.locator(f"#photos-{photo}").inner_text()
    assert page.input_value("#id_theme_ja") == THEME[0]
    assert page.input_value("#id_start_date") == START.isoformat()
    assert NEW_CITY in page.locator("#id_city option:checked").inner_text()
    assert page.locator("#agenda_items-group input[name$='-DELETE']:checked").count() == 3
    assert page.input_value(f"[name='agenda_items-{session}-title_ja']") == SESSION[0]
    for index in parts:
        chosen = page.locator(f"[name='agenda_items-{index}-session'] option:checked")
        assert chosen.inner_text() == words["session"]
    assert content(draft.pk) == first_point  # nothing saved
    assert not Photo.objects.filter(seminar=draft).exists()

    type_in(page, f"photos-{photo}-caption_ja", CAPTION[0])
    saved(page)
    assert words["waiting"] not in page.content()
    done(page)

    draft.refresh_from_db()
    assert (draft.city.name_ja, draft.start_date, draft.end_date, draft.theme_ja) == (
        NEW_CITY,
        START,
        END,
        THEME[0],
    )
    items = draft.agenda_items.order_by("date", "order", "pk")
    assert not items.filter(pk__in=[item.pk for item in dropped]).exists()
    assert sorted({item.date for item in items}) == [START, END]
    new_session = draft.agenda_items.get(title_ja=SESSION[0])
    assert [(p.title_ja, p.start_time) for p in new_session.parts.order_by("start_time")] == [
        (PARTS[0][1], datetime.time(14, 0)),
        (PARTS[1][1], datetime.time(15, 15)),
    ]
    plenary = draft.agenda_items.get(title_ja="本会議")  # day 2 of 2018 is day 2 still
    assert (plenary.date, plenary.parts.count()) == (END, 4)
    [stored] = Photo.objects.filter(seminar=draft)
    assert (stored.original_name, stored.caption_ja) == ("DSC_0412.JPG", CAPTION[0])
    assert not stored.caption_zh_hans and stored.image.name.startswith("photos/")
    return draft, first_point


# --- 2. the Translator -----------------------------------------------------------------------


def chinese_for(link_text):
    for japanese, chinese in CHINESE.items():
        if japanese in link_text:
            return chinese
    return THEME[1]


def translator_fills_every_missing_field(browser, site, language, draft):
    page = signed_in(browser, site, "translator", language)
    words = WORDS[language]
    filled = []
    for step in range(12):
        page.goto(f"{site}/admin/")
        entry = page.locator("section.dashboard-missing > ul > li").filter(
            has=page.locator(f"a[href$='/seminar/{draft.pk}/change/']")
        )
        if not entry.count():
            break
        link = entry.locator("ul > li > a").first
        if step == 0:  # five fields: four listed, the fifth (the caption) behind "1 more"
            assert entry.locator(":scope > ul > li > a").count() == 4
            more = entry.locator("details.dashboard-more")
            assert more.locator("summary").inner_text() == words["one_more"]
            link = more.locator("li > a")
            assert not link.is_visible()
            more.locator("summary").click()
        text = link.inner_text()
        assert text.endswith(words["in_chinese"]), text  # only the Chinese is missing
        link.click()
        page.wait_for_url("**/admin/**/change/#tab_id_*")
        field_id = page.url.split("#tab_")[1]
        assert field_id.endswith("_zh_hans"), field_id
        field = page.locator(f"#{field_id}")
        field.wait_for(state="visible")
        field.fill(chinese_for(text))
        filled.append((field_id, chinese_for(text)))
        saved(page)
    else:
        pytest.fail(f"still missing after {filled}")
    assert f"/seminar/{draft.pk}/change/" in page.locator("section.dashboard-drafts").inner_html()
    done(page)

    # The caption (behind "1 more"), the theme, the new session and its two parts: each reached
    # on its own input.
    assert sorted(chinese for _id, chinese in filled) == sorted([THEME[1], *CHINESE.values()])
    assert [field_id for field_id, _chinese in filled[:2]] == [
        "id_photos-0-caption_zh_hans",
        "id_theme_zh_hans",
    ]
    assert all(re.fullmatch(r"id_agenda_items-\d+-title_zh_hans", f) for f, _c in filled[2:]), (
        filled
    )
    draft.refresh_from_db()
    assert draft.theme_zh_hans == THEME[1]
    assert draft.agenda_items.get(title_ja=SESSION[0]).title_zh_hans == SESSION[1]
    assert draft.photos.get().caption_zh_hans == CAPTION[1]


# --- 3. the Data steward ---------------------------------------------------------------------


def counts_csv(rows):
    """A CSV as Excel on Japanese Windows saves it: CP932, the digits typed full-width."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JA_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp932")


def counts_xlsx(header, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# The preview's rows as the import will leave them: each cell's text without what it deletes
# (a changed value is shown as a diff, the old part in <del>).
NEW_VALUES = """rows => rows.map(row => [...row.cells].map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("del").forEach(gone => gone.remove());
    return copy.textContent.trim();
}))"""


def import_file(page, site, name, data, mime, encoding=None):
    """Upload, read the preview, confirm; returns the preview's text."""
    page.goto(f"{site}/admin/participants/delegation/import/")
    page.set_input_files(
        "input[name=import_file]", files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    if encoding:
        page.select_option("select[name=encoding]", encoding)
    page.click("form input[type=submit].default")
    page.wait_for_selector("input[name=confirm], .errornote, .errorlist, .validation-error-list")
    preview = page.locator("#content").inner_text()
    assert page.locator("input[name=confirm]").count(), preview
    rows = page.locator("table.import-preview tbody tr").evaluate_all(NEW_VALUES)
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    return preview, rows


def steward_imports_counts(browser, site, language, draft):
    words = WORDS[language]
    page = signed_in(browser, site, "steward", language)
    data = counts_csv([[DRAFT, "日本側", "６２"], [DRAFT, "中国側", "１，２０５"]])
    preview, rows = import_file(page, site, "counts.csv", data, "text/csv", encoding="cp932")
    headers = words["preview_headers"]
    header = next(line for line in preview.splitlines() if headers[0] in line)
    for word in headers:  # the staff's words, as the export's
        assert word in header, header
    assert "EDITION" not in preview and "participant_count" not in preview
    assert [(row[1], row[5], row[6]) for row in rows] == [
        (str(DRAFT), words["sides"][0], "62"),
        (str(DRAFT), words["sides"][1], "1205"),
    ], rows
    assert (
        Delegation.objects.get(seminar=draft, side="japan").participant_count,
        Delegation.objects.get(seminar=draft, side="china").participant_count,
    ) == (62, 1205)

    data = counts_xlsx(JA_HEADER, [[DRAFT, "中国側", 101]])
    _preview, rows = import_file(
        page, site, f"delegations-{draft.fiscal_year}.xlsx", data, "application/zip"
    )
    assert [(row[1], row[5], row[6]) for row in rows] == [(str(DRAFT), words["sides"][1], "101")], (
        rows
    )
    done(page)
    assert dict(draft.delegations.values_list("side", "participant_count")) == {
        "japan": 62,
        "china": 101,
    }


# --- 4. the Publisher ------------------------------------------------------------------------


def publisher_publishes(browser, site, language, draft):
    words = WORDS[language]
    page = signed_in(browser, site, "publisher", language)
    page.goto(f"{site}/admin/seminars/seminar/{draft.pk}/change/")
    page.click("form.editorial-publish button[type=submit]")
    page.wait_for_selector("section.publish-edition")
    section = page.locator(f"#publish-edition-{draft.pk}")
    assert section.locator(".publish-nothing-missing").inner_text() == words["nothing_missing"]
    links = section.locator("ul.publish-previews a")
    assert links.all_inner_texts() == words["previews"]
    # Each language's preview: the new theme and session, not the day that was dropped.
    shown = {
        "ja": (THEME[0], SESSION[0], "李白記念館"),
        "zh-hans": (THEME[1], SESSION[1], "李白纪念馆"),
    }
    for lang, (theme, session, dropped) in shown.items():
        with page.context.expect_page() as opened:
            section.locator(f"a[hreflang='{lang}']").click()
        preview = opened.value
        preview.wait_for_load_state()
        html = collapsed(preview.content())  # without the phrase-break hints (<wbr>)
        assert preview.locator(".preview-banner").count()
        assert theme in html and session in html and NEW_CITY in html
        assert dropped not in html
        preview.close()
    assert Seminar.objects.get(pk=draft.pk).status == "draft"
    hidden = page.context.request.get(f"{site}/zh-hans/seminars/{DRAFT}/")
    assert hidden.status == 404 and "Traceback" not in hidden.text()  # not DEBUG's page

    page.fill("#publish-reason", "レビューなしで公開")  # a draft never approved (test_review.py)
    page.click(f"input[type=submit][value='{words['yes']}']")
    page.wait_for_selector(".messagelist .success")
    assert words["published"] in page.locator(".messagelist .success").inner_text()
    assert page.url.endswith(f"/seminar/{draft.pk}/change/")
    public = page.context.request.get(f"{site}/zh-hans/seminars/{DRAFT}/")
    assert public.status == 200 and THEME[1] in collapsed(public.text())
    done(page)
    draft.refresh_from_db()
    assert draft.status == "published"


# --- 5. the Editor again: the history --------------------------------------------------------


def editor_restores_the_first_point(browser, site, language, draft, first_point):
    words = WORDS[language]
    page = signed_in(browser, site, "editor", language)
    page.goto(f"{site}/admin/seminars/seminar/{draft.pk}/history/")
    entries = page.locator("tr.history-entry")
    people = [entries.nth(i).locator("td").first.inner_text() for i in range(entries.count())]
    # Newest first: the publication and its review step (published without approval, with
    # the reason), two imports, five translations, the one save, the copy.
    assert people == [
        NAMES[role]
        for role in [*["publisher"] * 2, *["steward"] * 2, *["translator"] * 5, *["editor"] * 2]
    ]
    texts = entries.all_inner_texts()
    assert "レビューなしで公開" in texts[1]
    assert "1205 → 101" in texts[2]
    for chinese in [THEME[1], *CHINESE.values()]:  # each translation, one entry each
        assert sum(chinese in text for text in texts[4:9]) == 1, chinese
    # The one save: the move, the three rows of the third day gone, three rows and a photo added.
    lines = texts[9].splitlines()
    assert NEW_CITY in texts[9] and THEME[0] in texts[9]
    assert sum(line.endswith(f": {words['deleted']}") for line in lines) == 3, lines
    assert sum(line.endswith(f": {words['added']}") for line in lines) == 4, lines
    # The copy: the edition, its seven organizers and thirteen programme rows.
    assert sum(line.endswith(f": {words['added']}") for line in texts[10].splitlines()) == 21

    oldest = entries.last
    when = oldest.locator("time").inner_text()
    oldest.locator("a.button").click()
    page.click("input[type=submit][name=restore]")
    page.wait_for_selector(".messagelist .success")
    assert when in page.locator(".messagelist").inner_text()
    page.goto(f"{site}/admin/seminars/seminar/{draft.pk}/history/")
    newest = page.locator("tr.history-entry").first
    assert words["restore_note"].format(when) in newest.inner_text()
    assert NAMES["editor"] in newest.inner_text()
    done(page)

    now = content(draft.pk)
    seminar_key = ("seminars.Seminar", draft.pk)
    # Publication is the publisher's: an editor's restore leaves it as it is.
    assert now[seminar_key].pop("status") == "published"
    now[seminar_key].pop("published_at")
    first_point[seminar_key].pop("status")
    first_point[seminar_key].pop("published_at")
    assert now == first_point


@pytest.mark.parametrize("editor_language", ["ja", "zh-hans"])
def test_annual_job_on_the_seed_by_four_roles(browser, seed_site, tmp_path, editor_language):
    """Editor and Publisher in `editor_language`, Translator and Data steward in the other."""
    other = OTHER[editor_language]
    source = content(Seminar.objects.get(edition=SOURCE).pk)
    photo_path = tmp_path / "DSC_0412.JPG"
    photo_path.write_bytes(image_bytes("JPEG", size=(1200, 900)))

    draft, first_point = editor_copies_and_moves(browser, seed_site, editor_language, photo_path)
    translator_fills_every_missing_field(browser, seed_site, other, draft)
    steward_imports_counts(browser, seed_site, other, draft)
    publisher_publishes(browser, seed_site, editor_language, draft)
    editor_restores_the_first_point(browser, seed_site, editor_language, draft, first_point)
    assert content(Seminar.objects.get(edition=SOURCE).pk) == source  # last year's untouched
