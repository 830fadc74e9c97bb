"""The 2018 edition's PDFs (the seed) as documents: no text overprints other text, Title,
Author, Subject and Lang set, tagged. Renders the four PDFs once for the module (about 8 s)."""

import re
import subprocess
from itertools import combinations

import pytest

from seminars.models import Seminar
from seminars.takeaway.render import render_edition

from .conftest import require_tool

pytestmark = [pytest.mark.django_db, pytest.mark.pdf, pytest.mark.usefixtures("seed_for_module")]
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@pytest.fixture(scope="module")
def pdfs(seed_for_module, django_db_blocker, tmp_path_factory):
    from django.test.utils import override_settings

    from seminars.takeaway.pdf import unavailable_reason

    with django_db_blocker.unblock():
        if unavailable_reason():
            pytest.skip(unavailable_reason())
        with override_settings(PDF_STORE_DIR=str(tmp_path_factory.mktemp("pdf"))):
            seminar = Seminar.objects.published().for_detail().get(edition=17)
            paths = render_edition(seminar)
    return {path.name.split("-v")[0]: path for path in paths}


def words(path):
    """Every word's box, per page, from pdftotext -bbox."""
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    return [
        [(float(a), float(b), float(c), float(d), text) for a, b, c, d, text in WORD.findall(page)]
        for page in out.split("<page ")[1:]
    ]


def overlap(one, other, tolerance=0.5):
    return (
        min(one[2], other[2]) - max(one[0], other[0]) > tolerance
        and min(one[3], other[3]) - max(one[1], other[1]) > tolerance
    )


@pytest.mark.parametrize(
    "name", ["programme-ja", "programme-zh-hans", "report-ja", "report-zh-hans"]
)
def test_pdf_of_2018_has_no_text_overprinting_other_text(pdfs, name):
    pages = words(pdfs[name])

    assert pages and all(pages)
    clashes = [
        (one[4], other[4])
        for page in pages
        for one, other in combinations(page, 2)
        if overlap(one, other)
    ]
    assert not clashes


@pytest.mark.parametrize("name", ["report-ja", "report-zh-hans"])
def test_pdf_of_2018_keeps_list_markers_with_their_text(pdfs, name):
    markers = 0
    for page in words(pdfs[name]):
        for marker in (w for w in page if re.fullmatch(r"\d+\.|▪|•", w[4])):
            markers += 1
            beside = [
                w
                for w in page
                if w is not marker and abs(w[1] - marker[1]) < 3 and w[0] > marker[2]
            ]
            assert beside, f"{marker[4]} stands alone at y={marker[1]:.0f}"
    assert markers >= 5


@pytest.mark.parametrize(
    ("name", "title", "lang"),
    [
        ("programme-ja", "第17回 プログラム（日中対訳）", "ja"),
        ("programme-zh-hans", "第17届 日程（中日对照）", "zh-Hans"),
        ("report-ja", "第17回 日中地域間交流推進セミナー", "ja"),
        ("report-zh-hans", "第17届 中日地区间交流推进研讨会", "zh-Hans"),
    ],
)
def test_pdf_of_2018_is_titled_attributed_and_tagged(pdfs, name, title, lang):
    from pypdf import PdfReader

    tool = require_tool("pdfinfo")
    info = subprocess.run([tool, str(pdfs[name])], capture_output=True, text=True).stdout
    reader = PdfReader(pdfs[name])

    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    assert reader.metadata.title == title
    assert reader.metadata.author in ("日本国自治体国際化協会", "日本国自治体国际化协会")
    assert "第17" in reader.metadata.subject
    assert reader.trailer["/Root"].get("/Lang") == lang
