"""The side-by-side programme: two aligned columns, each in its own language, gaps marked."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.cache import caches

from seminars.models import AgendaItem
from tests.factories import make_agenda_item
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


def programme_rows(client, lang, seminar):
    response = client.get(f"/{lang}/seminars/{seminar.edition}/programme/")
    assert response.status_code == 200
    parser = Cells()
    parser.feed(response.content.decode())
    return response, parser.rows


@pytest.fixture
def with_session(edition):
    """The edition with a plenary session on its first day, ordered after the day's lectures,
    whose two parts sort before it on their own."""
    day = edition.start_date
    plenary = make_agenda_item(
        edition, day, AgendaItem.Kind.PLENARY, order=10, title_ja="本会議", title_zh_hans="全体会议"
    )
    for order, (ja, zh) in enumerate([("あいさつ", "致辞"), ("基調講演", "主旨演讲")]):
        make_agenda_item(edition, day, session=plenary, order=order, title_ja=ja, title_zh_hans=zh)
    return edition


WEEKDAYS = {"ja": "月火水木金土日", "zh-Hans": "一二三四五六日"}


def day_headers(day):
    ja = f"{day.month}月{day.day}日（{WEEKDAYS['ja'][day.weekday()]}）"
    zh = f"{day.month}月{day.day}日（星期{WEEKDAYS['zh-Hans'][day.weekday()]}）"
    return ja, zh


@pytest.mark.parametrize("lang", LANGS)
def test_programme_columns_carry_the_same_items_in_order(client, with_session, lang):
    seminar = with_session
    response, rows = programme_rows(client, lang, seminar)

    ordered = list(seminar.agenda_items.order_by("date", "order", "start_time", "pk"))
    # A session's parts follow it (本会議 → あいさつ, 基調講演, …), as on the edition page.
    items = []
    for item in ordered:
        if item.session_id is None:
            items.append(item)
            items.extend(part for part in ordered if part.session_id == item.pk)
    assert len(rows) == len(items) == 6 + 3
    plenary = next(i for i, item in enumerate(items) if item.title_ja == "本会議")
    assert [item.title_ja for item in items[plenary : plenary + 3]] == [
        "本会議",
        "あいさつ",
        "基調講演",
    ]
    for row, item in zip(rows, items, strict=True):
        (ja_lang, ja_text), (zh_lang, zh_text) = row
        assert (ja_lang, zh_lang) == ("ja", "zh-Hans")
        assert item.title_ja in ja_text and item.title_zh_hans in zh_text
    html = collapsed(response.content.decode())
    ja_day, zh_day = day_headers(seminar.start_date)
    assert f'<th scope="col" lang="ja">{ja_day}</th>' in html
    assert f'<th scope="col" lang="zh-Hans">{zh_day}</th>' in html
    assert f'lang="zh-Hans">{seminar.theme_zh_hans}<' in html


@pytest.mark.parametrize("lang", LANGS)
def test_programme_themes_follow_their_labels(client, edition, lang):
    """takeaway.css sets the themes' <dt> and <dd> inline: no whitespace between or inside them
    (it would show as a space after the label)."""
    html = collapsed(programme_rows(client, lang, edition)[0].content.decode())

    assert f'<dt>日本語</dt><dd lang="ja">{edition.theme_ja}</dd>' in html
    assert f'<dt>简体中文</dt><dd lang="zh-Hans">{edition.theme_zh_hans}</dd>' in html


def test_programme_page_language_only_changes_the_frame(client, with_session):
    _ja, ja_rows = programme_rows(client, "ja", with_session)
    zh, zh_rows = programme_rows(client, "zh-hans", with_session)

    assert ja_rows == zh_rows and len(ja_rows) == 9
    assert '<html lang="zh-Hans">' in zh.content.decode()
    assert "<h1>日程（中日对照）</h1>" in zh.content.decode()


@pytest.mark.parametrize(("lang", "marker"), [("ja", "未入力"), ("zh-hans", "未填写")])
def test_programme_marks_a_missing_translation_and_never_fills_it(client, edition, lang, marker):
    item = make_agenda_item(
        edition, title_ja="李白記念館", title_zh_hans="", venue_ja="江油市", order=20
    )

    response, rows = programme_rows(client, lang, edition)

    row = next(r for r in rows if item.title_ja in r[0][1])
    assert row[1][0] == "zh-Hans"
    assert "未填写" in row[1][1]  # the Chinese column's own marker, in Chinese
    assert item.title_ja not in row[1][1]  # never the Japanese text in the Chinese column
    assert item.venue_ja not in row[1][1]
    assert marker in response.content.decode()


@pytest.mark.parametrize("lang", LANGS)
def test_programme_of_a_draft_is_404(client, edition, lang):
    edition.status = "draft"
    edition.save()

    for suffix in ("programme/", "calendar.ics", "programme.pdf", "report.pdf"):
        assert client.get(f"/{lang}/seminars/{edition.edition}/{suffix}").status_code == 404


@pytest.mark.parametrize(
    ("lang", "label"), [("ja", "日中対訳プログラム"), ("zh-hans", "中日对照日程")]
)
def test_edition_page_links_to_programme_calendar_and_data(client, edition, lang, label):
    base = f"/{lang}/seminars/{edition.edition}/"
    html = collapsed(client.get(base).content.decode())

    assert f'<a href="{base}programme/">{label}</a>' in html
    assert f'href="{base}calendar.ics"' in html
    assert f'href="/{lang}/data/"' in html


@pytest.mark.parametrize(("lang", "note"), [("ja", "中国現地時間（UTC+8）"), ("zh-hans", "UTC+8")])
def test_programme_time_note_only_when_an_item_has_a_time(client, edition, lang, note):
    edition.agenda_items.update(start_time=None, end_time=None)
    url = f"/{lang}/seminars/{edition.edition}/programme/"
    untimed = client.get(url).content.decode()
    assert note not in untimed

    item = edition.agenda_items.order_by("date", "order").first()
    AgendaItem.objects.filter(pk=item.pk).update(start_time=datetime.time(9, 30))
    caches["pages"].clear()  # saves clear the page cache; a bare update() does not
    timed = client.get(url).content.decode()
    assert note in timed and "09:30" in timed


@pytest.mark.parametrize(("lang", "none"), [("ja", "なし"), ("zh-hans", "无")])
def test_programme_theme_recorded_as_none_reads_as_such_not_as_missing(client, edition, lang, none):
    edition.theme_ja = edition.theme_zh_hans = ""
    edition.save()

    page = client.get(f"/{lang}/seminars/{edition.edition}/programme/").content.decode()
    themes = page.split('class="pair-themes"')[1].split("</dl>")[0]

    assert none in themes
    assert 'class="not-filled"' not in themes
