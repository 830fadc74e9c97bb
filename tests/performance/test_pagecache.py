"""The page cache (Django's cache middleware, "pages" alias): hits without queries, canonical
keys, invalidation on every content change, bypasses, 304s."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from participants.models import Participant
from seminars.models import AgendaItem, City, Seminar
from seminars.public.pagecache import INVALIDATED_KEY
from tests.admin_forms import admin_form_data
from tests.factories import make_edition, make_seminar
from tests.pages import collapsed, stored_entry_count, stored_pages

EDITION = 7  # the complete edition the `site` fixture builds
PAGES = ["/ja/", "/zh-hans/", f"/ja/seminars/{EDITION}/", f"/zh-hans/seminars/{EDITION}/"]


@pytest.fixture
def site(db):
    """A small public record: a complete edition and an earlier one with only its theme."""
    make_seminar(EDITION - 1)
    return make_edition(EDITION)


def queries_for(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    return response, len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_page_cache_second_request_served_without_queries(client, site, path):
    first, first_queries = queries_for(client, path)
    second, second_queries = queries_for(client, path)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_page_cache_sitemap_cached_once_for_every_language(client, site):
    first = client.get("/sitemap.xml", headers={"accept-language": "zh-CN"})
    other, queries = queries_for(client, "/sitemap.xml", accept_language="fr, ja;q=0.5")
    assert first.status_code == 200
    assert f"/zh-hans/seminars/{EDITION}/".encode() in first.content
    assert queries == 0
    assert other.content == first.content
    assert len(stored_pages()) == 1


def test_page_cache_languages_never_share_an_entry(client, site):
    ja = client.get(f"/ja/seminars/{EDITION}/")
    zh, zh_queries = queries_for(client, f"/zh-hans/seminars/{EDITION}/")
    assert zh_queries > 0
    assert '<html lang="ja">' in ja.content.decode()
    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert ja["Content-Language"] == "ja"
    assert zh["Content-Language"] == "zh-hans"
    again_ja, queries = queries_for(client, f"/ja/seminars/{EDITION}/")
    assert queries == 0
    assert again_ja.content == ja.content


def test_page_cache_host_is_part_of_the_key(client, site):
    """hreflang and canonical links are absolute: another host must not get these bytes."""
    client.get(f"/ja/seminars/{EDITION}/")
    other = client.get(f"/ja/seminars/{EDITION}/", headers={"host": "localhost"})
    assert f'href="http://localhost/zh-hans/seminars/{EDITION}/"'.encode() in other.content
    assert b"http://testserver/" not in other.content


@pytest.mark.parametrize(
    "query", ["page=01", "page=+1", "page=%201", "page=%EF%BC%91", "page=%D9%A1", "page=1&page=1"]
)
def test_page_number_spellings_redirect_to_the_canonical_url(client, site, query):
    response = client.get(f"/ja/?{query}")
    assert response.status_code == 301
    assert response["Location"] == "/ja/"


def test_page_number_spelling_of_a_later_page_redirects_to_it(client, site, settings):
    response = client.get("/zh-hans/?page=%EF%BC%92")  # full-width 2
    assert response.status_code == 301
    assert response["Location"] == "/zh-hans/?page=2"


@pytest.mark.parametrize("query", ["page=one", "page=1&page=2", "page=0", "page=-1", "page="])
def test_page_value_that_is_no_page_number_answers_404(client, site, query):
    response = client.get(f"/ja/?{query}")
    assert response.status_code == 404
    assert "<h1>ページが見つかりません</h1>" in response.content.decode()
    assert stored_pages() == []


def test_page_beyond_the_last_answers_404_and_is_not_stored(client, site):
    assert client.get("/ja/?page=2").status_code == 404
    assert stored_pages() == []


@pytest.mark.parametrize("path", [f"/ja/seminars/{EDITION}/", f"/zh-hans/seminars/{EDITION}/"])
def test_page_parameter_ignored_where_nothing_paginates(client, site, path):
    canonical = client.get(path)
    variant, queries = queries_for(client, f"{path}?page=7&utm_source=mail")
    assert variant.status_code == 200
    assert queries == 0
    assert variant.content == canonical.content
    assert len(stored_pages()) == 1


def test_unknown_parameters_served_from_the_canonical_entry(client, site):
    client.get("/ja/")
    response, queries = queries_for(client, "/ja/?utm_source=mail&x=%FF")
    assert response.status_code == 200
    assert queries == 0


def test_thousand_page_spellings_store_at_most_the_real_pages(client, site):
    spellings = [f"page={'0' * (i % 7)}{1 + i % 3}{'&page=1' * (i % 2)}" for i in range(400)]
    spellings += [f"page=%EF%BC%91&n={i}" for i in range(300)]
    spellings += [f"page=x{i}" for i in range(300)]
    for query in spellings:
        for lang in ("ja", "zh-hans"):
            assert client.get(f"/{lang}/?{query}").status_code in (200, 301, 404)
    pages = stored_pages()
    # One series page per language exists (2 editions, 50 per page); nothing else was asked.
    assert len(pages) <= 2
    # Each page's header list, the two markers, the site settings and the date their footer shows.
    assert stored_entry_count() <= 2 * 2 + 2 + 2


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_page_cache_model_save_shows_on_next_request(client, site, lang):
    path = f"/{lang}/seminars/{EDITION}/"
    client.get(path)
    seminar = Seminar.objects.get(edition=EDITION)
    seminar.theme_ja = "新しいテーマ"
    seminar.theme_zh_hans = "新的主题"
    seminar.save()
    response = client.get(path)
    assert ("新しいテーマ" if lang == "ja" else "新的主题") in response.content.decode()


def test_page_cache_admin_edit_shows_on_next_public_request_in_both_languages(
    client, staff_client, site
):
    anonymous = Client()
    before_ja = anonymous.get(f"/ja/seminars/{EDITION}/").content.decode()
    before_zh = anonymous.get(f"/zh-hans/seminars/{EDITION}/").content.decode()
    city = Seminar.objects.get(edition=EDITION).city
    change_url = f"/admin/seminars/city/{city.pk}/change/"
    data = admin_form_data(staff_client.get(change_url))
    data.update(name_ja="管理画面で変えた市", name_zh_hans="后台修改的市")
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.content[:2000]
    after_ja = anonymous.get(f"/ja/seminars/{EDITION}/").content.decode()
    after_zh = anonymous.get(f"/zh-hans/seminars/{EDITION}/").content.decode()
    assert "管理画面で変えた市" not in before_ja and "后台修改的市" not in before_zh
    assert "管理画面で変えた市" in after_ja
    assert "后台修改的市" in after_zh


def test_page_cache_admin_seminar_edit_invalidates_series_page(staff_client, site):
    anonymous = Client()
    anonymous.get("/zh-hans/")
    seminar = Seminar.objects.get(edition=EDITION)
    change_url = f"/admin/seminars/seminar/{seminar.pk}/change/"
    data = admin_form_data(staff_client.get(change_url))
    data.update(theme_ja="管理画面のテーマ", theme_zh_hans="后台修改的主题")
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.content[:2000]
    assert "后台修改的主题" in collapsed(anonymous.get("/zh-hans/").content.decode())
    assert "管理画面のテーマ" in collapsed(anonymous.get("/ja/").content.decode())


def test_page_cache_m2m_change_invalidates(client, site):
    client.get(f"/ja/seminars/{EDITION}/")
    item = AgendaItem.objects.filter(seminar__edition=EDITION).first()
    speaker = Participant.objects.filter(delegation__seminar__edition=EDITION).first()
    speaker.agenda_items.remove(item)
    _response, queries = queries_for(client, f"/ja/seminars/{EDITION}/")
    assert queries > 0


def test_page_cache_delete_invalidates(client, site):
    client.get("/ja/")
    City.objects.create(name_ja="未使用", name_zh_hans="未使用").delete()
    _response, queries = queries_for(client, "/ja/")
    assert queries > 0


def test_render_started_before_a_change_is_not_stored(client, site):
    """A page rendered from the state before a clear must not be put back after it."""
    caches["pages"].set(INVALIDATED_KEY, 4_000_000_000.0, None)  # a clear "after" every start
    response = client.get(f"/ja/seminars/{EDITION}/")
    assert response.status_code == 200
    assert stored_pages() == []


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_page_cache_draft_not_cached_as_page(client, site, lang):
    Seminar.objects.filter(edition=EDITION).update(status=Seminar.Status.DRAFT)
    path = f"/{lang}/seminars/{EDITION}/"
    assert client.get(path).status_code == 404
    assert client.get(path).status_code == 404
    seminar = Seminar.objects.get(edition=EDITION)
    seminar.status = Seminar.Status.PUBLISHED
    seminar.save()
    response = client.get(path)
    assert response.status_code == 200
    assert "ETag" in response


def test_page_cache_not_found_not_cached(client, site):
    first = client.get("/ja/seminars/999/")
    _second, queries = queries_for(client, "/ja/seminars/999/")
    assert first.status_code == 404
    assert queries > 0
    assert stored_pages() == []


def test_page_cache_authenticated_user_bypasses(staff_client, site):
    Client().get(f"/ja/seminars/{EDITION}/")
    response, queries = queries_for(staff_client, f"/ja/seminars/{EDITION}/")
    assert response.status_code == 200
    assert queries > 0


def test_page_cache_authenticated_render_not_stored(staff_client, site):
    staff_client.get(f"/ja/seminars/{EDITION}/")
    _response, queries = queries_for(Client(), f"/ja/seminars/{EDITION}/")
    assert queries > 0


def test_page_cache_admin_never_cached(staff_client, site):
    staff_client.get("/admin/")
    response, queries = queries_for(staff_client, "/admin/")
    assert queries > 0
    assert "ETag" not in response
    assert response["Cache-Control"] == "no-store"


def test_page_cache_post_not_served_from_cache(client, site):
    client.get(f"/ja/seminars/{EDITION}/")
    response = client.post(f"/ja/seminars/{EDITION}/")
    assert response.status_code != 304
    assert "ETag" not in response


def test_page_cache_head_served_from_cache_and_never_stored(client, site):
    head_miss = client.head("/ja/")
    assert head_miss.status_code == 200
    assert stored_pages() == []
    get = client.get(f"/ja/seminars/{EDITION}/")
    with CaptureQueriesContext(connection) as captured:
        head = client.head(f"/ja/seminars/{EDITION}/")
    assert len(captured) == 0
    assert head["ETag"] == get["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_conditional_get_if_none_match_answers_304(client, site, path):
    etag = client.get(path)["ETag"]
    response, queries = queries_for(client, path, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert queries == 0


def test_conditional_get_stale_etag_gets_new_page(client, site):
    etag = client.get(f"/ja/seminars/{EDITION}/")["ETag"]
    seminar = Seminar.objects.get(edition=EDITION)
    seminar.theme_ja = "変更後"
    seminar.save()
    response = client.get(f"/ja/seminars/{EDITION}/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "変更後" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_public_page_browsers_revalidate_on_miss_and_hit(client, site, path):
    miss, hit = client.get(path), client.get(path)
    for response in (miss, hit):
        assert response["Cache-Control"] == "no-cache"
        assert "Expires" not in response


def test_page_cache_hit_keeps_security_headers(client, site):
    first = client.get(f"/ja/seminars/{EDITION}/")
    hit, queries = queries_for(client, f"/ja/seminars/{EDITION}/")
    assert queries == 0
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Permissions-Policy",
    ):
        assert hit[header] == first[header]


def test_page_cache_session_cookie_bypasses(client, site):
    client.get("/ja/")
    client.cookies["sessionid"] = "not-a-real-session"
    response, queries = queries_for(client, "/ja/")
    assert response.status_code == 200
    assert queries > 0


def test_page_cache_other_cookies_share_the_anonymous_entry(client, site):
    client.get("/ja/")
    client.cookies["_ga"] = "GA1.2.3"
    client.cookies["django_language"] = "zh-hans"
    response, queries = queries_for(client, "/ja/")
    assert queries == 0
    assert '<html lang="ja">' in response.content.decode()


def test_page_cache_hit_still_rejects_nul_byte_cookie(client, site):
    """The NUL-byte guard runs before the cache: a warm page does not hide the 400."""
    client.get(f"/ja/seminars/{EDITION}/")
    client.cookies["csrftoken"] = "abc\x00def"
    assert client.get(f"/ja/seminars/{EDITION}/").status_code == 400


def test_clear_pages_command_empties_the_page_cache(client, site):
    for path in PAGES:
        client.get(path)
    assert len(stored_pages()) == len(PAGES)
    call_command("clear_pages", verbosity=0)
    assert stored_pages() == []
    _response, queries = queries_for(client, "/ja/")
    assert queries > 0


def test_new_build_id_serves_the_new_templates_at_once(client, site, settings, tmp_path):
    client.get(f"/ja/seminars/{EDITION}/")
    override = tmp_path / "includes"
    override.mkdir()
    footer = (settings.BASE_DIR / "templates" / "includes" / "footer.html").read_text()
    (override / "footer.html").write_text(footer + "<!-- build-2 -->")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    same_build = client.get(f"/ja/seminars/{EDITION}/")
    assert b"build-2" not in same_build.content  # the old page, as a deploy without a new id
    pages = settings.CACHES["pages"]
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**pages, "KEY_PREFIX": pages["KEY_PREFIX"] + "-2"},
    }
    new_build = client.get(f"/ja/seminars/{EDITION}/")
    assert b"build-2" in new_build.content
