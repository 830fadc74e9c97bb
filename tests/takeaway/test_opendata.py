"""Open data: /data/editions.csv and .json, and the page that describes them."""

import csv
import io
import json

import pytest

from seminars.models import Seminar
from tests.factories import make_seminar


def csv_rows(client):
    response = client.get("/data/editions.csv")
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_gives_the_edition_counts_with_bom(client, edition):
    make_seminar(edition.edition + 1)  # no delegation recorded: empty counts

    response, rows = csv_rows(client)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbfedition,fiscal_year,")
    row = next(r for r in rows if r["fiscal_year"] == str(edition.fiscal_year))
    # make_edition's delegations: 12 from Japan, 15 from China
    assert (row["participants_japan"], row["participants_china"]) == ("12", "15")
    assert row["participants_total"] == "27"
    assert row["theme_zh_hans"] == edition.theme_zh_hans
    assert row["city_ja"] == edition.city.name_ja
    assert row["city_zh_hans"] == edition.city.name_zh_hans
    assert (row["start_date"], row["end_date"]) == (
        edition.start_date.isoformat(),
        edition.end_date.isoformat(),
    )
    empty = next(r for r in rows if r["edition"] == str(edition.edition + 1))
    assert empty["participants_total"] == ""
    assert len(rows) == Seminar.objects.published().count() == 2


def test_json_gives_the_edition_counts_and_licence(client, edition, settings):
    settings.OPEN_DATA_LICENCE = {"name": "CC0 1.0", "url": "https://example.org/cc0"}

    document = json.loads(client.get("/data/editions.json").content)

    record = next(e for e in document["editions"] if e["fiscal_year"] == edition.fiscal_year)
    assert (record["participants_japan"], record["participants_china"]) == (12, 15)
    assert record["participants_total"] == 27
    assert record["theme_ja"] == edition.theme_ja
    assert document["licence"]["name"] == "CC0 1.0"
    assert document["title"]["zh-hans"] == "中日地区间交流推进研讨会"


def test_csv_is_formula_safe_and_leaves_drafts_out(client, edition):
    draft = make_seminar(edition.edition - 1, status="draft")
    Seminar.objects.filter(pk=edition.pk).update(theme_ja='=HYPERLINK("x")')

    _response, rows = csv_rows(client)

    assert next(r for r in rows if r["edition"] == str(edition.edition))["theme_ja"] == (
        '\'=HYPERLINK("x")'
    )
    assert str(draft.edition) not in [r["edition"] for r in rows]


@pytest.mark.parametrize(
    ("lang", "licence"), [("ja", "CC BY 4.0で公開"), ("zh-hans", "以CC BY 4.0发布")]
)
def test_open_data_page_describes_fields_and_licence(client, db, lang, licence):
    html = client.get(f"/{lang}/data/").content.decode()

    assert licence in html
    assert "<code>participants_total</code>" in html
    assert 'href="/data/editions.csv"' in html and 'href="/data/editions.json"' in html
