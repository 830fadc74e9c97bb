"""The site's information pages (site policy, privacy, accessibility): created by the migrations
in both languages, linked from every public page's footer, in the sitemap, edited in the admin
(editors: the text; translators: the translated text only) and shown at once after an edit."""

import re
from importlib import import_module

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from seminars.models import InfoPage, InfoPageKind
from seminars.record.permissions import WriteRefused, acting_as
from tests.admin_forms import admin_form_data
from tests.pages import collapsed
from tests.seminars.test_public_site import footer, plain
from tests.test_catalogs import JAPANESE_ONLY_GLYPHS

LANGS = ("ja", "zh-hans")
PAGES = {
    InfoPageKind.SITE_POLICY: "site-policy",
    InfoPageKind.PRIVACY: "privacy",
    InfoPageKind.ACCESSIBILITY: "accessibility",
}
# (title, a heading and a phrase of the body the migration wrote) by page and language.
TEXTS = {
    "site-policy": {
        "ja": ("サイトポリシー", "著作権について", "著作権法"),
        "zh-hans": ("网站政策", "关于著作权", "著作权法"),
    },
    "privacy": {
        "ja": ("プライバシーポリシー", "Cookie（クッキー）について", "Cookieを保存しません"),
        "zh-hans": ("隐私政策", "关于Cookie", "不会在浏览者的浏览器中保存Cookie"),
    },
    "accessibility": {
        "ja": ("ウェブアクセシビリティ方針", "目標とする適合レベル", "JIS X 8341-3:2016"),
        "zh-hans": ("网页无障碍方针", "目标符合等级", "JIS X 8341-3:2016"),
    },
}
FOOTER_LINKS = {"ja": ("サイトポリシー", "プライバシーポリシー", "アクセシビリティ")}
FOOTER_LINKS["zh-hans"] = ("网站政策", "隐私政策", "无障碍")


@pytest.fixture(autouse=True)
def _info_pages(db):
    """The three pages as their migration writes them (again, should a test before this one
    have flushed the database)."""
    from django.apps import apps

    import_module("seminars.migrations.0009_info_pages").create_pages(apps, None)


def meta(html, prop):
    found = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)">', html)
    return found[1] if found else None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", list(PAGES.values()))
def test_info_page_shows_its_text_title_and_card(db, client, slug, lang):
    response = client.get(f"/{lang}/{slug}/")
    html = collapsed(response.content.decode())
    title, heading, phrase = TEXTS[slug][lang]

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert f"<h2>{heading}</h2>" in html
    assert "##" not in html
    assert phrase in plain(html)
    assert meta(html, "og:title").startswith(f"{title} | ")
    assert meta(html, "description") and meta(html, "og:description") == meta(html, "description")
    assert f'<link rel="canonical" href="http://testserver/{lang}/{slug}/">' in html
    assert f'"name": "{title}", "item": "http://testserver/{lang}/{slug}/"' in html  # breadcrumb


def test_info_page_chinese_text_uses_chinese_glyphs(db):
    """The migration's Chinese is Simplified Chinese, not Japanese kana or shinjitai."""
    for page in InfoPage.objects.all():
        chinese = page.title_zh_hans + page.body_zh_hans
        assert not re.search(r"[\u3040-\u30ff]", chinese), page.kind  # no kana
        assert not (JAPANESE_ONLY_GLYPHS | set("個報様")) & set(chinese), page.kind


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "path",
    [
        "/{lang}/",
        "/{lang}/seminars/5/",
        "/{lang}/seminars/5/programme/",
        "/{lang}/data/",
        "/{lang}/privacy/",
        "/{lang}/no-such-page/",
    ],
)
def test_info_page_every_footer_links_all_three(edition, client, path, lang):
    html = collapsed(client.get(path.format(lang=lang)).content.decode())
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer(html))

    for slug, label in zip(PAGES.values(), FOOTER_LINKS[lang], strict=True):
        assert (f"/{lang}/{slug}/", label) in links


