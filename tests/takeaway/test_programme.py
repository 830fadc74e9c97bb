"""The side-by-side programme: two aligned columns, each in its own language, gaps marked."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.cache import caches

from seminars.models import AgendaItem
from tests.pages import collapsed

LANGS = ["ja", "zh-hans"]


class Cells(HTMLParser):
    """The programme table's rows: [(lang, text)] of each `pair__cell`, in order."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.depth = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "pair__row" in (attrs.get("class") or ""):
            self.rows.append([])
        if tag == "td" and "pair__cell" in (attrs.get("class") or ""):
            self.cell = [attrs.get("lang"), ""]
            self.depth = 0
        elif self.cell is not None and tag == "td":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append((self.cell[0], " ".join(self.cell[1].split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def programme_rows(client, lang, edition=17):
    response = client.get(f"/{lang}/seminars/{edition}/programme/")
    assert response.status_code == 200
    parser = Cells()
    parser.feed(response.content.decode())
    return response, parser.rows


@pytest.mark.parametrize("lang", LANGS)
def test_programme_columns_carry_the_same_items_in_order(client, seminar_2018, lang):
    response, rows = programme_rows(client, lang)

    ordered = list(seminar_2018.agenda_items.order_by("date", "order", "start_time", "pk"))
    # A session's parts follow it (本会議 → あいさつ, 基調講演, …), as on the edition page.
    items = []
    for item in ordered:
        if item.session_id is None:
            items.append(item)
            items.extend(part for part in ordered if part.session_id == item.pk)
    assert len(rows) == len(items) == 13
    for row, item in zip(rows, items, strict=True):
        (ja_lang, ja_text), (zh_lang, zh_text) = row
        assert (ja_lang, zh_lang) == ("ja", "zh-Hans")
        assert item.title_ja in ja_text and item.title_zh_hans in zh_text
    html = collapsed(response.content.decode())
    assert '<th scope="col" lang="ja">7月11日（水）</th>' in html
    assert '<th scope="col" lang="zh-Hans">7月11日（星期三）</th>' in html
    assert 'lang="zh-Hans">加强新产业培育及招商引资，促进地方可持续发展<' in html


@pytest.mark.parametrize("lang", LANGS)
def test_programme_themes_follow_their_labels(client, seminar_2018, lang):
    """takeaway.css sets the themes' <dt> and <dd> inline: no whitespace between or inside them
    (it would show as a space after the label)."""
    html = programme_rows(client, lang)[0].content.decode()

    assert (
        '<dt>日本語</dt><dd lang="ja">新産業創出と企業誘致による持続的な地方の発展について</dd>'
        in html
    )
    assert (
        '<dt>简体中文</dt><dd lang="zh-Hans">加强新产业培育及招商引资，促进地方可持续发展</dd>'
        in html
    )


def test_programme_page_language_only_changes_the_frame(client, seminar_2018):
    _ja, ja_rows = programme_rows(client, "ja")
    zh, zh_rows = programme_rows(client, "zh-hans")

    assert ja_rows == zh_rows
    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert "<h1>日程（中日对照）</h1>" in zh.content.decode()


@pytest.mark.parametrize(("lang", "marker"), [("ja", "未入力"), ("zh-hans", "未填写")])
def test_programme_marks_a_missing_translation_and_never_fills_it(
    client, seminar_2018, lang, marker
):
    item = AgendaItem.objects.get(seminar=seminar_2018, title_ja="李白記念館")
    AgendaItem.objects.filter(pk=item.pk).update(title_zh_hans="", venue_zh_hans="")

    response, rows = programme_rows(client, lang)

    row = next(r for r in rows if "李白記念館" in r[0][1])
    assert row[1][0] == "zh-Hans"
    assert "未填写" in row[1][1]  # the Chinese column's own marker, in Chinese
    assert "李白記念館" not in row[1][1]  # never the Japanese text in the Chinese column
    assert marker in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_programme_of_a_draft_is_404(client, seminar_2018, lang):
    seminar_2018.status = "draft"
    seminar_2018.save()

    for suffix in ("programme/", "calendar.ics", "programme.pdf", "report.pdf"):
        assert client.get(f"/{lang}/seminars/17/{suffix}").status_code == 404


@pytest.mark.parametrize(
    ("lang", "label"), [("ja", "日中対訳プログラム"), ("zh-hans", "中日对照日程")]
)
def test_edition_page_links_to_programme_calendar_and_data(client, seed, lang, label):
    html = collapsed(client.get(f"/{lang}/seminars/17/").content.decode())

    assert f'<a href="/{lang}/seminars/17/programme/">{label}</a>' in html
    assert f'href="/{lang}/seminars/17/calendar.ics"' in html
    assert f'href="/{lang}/data/"' in html


@pytest.mark.parametrize(("lang", "note"), [("ja", "中国現地時間（UTC+8）"), ("zh-hans", "UTC+8")])
def test_programme_time_note_only_when_an_item_has_a_time(client, seminar_2018, lang, note):
    url = f"/{lang}/seminars/{seminar_2018.edition}/programme/"
    untimed = client.get(url).content.decode()
    assert note not in untimed

    item = seminar_2018.agenda_items.order_by("date", "order").first()
    AgendaItem.objects.filter(pk=item.pk).update(start_time=datetime.time(9, 30))
    caches["pages"].clear()  # saves clear the page cache; a bare update() does not
    timed = client.get(url).content.decode()
    assert note in timed and "09:30" in timed
