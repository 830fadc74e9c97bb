"""Open data: /data/editions.csv and .json, and the page that describes them."""

import csv
import io
import json

import pytest

from seminars.models import Seminar


def test_csv_gives_2018_counts_with_bom(client, seed):
    response = client.get("/data/editions.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbfedition,fiscal_year,")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if r["fiscal_year"] == "2018")
    assert (row["participants_japan"], row["participants_china"]) == ("59", "88")
    assert row["participants_total"] == "147"
    assert row["theme_zh_hans"] == "加强新产业培育及招商引资，促进地方可持续发展"
    assert row["city_ja"] == "綿陽市" and row["city_zh_hans"] == "绵阳市"
    assert (row["start_date"], row["end_date"]) == ("2018-07-11", "2018-07-13")
    assert len(rows) == Seminar.objects.published().count()


def test_json_gives_2018_counts_and_licence(client, seed, settings):
    settings.OPEN_DATA_LICENCE = {"name": "CC0 1.0", "url": "https://example.org/cc0"}

    document = json.loads(client.get("/data/editions.json").content)

    edition = next(e for e in document["editions"] if e["fiscal_year"] == 2018)
    assert (edition["participants_japan"], edition["participants_china"]) == (59, 88)
    assert edition["participants_total"] == 147
    assert edition["theme_ja"] == "新産業創出と企業誘致による持続的な地方の発展について"
    assert document["licence"]["name"] == "CC0 1.0"
    assert document["title"]["zh-hans"] == "中日地区间交流推进研讨会"


def test_csv_is_formula_safe_and_leaves_drafts_out(client, seminar_2018):
    Seminar.objects.filter(pk=seminar_2018.pk).update(theme_ja='=HYPERLINK("x")')
    Seminar.objects.filter(edition=16).update(status="draft")

    rows = list(
        csv.DictReader(io.StringIO(client.get("/data/editions.csv").content.decode("utf-8-sig")))
    )

    assert next(r for r in rows if r["edition"] == "17")["theme_ja"] == '\'=HYPERLINK("x")'
    assert "16" not in [r["edition"] for r in rows]


@pytest.mark.parametrize(
    ("lang", "licence"), [("ja", "CC BY 4.0で公開"), ("zh-hans", "以CC BY 4.0发布")]
)
def test_open_data_page_describes_fields_and_licence(client, seed, lang, licence):
    html = client.get(f"/{lang}/data/").content.decode()

    assert licence in html
    assert "<code>participants_total</code>" in html
    assert 'href="/data/editions.csv"' in html and 'href="/data/editions.json"' in html
