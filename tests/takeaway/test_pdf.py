"""The programme and report PDFs: text extracted with pdftotext, fonts listed with pdffonts."""

import re
import subprocess

import pytest

from .conftest import require_tool

THEME_JA = "新産業創出と企業誘致による持続的な地方の発展について"
THEME_ZH = "加强新产业培育及招商引资，促进地方可持续发展"


def pdf_text(path):
    tool = require_tool("pdftotext")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(path):
    tool = require_tool("pdffonts")
    lines = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in lines.splitlines()[2:]]


def fetch_pdf(client, url, tmp_path):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / "out.pdf"
    path.write_bytes(response.content)
    return path


@pytest.mark.parametrize(("lang", "header"), [("ja", "第17回"), ("zh-hans", "第17届")])
def test_programme_pdf_has_both_themes_embedded_fonts_and_headers(
    client, seed, pdf_ready, tmp_path, lang, header
):
    path = fetch_pdf(client, f"/{lang}/seminars/17/programme.pdf", tmp_path)

    text = pdf_text(path)
    assert THEME_JA in text and THEME_ZH in text
    assert "李白記念館" in text and "李白纪念馆" in text
    series = "日中地域間交流推進セミナー" if lang == "ja" else "中日地区间交流推进研讨会"
    assert series in text and header in text
    assert re.search(r"^1 ?/ ?1$", text, re.MULTILINE)  # page numbers: "1 / 1"
    fonts = pdf_fonts(path)
    names = [row[0] for row in fonts]
    assert any("Noto-Sans-CJK-JP" in n for n in names)
    assert any("Noto-Sans-CJK-SC" in n for n in names)
    # emb, sub: every font embedded as a subset (the "+" prefix of the name says so too)
    assert all(row[-5:-3] == ["yes", "yes"] and "+" in row[0] for row in fonts)


def test_report_pdf_is_in_the_page_language(client, seed, pdf_ready, tmp_path):
    path = fetch_pdf(client, "/zh-hans/seminars/17/report.pdf", tmp_path)

    text = pdf_text(path)
    assert THEME_ZH in text and "绵阳市" in text
    assert "147人" in text
    assert all("Noto-Sans-CJK-SC" in row[0] for row in pdf_fonts(path))


def test_pdf_answers_503_with_the_reason_when_the_engine_is_missing(client, seed, monkeypatch):
    from seminars.takeaway import pdf

    # The machine's state, not our code: pretend WeasyPrint's Pango could not be loaded.
    monkeypatch.setattr(pdf, "_missing", lambda: ("engine", "cannot load library 'pango-1.0-0'"))

    response = client.get("/ja/seminars/17/programme.pdf")
    page = client.get("/ja/seminars/17/").content.decode()

    assert response.status_code == 503
    assert "make pdf-deps" in response.content.decode()
    assert "programme.pdf" not in page and "make pdf-deps" in page
