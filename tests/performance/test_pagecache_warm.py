"""Warm, not cold, after an edit: committed changes are rendered again before a visitor asks."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from seminars.models import Seminar
from seminars.public import pagewarm
from tests.factories import make_edition, make_seminar
from tests.pages import stored_pages

pytestmark = pytest.mark.django_db(transaction=True)


def contents():
    return [content.decode() for status, content in stored_pages() if status == 200]


def test_edit_rerenders_the_edition_in_both_languages_before_save_returns():
    seminar = make_edition(5)
    anonymous = Client()
    for path in ("/ja/seminars/5/", "/zh-hans/seminars/5/", "/ja/"):
        assert anonymous.get(path).status_code == 200
    seminar.theme_ja, seminar.theme_zh_hans = "温め直したテーマ", "重新预热的主题"
    seminar.save()  # autocommit: the commit is now, and so is the re-render
    stored = contents()
    assert any("温め直したテーマ" in page and '<html lang="ja">' in page for page in stored)
    assert any("重新预热的主题" in page and '<html lang="zh-Hans">' in page for page in stored)
    with CaptureQueriesContext(connection) as captured:
        first = anonymous.get("/zh-hans/seminars/5/")
    assert len(captured) == 0  # the first visitor after the edit gets a cached page
    assert "重新预热的主题" in first.content.decode()
    pagewarm.wait_for_background()


def test_touched_pages_that_were_stored_are_warmed_again_and_no_others():
    make_seminar(3)
    make_seminar(4, status=Seminar.Status.DRAFT)
    make_edition(5)
    anonymous = Client()
    anonymous.get("/ja/")
    with transaction.atomic():
        seminar = Seminar.objects.get(edition=3)
        seminar.theme_ja = "背景で温める"
        seminar.save()
        assert not any("背景で温める" in page for page in contents())  # not before the commit
    pagewarm.wait_for_background()
    # The series page lists the theme and was stored: rendered again. The edition's own pages
    # were never asked for: nobody waits for them, they are not rendered.
    assert len(stored_pages()) == 1
    with CaptureQueriesContext(connection) as captured:
        page = anonymous.get("/ja/")
    assert len(captured) == 0
    assert "背景で温める" in page.content.decode()


def test_nothing_is_warmed_for_an_origin_never_served():
    seminar = make_edition(5)
    seminar.theme_ja = "誰も見ていない"
    seminar.save()
    pagewarm.wait_for_background()
    assert stored_pages() == []


def test_origin_not_seen_since_its_pages_expired_is_not_warmed(settings):
    import time

    from django.core.cache import caches

    from seminars.public.pagecache import ORIGINS_KEY, clear_pages

    make_seminar(3)
    assert Client().get("/ja/").status_code == 200  # http://testserver, seen now
    origins = caches["pages"].get(ORIGINS_KEY)
    stale = time.time() - settings.CACHE_MIDDLEWARE_SECONDS - 60
    caches["pages"].set(ORIGINS_KEY, {**origins, "http://old-port:8123": stale}, None)
    assert clear_pages() == ["http://testserver"]
