"""The side-by-side programme and its PDF in a real browser and as pixels: both scripts, no tofu."""

import base64
import subprocess
from urllib.request import urlopen

import pytest

from tests.factories import make_edition

from .conftest import require_tool

pytestmark = pytest.mark.browser


@pytest.fixture
def record(transactional_db):
    """A complete edition (factories): six lectures over three days, both languages."""
    return make_edition(5)


@pytest.fixture
def site(live_server, record):
    return live_server.url


def drawn_like_tofu(page, selector):
    """Whether the element's text, drawn in its computed font, looks like the same number of
    missing-glyph boxes (U+FFFF never has a glyph)."""
    return page.eval_on_selector(
        selector,
        """el => {
            const draw = text => { const c = document.createElement('canvas');
                c.width = 800; c.height = 60; const x = c.getContext('2d');
                x.font = getComputedStyle(el).font; x.fillText(text, 0, 40);
                return c.toDataURL(); };
            const text = el.textContent.trim();
            return draw(text) === draw('\\uFFFF'.repeat(text.length));
        }""",
    )


def test_browser_programme_shows_both_languages_in_their_columns(site, record, page):
    response = page.goto(site + f"/ja/seminars/{record.edition}/programme/")

    assert response.status == 200
    ja = page.locator("tr.pair__row td[lang='ja']").all_inner_texts()
    zh = page.locator("tr.pair__row td[lang='zh-Hans']").all_inner_texts()
    items = list(record.agenda_items.order_by("date", "order"))
    assert len(ja) == len(zh) == len(items) == 6
    for ja_text, zh_text, item in zip(ja, zh, items, strict=True):
        assert item.title_ja in ja_text and item.title_zh_hans in zh_text
        assert item.title_zh_hans not in ja_text and item.title_ja not in zh_text
    # The two columns line up: each row's cells start at the same height.
    tops = page.eval_on_selector_all(
        "tr.pair__row",
        "rows => rows.map(r => [...r.cells].map(c => c.getBoundingClientRect().top))",
    )
    assert all(len(set(row)) == 1 for row in tops)
    for lang in ("ja", "zh-Hans"):
        selector = f"tr.pair__row td[lang='{lang}'] .pair__title"
        assert not drawn_like_tofu(page, selector)


@pytest.mark.pdf
def test_pdf_rendered_to_png_shows_japanese_and_chinese_not_boxes(
    site, record, page, rendered, tmp_path
):
    pdftoppm = require_tool("pdftoppm")
    rendered(record, kinds=["programme"], languages=["zh-hans"])
    pdf = tmp_path / "programme.pdf"
    with urlopen(site + f"/zh-hans/seminars/{record.edition}/programme.pdf") as response:
        pdf.write_bytes(response.read())
    command = [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")]
    subprocess.run(command, check=True)
    png = next(tmp_path.glob("p*.png"))

    # The page image in the browser, compared with a rendering of the same words by Chromium's
    # CJK fonts: the PDF's pixels carry ink where the text is (no empty page, no missing glyphs).
    image = base64.b64encode(png.read_bytes()).decode()
    page.set_content(f'<img id="pdf" src="data:image/png;base64,{image}">')
    ink = page.eval_on_selector(
        "#pdf",
        """img => { const c = document.createElement('canvas'); c.width = img.naturalWidth;
            c.height = img.naturalHeight; const x = c.getContext('2d'); x.drawImage(img, 0, 0);
            const d = x.getImageData(0, 0, c.width, c.height).data; let dark = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] < 128) dark++; return dark; }""",
    )
    assert ink > 5000
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
    assert record.theme_ja in text and record.theme_zh_hans in text
    assert "講演1" in text and "演讲1" in text  # make_edition's first lecture, in both languages
    assert "\ufffd" not in text
