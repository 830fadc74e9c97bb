"""The programme and report PDFs: text extracted with pdftotext, fonts listed with pdffonts."""

import re
import subprocess

import pytest

from tests.factories import make_agenda_item

from .conftest import require_tool


def pdf_text(path):
    tool = require_tool("pdftotext")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path):
    tool = require_tool("pdffonts")
    lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in lines.splitlines()[2:]]


def fetch_pdf(client, url, tmp_path):
    """The stored PDF as a visitor gets it (render it first: `rendered(edition)`)."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    response.close()
    assert body.startswith(b"%PDF-")
    path = tmp_path / "out.pdf"
    path.write_bytes(body)
    return path


@pytest.mark.pdf
@pytest.mark.parametrize(("lang", "header"), [("ja", "第{}回"), ("zh-hans", "第{}届")])
def test_programme_pdf_has_both_themes_embedded_fonts_and_headers(
    client, edition, rendered, tmp_path, lang, header
):
    visit = make_agenda_item(edition, title_ja="李白記念館", title_zh_hans="李白纪念馆", order=9)
    rendered(edition, kinds=["programme"], languages=[lang])

    path = fetch_pdf(client, f"/{lang}/seminars/{edition.edition}/programme.pdf", tmp_path)

    text = pdf_text(path)
    assert edition.theme_ja in text and edition.theme_zh_hans in text
    assert visit.title_ja in text and visit.title_zh_hans in text
    header = header.format(edition.edition)
    series = "日中地域間交流推進セミナー" if lang == "ja" else "中日地区间交流推进研讨会"
    assert series in text and header in text
    # page numbers: "1 / 2", "2 / 2" (six timed lectures take two pages)
    numbers = [tuple(map(int, m)) for m in re.findall(r"^(\d+) ?/ ?(\d+)$", text, re.MULTILINE)]
    assert numbers == [(n, len(numbers)) for n in range(1, len(numbers) + 1)]
    assert len(numbers) == text.count("\f") >= 1
    fonts = pdf_fonts(path)
    names = [row[0] for row in fonts]
    assert any("Noto-Sans-CJK-JP" in n for n in names)
    assert any("Noto-Sans-CJK-SC" in n for n in names)
    # emb, sub: every font embedded as a subset (the "+" prefix of the name says so too)
    assert all(row[-5:-3] == ["yes", "yes"] and "+" in row[0] for row in fonts)


@pytest.mark.pdf
def test_report_pdf_is_in_the_page_language(client, edition, rendered, tmp_path):
    rendered(edition, kinds=["report"], languages=["zh-hans"])
    path = fetch_pdf(client, f"/zh-hans/seminars/{edition.edition}/report.pdf", tmp_path)

    text = pdf_text(path)
    assert edition.theme_zh_hans in text and edition.city.name_zh_hans in text
    assert edition.theme_ja not in text
    assert "27人" in text  # make_edition's delegations: 12 + 15
    assert all("Noto-Sans-CJK-SC" in row[0] for row in pdf_fonts(path))


def test_pdf_answers_503_with_the_reason_when_the_engine_is_missing(client, edition, monkeypatch):
    from seminars.takeaway import pdf

    # The machine's state, not our code: pretend WeasyPrint's Pango could not be loaded.
    monkeypatch.setattr(pdf, "_missing", lambda: ("engine", "cannot load library 'pango-1.0-0'"))

    response = client.get(f"/ja/seminars/{edition.edition}/programme.pdf")
    page = client.get(f"/ja/seminars/{edition.edition}/").content.decode()

    assert response.status_code == 503
    assert "make pdf-deps" in response.content.decode()
    assert "programme.pdf" not in page and "make pdf-deps" in page
