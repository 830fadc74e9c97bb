"""The page cache: hits without queries, per-language entries, invalidation, bypasses, 304s."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pagecache.signals import VERSION_KEY, current_version, uses_local_memory, version_file
from participants.models import Participant
from seminars.models import AgendaItem, City, Seminar
from tests.admin_forms import admin_form_data

PAGES = ["/ja/", "/zh-hans/", "/ja/seminars/17/", "/zh-hans/seminars/17/"]


def queries_for(client, path, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    return response, len(captured)


@pytest.mark.parametrize("path", PAGES)
def test_page_cache_second_request_served_without_queries(client, seed, path):
    first, first_queries = queries_for(client, path)
    second, second_queries = queries_for(client, path)
    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_page_cache_sitemap_cached(client, seed):
    first = client.get("/sitemap.xml")
    _second, second_queries = queries_for(client, "/sitemap.xml")
    assert first.status_code == 200
    assert b"/zh-hans/seminars/17/" in first.content
    assert second_queries == 0


def test_page_cache_languages_never_share_an_entry(client, seed):
    ja = client.get("/ja/seminars/17/")
    zh, zh_queries = queries_for(client, "/zh-hans/seminars/17/")
    assert zh_queries > 0
    assert '<html lang="ja">' in ja.content.decode()
    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert ja["Content-Language"] == "ja"
    assert zh["Content-Language"] == "zh-hans"
    again_ja = client.get("/ja/seminars/17/")
    assert again_ja.content == ja.content


def test_page_cache_host_is_part_of_the_key(client, seed):
    """hreflang and canonical links are absolute: another host must not get these bytes."""
    client.get("/ja/seminars/17/")
    other = client.get("/ja/seminars/17/", headers={"host": "localhost"})
    assert b'href="http://localhost/zh-hans/seminars/17/"' in other.content
    assert b"http://testserver/" not in other.content


def test_page_cache_query_string_is_part_of_the_key(client, seed):
    client.get("/ja/")
    _response, queries = queries_for(client, "/ja/?page=1")
    assert queries > 0


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_page_cache_model_save_shows_on_next_request(client, seed, lang):
    path = f"/{lang}/seminars/17/"
    client.get(path)
    seminar = Seminar.objects.get(edition=17)
    seminar.theme_ja = "新しいテーマ"
    seminar.theme_zh_hans = "新的主题"
    seminar.save()
    response = client.get(path)
    assert ("新しいテーマ" if lang == "ja" else "新的主题") in response.content.decode()


def test_page_cache_admin_edit_shows_on_next_public_request_in_both_languages(
    client, staff_client, seed
):
    anonymous = Client()
    before_ja = anonymous.get("/ja/seminars/17/").content.decode()
    before_zh = anonymous.get("/zh-hans/seminars/17/").content.decode()
    city = Seminar.objects.get(edition=17).city
    change_url = f"/admin/seminars/city/{city.pk}/change/"
    data = admin_form_data(staff_client.get(change_url))
    data.update(name_ja="管理画面で変えた市", name_zh_hans="后台修改的市")
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.content[:2000]
    after_ja = anonymous.get("/ja/seminars/17/").content.decode()
    after_zh = anonymous.get("/zh-hans/seminars/17/").content.decode()
    assert "管理画面で変えた市" not in before_ja and "后台修改的市" not in before_zh
    assert "管理画面で変えた市" in after_ja
    assert "后台修改的市" in after_zh


def test_page_cache_admin_seminar_edit_invalidates_series_page(staff_client, seed):
    anonymous = Client()
    anonymous.get("/zh-hans/")
    seminar = Seminar.objects.get(edition=17)
    change_url = f"/admin/seminars/seminar/{seminar.pk}/change/"
    data = admin_form_data(staff_client.get(change_url))
    data.update(theme_ja="管理画面のテーマ", theme_zh_hans="后台修改的主题")
    response = staff_client.post(change_url, data)
    assert response.status_code == 302, response.content[:2000]
    assert "后台修改的主题" in anonymous.get("/zh-hans/").content.decode()
    assert "管理画面のテーマ" in anonymous.get("/ja/").content.decode()


def test_page_cache_m2m_change_invalidates(client, seed):
    client.get("/ja/seminars/17/")
    item = AgendaItem.objects.filter(seminar__edition=17).first()
    speaker = Participant.objects.filter(delegation__seminar__edition=17).first()
    speaker.agenda_items.remove(item)
    _response, queries = queries_for(client, "/ja/seminars/17/")
    assert queries > 0


def test_page_cache_delete_invalidates(client, seed):
    client.get("/ja/")
    City.objects.create(name_ja="未使用", name_zh_hans="未使用").delete()
    _response, queries = queries_for(client, "/ja/")
    assert queries > 0


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_page_cache_draft_not_cached_as_page(client, seed, lang):
    Seminar.objects.filter(edition=17).update(status=Seminar.Status.DRAFT)
    path = f"/{lang}/seminars/17/"
    assert client.get(path).status_code == 404
    assert client.get(path).status_code == 404
    seminar = Seminar.objects.get(edition=17)
    seminar.status = Seminar.Status.PUBLISHED
    seminar.save()
    response = client.get(path)
    assert response.status_code == 200
    assert "ETag" in response


def test_page_cache_not_found_not_cached(client, seed):
    first = client.get("/ja/seminars/999/")
    _second, queries = queries_for(client, "/ja/seminars/999/")
    assert first.status_code == 404
    assert queries > 0
    assert "ETag" not in first


def test_page_cache_authenticated_user_bypasses(staff_client, seed):
    Client().get("/ja/seminars/17/")
    response, queries = queries_for(staff_client, "/ja/seminars/17/")
    assert response.status_code == 200
    assert queries > 0


def test_page_cache_authenticated_render_not_stored(staff_client, seed):
    staff_client.get("/ja/seminars/17/")
    _response, queries = queries_for(Client(), "/ja/seminars/17/")
    assert queries > 0


def test_page_cache_admin_never_cached(staff_client, seed):
    staff_client.get("/admin/")
    response, queries = queries_for(staff_client, "/admin/")
    assert queries > 0
    assert "ETag" not in response
    assert response["Cache-Control"] == "no-store"


def test_page_cache_post_not_served_from_cache(client, seed):
    client.get("/ja/seminars/17/")
    response = client.post("/ja/seminars/17/")
    assert response.status_code != 304
    assert "ETag" not in response


def test_page_cache_head_served_from_cache(client, seed):
    get = client.get("/ja/seminars/17/")
    with CaptureQueriesContext(connection) as captured:
        head = client.head("/ja/seminars/17/")
    assert len(captured) == 0
    assert head["ETag"] == get["ETag"]


@pytest.mark.parametrize("path", PAGES)
def test_conditional_get_if_none_match_answers_304(client, seed, path):
    etag = client.get(path)["ETag"]
    response, queries = queries_for(client, path, if_none_match=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert queries == 0


def test_conditional_get_if_modified_since_answers_304(client, seed):
    last_modified = client.get("/ja/seminars/17/")["Last-Modified"]
    response = client.get("/ja/seminars/17/", headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_conditional_get_stale_etag_gets_new_page(client, seed):
    etag = client.get("/ja/seminars/17/")["ETag"]
    seminar = Seminar.objects.get(edition=17)
    seminar.theme_ja = "変更後"
    seminar.save()
    response = client.get("/ja/seminars/17/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "変更後" in response.content.decode()


def test_conditional_get_public_page_revalidates(client, seed):
    response = client.get("/zh-hans/")
    assert response["Cache-Control"] == "no-cache"
    assert response["Last-Modified"].endswith("GMT")


def test_page_cache_version_survives_eviction_without_stale_hits(client, seed):
    client.get("/ja/")
    cache.delete(VERSION_KEY)
    version_file().unlink(missing_ok=True)
    seminar = Seminar.objects.get(edition=1)
    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="消えた版の後")
    response = client.get("/ja/")
    assert "消えた版の後" in response.content.decode()


def test_page_cache_hit_keeps_security_headers(client, seed):
    first = client.get("/ja/seminars/17/")
    _hit, queries = queries_for(client, "/ja/seminars/17/")
    assert queries == 0
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert _hit[header] == first[header]


def test_page_cache_session_cookie_bypasses(client, seed):
    client.get("/ja/")
    client.cookies["sessionid"] = "not-a-real-session"
    response, queries = queries_for(client, "/ja/")
    assert response.status_code == 200
    assert queries > 0


def test_content_version_bumped_for_every_worker(seed):
    """locmem: the version file, which every worker on the host stats; Redis: the shared key."""
    before = current_version()
    City.objects.create(name_ja="新市", name_zh_hans="新市")
    assert current_version() > before
    if uses_local_memory():
        assert version_file().stat().st_mtime_ns == current_version()
    else:
        assert cache.get(VERSION_KEY) == current_version()


def test_page_cache_unknown_query_parameters_not_stored(client, seed):
    client.get("/ja/?utm_source=mail")
    response, queries = queries_for(client, "/ja/?utm_source=mail")
    assert response.status_code == 200
    assert queries > 0


def test_page_cache_hit_still_rejects_nul_byte_cookie(client, seed):
    """The NUL-byte guard runs before the cache: a warm page does not hide the 400."""
    client.get("/ja/seminars/17/")
    client.cookies["csrftoken"] = "abc\x00def"
    assert client.get("/ja/seminars/17/").status_code == 400