@pytest.mark.parametrize("lang", LANGS)
def test_info_page_query_count_is_constant(db, client, lang, django_assert_num_queries):
    """One query for the page (the site settings come from the cache after the first read)."""
    client.get(f"/{lang}/site-policy/")  # the site settings are read and kept
    for slug in ("privacy", "accessibility"):
        with django_assert_num_queries(1):
            assert client.get(f"/{lang}/{slug}/").status_code == 200
        with django_assert_num_queries(0):  # stored
            assert client.get(f"/{lang}/{slug}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ja/site-policy/x/",
        "/ja/privacy/1/",
        "/zh-hans/accessibility/extra/",
        "/ja/site_policy/",
        "/ja/sitepolicy/",
        "/en/privacy/",
    ],
)
def test_info_page_malformed_path_is_404(db, client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_info_page_missing_row_is_404(db, client, lang):
    InfoPage.objects.filter(kind=InfoPageKind.PRIVACY).delete()
    assert client.get(f"/{lang}/privacy/").status_code == 404


@pytest.mark.parametrize("lang", LANGS)
def test_info_page_sets_no_cookie_for_visitors(db, lang):
    response = Client().get(f"/{lang}/privacy/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_info_page_sitemap_lists_each_page_in_both_languages(db, client):
    xml = client.get("/sitemap.xml").content.decode()
    for slug in PAGES.values():
        for lang in LANGS:
            assert f"<loc>http://testserver/{lang}/{slug}/</loc>" in xml


def test_info_page_kind_is_unique_in_the_database(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        InfoPage.objects.create(kind=InfoPageKind.PRIVACY, title="x", body="y")
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoPage.objects.create(kind="cookies", title="x", body="y")


@pytest.mark.parametrize("lang", LANGS)
def test_info_page_editor_edit_shows_on_every_stored_page(client_as, lang):
    anonymous = Client()
    page = InfoPage.objects.get(kind=InfoPageKind.ACCESSIBILITY)
    before = anonymous.get(f"/{lang}/accessibility/").content.decode()
    anonymous.get(f"/{lang}/")  # stored too: site-wide furniture drops every page
    with CaptureQueriesContext(connection) as stored:  # served from the page cache
        assert anonymous.get(f"/{lang}/accessibility/").content.decode() == before
    assert len(stored) == 0
    editor = client_as("Editors")
    change_url = f"/admin/seminars/infopage/{page.pk}/change/"
    data = admin_form_data(editor.get(change_url))
    data.update(
        body_ja="## 見出し\n編集者が書き換えた方針。", body_zh_hans="## 标题\n编辑修改后的方针。"
    )

    response = editor.post(change_url, data)

    assert response.status_code == 302, response.content[:2000]
    after = collapsed(anonymous.get(f"/{lang}/accessibility/").content.decode())
    heading, changed = {
        "ja": ("見出し", "編集者が書き換えた方針。"),
        "zh-hans": ("标题", "编辑修改后的方针。"),
    }[lang]
    assert changed not in before
    assert f"<h2>{heading}</h2>" in after
    assert f"<p>{changed}</p>" in after


def test_info_page_translator_changes_only_the_text(client_as):
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    translator_client = client_as("Translators")
    change_url = f"/admin/seminars/infopage/{page.pk}/change/"
    form = translator_client.get(change_url)
    data = admin_form_data(form)
    data.update(title_zh_hans="隐私保护方针")

    response = translator_client.post(change_url, data)

    assert response.status_code == 302, response.content[:2000]
    page.refresh_from_db()
    assert page.title_zh_hans == "隐私保护方针"
    assert "kind" not in form.context["adminform"].form.fields  # shown, never editable
    assert translator_client.get("/admin/seminars/infopage/add/").status_code == 403
    assert translator_client.post(f"/admin/seminars/infopage/{page.pk}/delete/").status_code == 403


def test_info_page_translator_kind_change_is_refused_by_the_guard(staff_in):
    """Whatever the write path: the guard refuses a translator's change of an untranslated field."""
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    page.kind = InfoPageKind.ACCESSIBILITY
    with acting_as(staff_in("Translators")), pytest.raises(WriteRefused):
        page.save()
    assert InfoPage.objects.get(pk=page.pk).kind == InfoPageKind.PRIVACY


def test_info_page_anonymous_and_roles_without_permission_cannot_edit(staff_in):
    page = InfoPage.objects.get(kind=InfoPageKind.SITE_POLICY)
    page.title_ja = "変更"
    with acting_as(staff_in("Data stewards")), pytest.raises(WriteRefused):
        page.save()


def test_info_body_escapes_text_and_makes_headings_paragraphs_and_breaks():
    from seminars.templatetags.seminar_info import info_body, info_summary

    text = "## 見出し<b>\r\n一行目\n二行目\n\n\n<script>x</script>\n\n##no heading"

    assert info_body(text) == (
        "<h2>見出し&lt;b&gt;</h2>\n<p>一行目<br>二行目</p>\n"
        "<p>&lt;script&gt;x&lt;/script&gt;</p>\n<p>##no heading</p>"
    )
    assert info_summary(text) == "見出し<b> 一行目 二行目 <script>x</script> ##no heading"
    assert info_body("") == ""


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_info_page_in_chromium_fits_a_phone_and_is_reached_by_keyboard(
    transactional_db, live_server, page, lang
):
    """Chromium (~3 s): the accessibility statement at 375 px, reached from the home page's
    footer with the keyboard only, sets no cookie."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/{lang}/")
    link = page.locator(f'footer a[href="/{lang}/accessibility/"]')
    for _tab in range(200):  # Tab through the page until the footer link has the focus
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/{lang}/accessibility/")

    assert page.locator("h1").inner_text() == TEXTS["accessibility"][lang][0]
    assert page.locator("h2").count() == 3
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert page.context.cookies() == []


@pytest.mark.django_db(transaction=True)
def test_info_pages_exist_again_after_a_flush():
    """The footer links them on every page: a flushed database (every transactional test's
    teardown, a restore that lost them) gets them back, as the roles come back."""
    from django.core.management import call_command

    InfoPage.objects.filter(kind="privacy").update(title_ja="編集済み")
    call_command("flush", interactive=False, verbosity=0)

    assert sorted(InfoPage.objects.values_list("kind", flat=True)) == [
        "accessibility",
        "privacy",
        "site_policy",
    ]
    assert InfoPage.objects.get(kind="privacy").title_ja != "編集済み"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ja", ["変更履歴", "変更者", "変更"]), ("zh-hans", ["变更历史", "修改人", "已修改"])],
)
def test_info_page_history_keeps_every_version_and_restores_one(client_as, lang, words):
    """An information page keeps its versions (safety.HistoricalInfoPage): the history page lists
    them in the staff language, and a restore brings the old text back through the guard."""
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    # A flushed database (a transactional test's teardown) gave the page back with its creation
    # recorded: only the versions this test makes are counted.
    earlier = page.history.count()
    editor = client_as("Editors")
    change_url = f"/admin/seminars/infopage/{page.pk}/change/"
    for text in ["第一版の方針。", "第二版の方針。"]:
        data = admin_form_data(editor.get(change_url))
        data.update(body_ja=text)
        assert editor.post(change_url, data).status_code == 302
    first, second = page.history.order_by("history_date")[earlier:]
    assert (first.body_ja, second.body_ja) == ("第一版の方針。", "第二版の方針。")

    listing = editor.get(
        f"/admin/seminars/infopage/{page.pk}/history/", HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    text = plain(listing)
    assert all(word in text for word in words), text
    assert "None" not in text  # no raw reason code or Python None shown to staff

    revert_url = f"/admin/seminars/infopage/{page.pk}/history/{first.pk}/"
    form = editor.get(revert_url)
    assert form.status_code == 200
    data = {name: getattr(first, name) for name in ("title_ja", "title_zh_hans", "body_zh_hans")}
    data["body_ja"] = form.context["adminform"].form.initial["body_ja"]  # the old version's
    assert editor.post(revert_url, data).status_code == 302
    page.refresh_from_db()
    assert page.body_ja == "第一版の方針。"
    assert page.history.count() == earlier + 3


def test_info_page_history_refuses_a_data_steward(client_as, staff_in):
    """A data steward may read no information page's history and restores none."""
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    first = page.history.create(  # a version to restore, as an editor's save would leave
        **{f: getattr(page, f) for f in ("id", "kind", "title_ja", "title_zh_hans", "updated_at")},
        body_ja="古い方針。",
        body_zh_hans="旧方针。",
        history_date=page.updated_at,
        history_type="~",
    )
    steward = client_as("Data stewards")
    revert_url = f"/admin/seminars/infopage/{page.pk}/history/{first.pk}/"
    assert steward.post(revert_url, {"body_ja": "古い方針。"}).status_code == 403
    assert InfoPage.objects.get(pk=page.pk).body_ja != "古い方針。"


@pytest.mark.parametrize("version", ["agendaitem-1", "x", "999999"])
def test_info_page_malformed_or_unknown_version_is_404(client_as, version):
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    editor = client_as("Editors")
    assert editor.get(f"/admin/seminars/infopage/{page.pk}/history/{version}/").status_code == 404
