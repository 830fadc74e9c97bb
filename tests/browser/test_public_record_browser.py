"""The public record in Chromium: the host-city map, photos as photos, CJK line breaks measured
at three widths, and the printed 2018 page (Chromium's print-to-PDF, text read per page)."""

import io
import re
import unicodedata
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

LINE_BREAKS_JS = (Path(__file__).parent / "linebreaks.js").read_text()
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
    assert markers.count() == 16
    hrefs = page.eval_on_selector_all(
        "svg.host-map__svg g.host-map__marker text a", "links => links.map(a => a.href.baseVal)"
    )
    assert len(hrefs) == 17 and len(set(hrefs)) == 17  # Beijing: two editions
    for href in hrefs:
        response = page.goto(site + href)
        assert response.status == 200, href
        edition = re.search(r"/seminars/(\d+)/$", href)[1]
        assert page.locator(".eyebrow").inner_text().startswith(f"第{edition}")
    page.goto(f"{site}/{lang}/")
    page.locator("svg.host-map__svg text a").first.click()
    page.wait_for_url(f"{site}/{lang}/seminars/1/")


@pytest.mark.parametrize(
    "path", ["/ja/", "/zh-hans/", "/ja/seminars/17/", "/zh-hans/seminars/17/", "/ja/seminars/5/"]
)
def test_browser_no_figure_without_an_image(site, page, path):
    page.goto(site + path)

    empty = page.eval_on_selector_all(
        "figure", "figures => figures.filter(f => !f.querySelector('img, svg')).length"
    )
    assert empty == 0
    assert page.locator("figure img").count() == 0  # the seed has no photo files


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_browser_no_heading_or_cell_ends_a_line_with_a_lone_cjk_character(site, page, width):
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
    page.goto(site + "/zh-hans/seminars/17/")
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
        (
            "ja",
            "第17回",
            ["日本側の地方政府関係者等 59人", "中国側の地方政府関係者等 88人", "合計 147人"],
        ),
        (
            "zh-hans",
            "第17届",
            ["日方地方政府相关人员等 59人", "中方地方政府相关人员等 88人", "合计 147人"],
        ),
    ],
)
def test_browser_printed_2018_page(site, page, lang, edition, rows):
    pages = pdf_pages(page, f"{site}/{lang}/seminars/17/")

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert SERIES[lang] in text, f"page {number} without the series name"
        assert edition in text, f"page {number} without the edition"
    holding = [n for n, text in enumerate(pages) if rows[0] in text]
    assert len(holding) == 1
    table_page = pages[holding[0]]
    assert all(row in table_page for row in rows), "the participants table is split"
