"""A change to an edition's row (theme, title, dates) touches only the series page that lists it;
every page for the latest edition, which each page shows. Checked against the pages themselves:
a page the rule leaves alone renders byte for byte as before the change."""

import pytest
from django.test import Client

from seminars.models import Seminar
from seminars.public.invalidation import Changes, seminar_changes
from seminars.public.invalidation import _remember_listed as remember_listed
from tests.factories import make_city, make_seminar

pytestmark = pytest.mark.django_db
PAGES = {1: ("/ja/", "/zh-hans/"), 2: ("/ja/?page=2", "/zh-hans/?page=2")}


@pytest.fixture
def listed(settings):
    """52 published editions: 1–50 on the first page, 51 and 52 (the latest) on the second.
    (52 rows: the fewest that make a second page; about a second to create.)"""
    settings.PAGE_CACHE_ENABLED = False
    city = make_city()
    Seminar.objects.bulk_create(
        Seminar(
            edition=n,
            fiscal_year=2001 + n,
            city=city,
            theme_ja=f"テーマ{n}",
            theme_zh_hans=f"主题{n}",
            status=Seminar.Status.PUBLISHED,
        )
        for n in range(1, 52)
    )
    make_seminar(52, city=city)  # through save(): the site's usual signals


def series_paths_touched(number, **fields):
    seminar = Seminar.objects.get(edition=number)
    remember_listed(Seminar, seminar)  # as pre_save does
    for name, value in fields.items():
        setattr(seminar, name, value)
    changes = Changes()
    changes.note(**seminar_changes(seminar))
    paths, _numbers = changes.paths()
    return {path for path, _again in paths if path.split("?")[0] in ("/ja/", "/zh-hans/")}


def rendered():
    client = Client()
    return {path: client.get(path).content for page in PAGES.values() for path in page}


@pytest.mark.parametrize(
    ("number", "pages"),
    [(3, [1]), (50, [1]), (51, [2]), (52, [1, 2])],
)
def test_a_theme_change_touches_the_page_that_lists_the_edition(listed, number, pages):
    before = rendered()
    touched = series_paths_touched(number, theme_ja="新しいテーマ", theme_zh_hans="新的主题")
    Seminar.objects.filter(edition=number).update(theme_ja="新しいテーマ", theme_zh_hans="新的主题")
    after = rendered()

    expected = {path for page in pages for path in PAGES[page]}
    assert touched == expected
    assert {path for path in after if after[path] != before[path]} == expected


def test_a_moved_edition_touches_every_series_page(listed):
    touched = series_paths_touched(3, fiscal_year=1999)
    assert touched == {path for page in PAGES.values() for path in page}


def test_page_two_lists_its_editions_from_position_51(listed, client):
    import json
    import re

    html = client.get("/ja/?page=2").content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    items = data["@graph"][1]["itemListElement"]
    assert [item["position"] for item in items] == [51, 52]
    assert data["@graph"][0]["startDate"] == "2002"  # the series' first year, on every page
