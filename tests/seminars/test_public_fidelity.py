"""The source's words: every sentence and table cell of the seed page (the Japanese source) is on
the Japanese site, as the source writes it.

The comparison is of text as a reader sees it: tags, line-break hints and spaces dropped, widths
folded (NFKC: （ and (, ～ and ~ are one), and the source's two names of the publisher
(日本国自治体国際化協会, 自治体国際化協会, (一財)自治体国際化協会) as one, which the record
writes in full. Nothing else is normalized: a changed word, a dropped organization or a composed
position (長野県須坂市市長 for the source's 長野県須坂市長) fails.
"""

import re
import unicodedata
from pathlib import Path

import pytest
from django.utils.html import strip_tags

from tests.pages import collapsed

# A copy of the seed page (seeds/000_b59c51503d8ee357.txt in the project's sources; spaces at
# line ends trimmed).
SEED = Path(__file__).with_name("seed_source.txt")
PAGES = ("/ja/", "/ja/seminars/17/", "/ja/seminars/17/programme/")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_for_module")]


def normalized(text):
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("(一財)", "").replace("日本国自治体国際化協会", "自治体国際化協会")
    return re.sub(r"\s+", "", text)


def seed_lines():
    """The seed's Japanese lines (its Chinese heading and list are left to the Chinese pages)."""
    text = SEED.read_text(encoding="utf-8")
    japanese = text[text.index("# 日中地域間交流推進セミナー") :]
    lines = [line.strip(" #\u3000") for line in japanese.splitlines()]
    return [line for line in lines if line]


def sentences_and_cells():
    """Each heading, each sentence of the prose and each cell of the tables; a table's list
    cells (the 2018 report's 日程, 共催 and 後援) item by item. Photo captions are left out: the
    page shows a caption with its photo, and the seed's photos are not in the record."""
    pieces = []
    for line in seed_lines():
        if line in CAPTIONS:
            continue
        if "\t" not in line:
            pieces += [s + "。" for s in line.split("。") if s] if "。" in line else [line]
            continue
        for cell in line.split("\t"):
            cell = re.sub(r"(?:^|\s)\d{1,2}日\s", "\t", cell)  # 日程: the days' items
            cell = unicodedata.normalize("NFKC", cell).replace("(一財)", "")
            pieces += re.split(r"[\t、()]", cell)
    return [p.strip() for p in pieces if p.strip()]


CAPTIONS = {
    "あいさつをする岡本保自治体国際化協会理事長",
    "あいさつをする唐松根中国外交部外事管理司副司長",
    "三木正夫長野県須坂市長による基調講演",
    "講演中の参加者の様子",
    "JETプログラム経験者意見交換会の開催",
    "長虹商貿中心展館の視察",
}

# Header cells of the source's tables, and what the site says in its own words (each mapping
# says why): the value is what must be on the site instead, all of it.
SITE_WORDS = {
    "開催": ("第1回",),  # the table's column heading; the site heads it 開催回
    "項目": (),  # the report table's column headings: the site's page is that table
    "内容": (),
    "日程": ("日程",),
    "開催都市": ("開催地",),
    "2018年度セミナー開催報告": ("第17回", "2018年度"),  # the edition page is the report
    "四川省綿陽市": ("綿陽市(四川省)",),  # the site's form of a city, as in the editions table
    # The source runs two items together: the programme has both.
    "特別講演パネルディスカッション等": ("特別講演", "パネルディスカッション"),
    # The participants cell: the site says who (each side's row) and the counts.
    "日中双方の地方政府関係者等147人": ("地方政府関係者等", "147人"),
    "日本側:59人": ("日本側59人",),
}


@pytest.fixture(scope="module")
def site_text(django_db_blocker, seed_for_module):
    from django.test import Client

    client = Client()
    with django_db_blocker.unblock():
        pages = [client.get(url) for url in PAGES]
    assert [page.status_code for page in pages] == [200, 200, 200]
    return normalized("".join(strip_tags(collapsed(page.content.decode())) for page in pages))


def test_fidelity_every_sentence_and_cell_of_the_seed_is_on_the_japanese_site(site_text):
    pieces = sentences_and_cells()
    missing = [
        piece
        for piece in pieces
        if not all(normalized(w) in site_text for w in SITE_WORDS.get(piece, (piece,)))
    ]

    assert len(pieces) > 100
    assert missing == [], "\n".join(missing)


def test_fidelity_a_position_is_the_source_s_text_not_composed(site_text):
    """The keynote speaker as the source names him (三木正夫長野県須坂市長による基調講演)."""
    assert normalized("三木正夫長野県須坂市長") in site_text
    assert "須坂市市長" not in site_text


def test_fidelity_photo_captions_are_the_source_s():
    from seminars.models import Photo

    captions = {normalized(p.caption_ja) for p in Photo.objects.filter(seminar__edition=17)}

    assert captions == {normalized(c) for c in CAPTIONS}
