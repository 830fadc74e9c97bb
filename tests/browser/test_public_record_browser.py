"""The public record in Chromium: the host-city map, photos as photos, CJK line breaks measured
at three widths, and a printed edition page (Chromium's print-to-PDF, text read per page)."""

import io
import re
import unicodedata

import pytest
from django.utils import translation

from seminars.models import Seminar
from tests.pages import browser_script

from .conftest import BEIJING_EDITIONS, LATEST

pytestmark = pytest.mark.browser

LINE_BREAKS_JS = browser_script("linebreaks.js")
# Headings, table cells and the short labels of the fact lists, cards and captions.
SHORT_TEXT = (
    "h1, h2, h3, h4, h5, th, td, dt, dd, caption, figcaption, "
    ".latest__theme, .latest__city, .eyebrow, .speakers li, .people li"
)
SERIES = {"ja": "日中地域間交流推進セミナー", "zh-hans": "中日地区间交流推进研讨会"}


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_browser_host_city_map_markers_reach_their_editions(site, page, lang):
    page.goto(f"{site}/{lang}/")

    markers = page.locator("svg.host-map__svg g.host-map__marker")
    assert markers.count() == 3  # the record's three host cities
    hrefs = page.eval_on_selector_all(
        "svg.host-map__svg g.host-map__marker a", "links => links.map(a => a.href.baseVal)"
    )
    assert len(hrefs) == len(set(hrefs)) == 3  # each city's latest edition: Beijing's is 2
    assert f"/{lang}/seminars/{BEIJING_EDITIONS[-1]}/" in hrefs
    listed = page.eval_on_selector_all(
        ".host-city-list a", "links => links.map(a => new URL(a.href).pathname)"
    )
    with translation.override(lang):
        assert sorted(listed) == sorted(s.get_absolute_url() for s in Seminar.objects.all())
    for href in hrefs:
        response = page.goto(site + href)
        assert response.status == 200, href
        edition = re.search(r"/seminars/(\d+)/$", href)[1]
        assert page.locator(".eyebrow").inner_text().startswith(f"第{edition}")
    page.goto(f"{site}/{lang}/")
    page.locator("svg.host-map__svg g.host-map__marker a").first.click()
    page.wait_for_url(f"{site}/{lang}/seminars/{BEIJING_EDITIONS[-1]}/")


@pytest.mark.parametrize(
    "path",
    [
        "/ja/",
        "/zh-hans/",
        f"/ja/seminars/{LATEST}/",
        f"/zh-hans/seminars/{LATEST}/",
        "/ja/seminars/3/",
    ],
)
def test_browser_no_figure_without_an_image(site, page, path):
    page.goto(site + path)

    empty = page.eval_on_selector_all(
        "figure", "figures => figures.filter(f => !f.querySelector('img, svg')).length"
    )
    assert empty == 0
    assert page.locator("figure img").count() == 0  # the record's photos have no files


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_browser_no_heading_or_cell_ends_a_line_with_a_lone_cjk_character(seed_site, page, width):
    """About the seed: the real record's headings and cells are what is measured."""
    site = seed_site
    page.set_viewport_size({"width": width, "height": 900})
    offenders = []
    for path in (
        "/ja/",
        "/zh-hans/",
        "/ja/seminars/17/",
        "/zh-hans/seminars/17/",
        "/ja/seminars/1/",
        "/zh-hans/seminars/2/",
        "/ja/seminars/8/",
    ):
        page.goto(site + path)
        measured = page.evaluate(LINE_BREAKS_JS, SHORT_TEXT)
        offenders += [(path, o["tag"], o["text"], o["line"]) for o in measured]

    assert offenders == []


def test_browser_line_measure_finds_a_lone_character(site, page):
    """The measuring script catches the fault it looks for (a heading squeezed to break badly)."""
    page.goto(site + f"/zh-hans/seminars/{LATEST}/")
    page.evaluate(
        """() => { const h = document.querySelector('h1');
             h.textContent = '促进地方可持续发展'; h.style.width = '8.5em';
             h.style.textWrap = 'wrap'; }"""
    )

    offenders = page.evaluate(LINE_BREAKS_JS, "h1")

    assert offenders and offenders[0]["line"] == "展"


def pdf_pages(page, url):
    from pypdf import PdfReader

    page.goto(url)
    data = page.pdf(format="A4", prefer_css_page_size=True)
    # NFKC: the PDF's text maps some glyphs to Kangxi radicals (⽇ for 日).
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", p.extract_text()))
        for p in PdfReader(io.BytesIO(data)).pages
    ]


@pytest.mark.parametrize(
    ("lang", "edition", "rows"),
    [
        # make_edition's delegations: 12 from Japan, 15 from China, with their speakers
        ("ja", f"第{LATEST}回", ["日本代表団", "12人", "中国代表団", "15人", "合計 27人"]),
        ("zh-hans", f"第{LATEST}届", ["日本代表团", "12人", "中国代表团", "15人", "合计 27人"]),
    ],
)
def test_browser_printed_edition_page(site, page, lang, edition, rows):
    pages = pdf_pages(page, f"{site}/{lang}/seminars/{LATEST}/")

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert SERIES[lang] in text, f"page {number} without the series name"
        assert edition in text, f"page {number} without the edition"
    holding = [n for n, text in enumerate(pages) if rows[0] in text]
    assert len(holding) == 1
    table_page = pages[holding[0]]
    assert all(row in table_page for row in rows), "the participants table is split"
