"""A save touches exactly the cached pages that show what it changed, and they are warm again.

Every public page of four editions is cached, then each stored page's bytes are replaced by a
marker: after one save (committed: these tests need transactions, ~2 s each for the pages they
cache), a page still holding its marker was left alone; any other was removed and rendered again.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from seminars.models import AgendaItem, City, Organization, Organizer, Seminar
from seminars.public import pagewarm
from seminars.public.pagecache import page_key
from tests.admin_forms import admin_form_data
from tests.factories import make_city, make_edition
from tests.pages import collapsed

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "http://testserver"
EDITIONS = (3, 4, 5, 6)
LANGS = ("ja", "zh-hans")
MARKER = b"left alone: "


def edition_pages(*numbers):
    return {
        f"/{lang}/seminars/{n}/{page}"
        for lang in LANGS
        for n in numbers
        for page in ("", "programme/", "calendar.ics")
    }


def detail_pages(*numbers):
    return {f"/{lang}/seminars/{n}/" for lang in LANGS for n in numbers}


SERIES = {"/ja/", "/zh-hans/"}
SITEMAP = {"/sitemap.xml"}
# Whatever changed: the feeds (the sitemap only when what it says moved).
ALWAYS = {f"/{lang}/feed.atom" for lang in LANGS}
OPEN_DATA = {f"/{lang}/data/" for lang in LANGS}  # describes the files: shows no record
ORGANIZATION_INDEX = {f"/{lang}/organizations/" for lang in LANGS}


def organization_pages(*numbers, ids=()):
    """The pages of the organizations of these editions (and of the organizations `ids`)."""
    ids = set(ids) | set(
        Organizer.objects.filter(seminar__edition__in=numbers).values_list(
            "organization_id", flat=True
        )
    )
    return {f"/{lang}/organizations/{pk}/" for lang in LANGS for pk in ids}


def every_page():
    return (
        SERIES
        | SITEMAP
        | ALWAYS
        | OPEN_DATA
        | edition_pages(*EDITIONS)
        | ORGANIZATION_INDEX
        | organization_pages(*EDITIONS)
    )


@pytest.fixture
def site():
    """Four published editions, each in its own city, every public page cached and marked."""
    editions = {n: make_edition(n, city=make_city(f"市{n}", f"市{n}")) for n in EDITIONS}
    reader = Client()
    cache = caches["pages"]
    for path in every_page():
        assert reader.get(path).status_code == 200, path
    for path in every_page():
        key = page_key(cache, ORIGIN, path)
        response = cache.get(key)
        response.content = MARKER + path.encode()
        cache.set(key, response)
    return editions


def touched():
    """The pages no longer holding their marker, after the background re-render finished; each
    of them is stored again (a visitor's first request is a hit)."""
    pagewarm.wait_for_background()
    cache = caches["pages"]
    changed = set()
    for path in every_page():
        key = page_key(cache, ORIGIN, path)
        response = cache.get(key) if key else None
        assert response is not None, f"{path} is not stored again"
        if not response.content.startswith(MARKER):
            changed.add(path)
    return changed


def test_save_of_an_unlisted_field_touches_only_that_editions_pages(site):
    seminar = site[5]
    seminar.summary_ja, seminar.summary_zh_hans = "新しい概要。", "新的概要。"
    seminar.save()

    assert touched() == edition_pages(5) | ALWAYS
    with CaptureQueriesContext(connection) as captured:
        page = Client().get("/zh-hans/seminars/5/")
    assert len(captured) == 0
    assert "新的概要。" in collapsed(page.content.decode())


def test_admin_save_of_a_listed_field_touches_the_series_pages_too(site, staff_client):
    change_url = f"/admin/seminars/seminar/{site[5].pk}/change/"
    data = admin_form_data(staff_client.get(change_url))
    data.update(theme_ja="管理画面のテーマ", theme_zh_hans="后台修改的主题")

    response = staff_client.post(change_url, data)

    assert response.status_code == 302, response.content[:2000]
    assert touched() == edition_pages(5) | SERIES | ALWAYS | organization_pages(5)
    assert "后台修改的主题" in collapsed(Client().get("/zh-hans/").content.decode())
    assert "管理画面のテーマ" in collapsed(Client().get("/ja/seminars/5/").content.decode())


def test_edition_moved_to_another_city_touches_its_neighbours_pagers(site):
    seminar = site[5]
    seminar.city = make_city("移転市", "迁移市")
    seminar.save()

    assert touched() == (
        edition_pages(5) | detail_pages(4, 6) | SERIES | ALWAYS | organization_pages(5)
    )
    assert "迁移市" in collapsed(Client().get("/zh-hans/seminars/6/").content.decode())


def test_unpublishing_an_edition_touches_its_neighbours_and_the_series(site):
    seminar = site[4]
    seminar.status = Seminar.Status.DRAFT
    seminar.save()

    pagewarm.wait_for_background()
    assert Client().get("/ja/seminars/4/").status_code == 404
    next_page = Client().get("/ja/seminars/5/").content.decode()
    assert 'href="/ja/seminars/3/"' in next_page and 'href="/ja/seminars/4/"' not in next_page
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "/ja/seminars/5/" in sitemap and "/ja/seminars/4/" not in sitemap


def test_first_agenda_item_of_an_edition_touches_the_sitemap(site):
    AgendaItem.objects.filter(seminar=site[6]).delete()
    pagewarm.wait_for_background()
    assert "/ja/seminars/6/programme/" not in Client().get("/sitemap.xml").content.decode()

    AgendaItem.objects.create(
        seminar=site[6],
        date=site[6].start_date,
        kind=AgendaItem.Kind.MEETING,
        title_ja="新しい議題",
    )

    pagewarm.wait_for_background()
    assert "/ja/seminars/6/programme/" in Client().get("/sitemap.xml").content.decode()


def test_city_edit_touches_the_pages_that_show_the_city(site):
    city = City.objects.get(pk=site[4].city_id)
    city.name_ja, city.name_zh_hans = "改名市", "改名市"
    city.save()

    assert touched() == (
        edition_pages(4) | detail_pages(3, 5) | SERIES | ALWAYS | organization_pages(4)
    )


def test_organization_edit_touches_the_editions_it_took_part_in(site):
    organization = Organization.objects.get(name_ja="主催団体6-0")
    organization.name_ja = "改名した団体"
    organization.save()

    assert touched() == (
        edition_pages(6) | ALWAYS | organization_pages(ids=[organization.pk]) | ORGANIZATION_INDEX
    )
    assert "改名した団体" in collapsed(Client().get("/ja/seminars/6/").content.decode())
    page = Client().get(f"/ja/organizations/{organization.pk}/").content.decode()
    assert "改名した団体" in collapsed(page)


def test_unpublishing_an_edition_touches_its_organizations_pages_and_the_index(site):
    gone = organization_pages(4)
    seminar = site[4]
    seminar.status = Seminar.Status.DRAFT
    seminar.save()

    pagewarm.wait_for_background()
    assert {Client().get(path).status_code for path in gone} == {404}
    cache = caches["pages"]
    kept = organization_pages(3, 5, 6)
    assert all(cache.get(page_key(cache, ORIGIN, p)).content.startswith(MARKER) for p in kept)
    index = Client().get("/ja/organizations/").content.decode()
    assert "主催団体4-0" not in index and "主催団体5-0" in index


def test_organizer_moved_to_another_organization_touches_both_pages(site):
    organizer = Organizer.objects.get(organization__name_ja="主催団体6-1")
    before = organizer.organization_id
    organizer.organization = Organization.objects.get(name_ja="主催団体3-0")
    organizer.save()

    assert touched() == (
        edition_pages(6)
        | ALWAYS
        | SITEMAP  # the organization left the sitemap
        | organization_pages(ids=[before, organizer.organization_id])
        | ORGANIZATION_INDEX
    ) - organization_pages(ids=[before])
    assert Client().get(f"/ja/organizations/{before}/").status_code == 404
    page = Client().get(f"/ja/organizations/{organizer.organization_id}/").content.decode()
    assert 'href="/ja/seminars/6/"' in page and 'href="/ja/seminars/3/"' in page


def test_agenda_edit_touches_its_edition_pages_only(site):
    item = AgendaItem.objects.filter(seminar=site[3]).first()
    item.title_ja = "差し替えた講演"
    item.save()

    assert touched() == edition_pages(3) | ALWAYS
    assert "差し替えた講演" in collapsed(Client().get("/ja/seminars/3/programme/").content.decode())
