"""The series page renders again only what changed: its per-edition pieces are kept per process,
keyed by what they show (seminars.public.fragments), so that a save's re-render of the series
page (bench/save.py: a save's CPU at 17 and at 101 editions) does not grow with the editions."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from seminars.public import fragments, paths
from seminars.public.views import series
from seminars.templatetags import seminar_fragments
from tests.factories import make_city, make_editions
from tests.pages import collapsed

ROW = "seminars/includes/edition_row.html"
HOST_CITIES = "seminars/includes/host_cities.html"


@pytest.fixture
def built(monkeypatch):
    """The templates of the pieces rendered (not reused) since the fixture began."""
    fragments.FRAGMENTS.clear()
    names = []
    real = seminar_fragments._render

    def render(name, context):
        names.append(name)
        return real(name, context)

    monkeypatch.setattr(seminar_fragments, "_render", render)
    return names


def series_page(language="ja"):
    with translation.override(language):
        response = series(RequestFactory().get(f"/{language}/"))
    return response.content.decode()


def test_one_edition_changed_renders_only_its_row(db, built):
    editions = make_editions(5, city=make_city(latitude=30.6, longitude=104.1))
    series_page()
    assert built.count(ROW) == 5
    built.clear()

    changed = editions[2]
    changed.theme_ja = "新しい主題の展望"
    changed.save()
    page = series_page()

    assert built == [ROW]  # the map and the list of host cities show no theme
    assert "新しい主題の展望" in collapsed(page).replace("<wbr>", "")


def test_a_city_renamed_renders_the_rows_and_the_map_again(db, built):
    city = make_city(latitude=30.6, longitude=104.1)
    make_editions(3, city=city)
    series_page()
    built.clear()

    city.name_ja = "改名市"
    city.save()
    page = series_page()

    assert built.count(ROW) == 3
    assert built.count(HOST_CITIES) == 1
    assert "改名市" in page


def test_pieces_are_per_language(db, built):
    make_editions(2, city=make_city(latitude=30.6, longitude=104.1))
    ja, zh = series_page("ja"), series_page("zh-hans")

    assert built.count(ROW) == 4  # each language its own rows
    assert "/ja/seminars/18/" in ja and "/ja/seminars/" not in zh
    assert "/zh-hans/seminars/18/" in zh


def test_edition_path_is_what_reverse_gives():
    from django.urls import reverse

    for language in ("ja", "zh-hans"):
        with translation.override(language):
            for name in ("seminars:detail", "seminars:programme", "seminars:calendar"):
                for number in (1, 17, 101, 98765):
                    assert paths.edition_path(name, number) == reverse(name, args=[number])
