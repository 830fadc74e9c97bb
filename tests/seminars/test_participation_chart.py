"""The series page's participants chart (seminars/public/chart.py): shown once two published
editions have delegation counts, as SVG with its title and description and a table of the same
figures, in both languages; drafts' counts never shown."""

import re

import pytest

from seminars.models import Seminar
from seminars.public.chart import Edition, nice_step, participation_chart
from tests.factories import make_delegation, make_seminar
from tests.pages import collapsed

pytestmark = pytest.mark.django_db
LANGS = ("ja", "zh-hans")


def with_counts(edition, japan, china, **fields):
    seminar = make_seminar(edition, **fields)
    if japan is not None:
        make_delegation(seminar, "japan", japan)
    if china is not None:
        make_delegation(seminar, "china", china)
    return seminar


def table_rows(html):
    table = html.split('<table class="participation__table">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            collapsed(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_chart_is_not_shown_with_counts_for_one_edition(client, lang):
    with_counts(1, 30, 40)
    make_seminar(2)  # published, without counts

    html = client.get(f"/{lang}/").content.decode()

    assert "participation__chart" not in html and "<svg" not in html.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("lang", "heading", "rows"),
    [
        (
            "ja",
            "参加者数の推移",
            [["第1回", "2002年度", "30", "40", "70"], ["第3回", "2004年度", "59", "88", "147"]],
        ),
        (
            "zh-hans",
            "历届参加人数",
            [["第1届", "2002年度", "30", "40", "70"], ["第3届", "2004年度", "59", "88", "147"]],
        ),
    ],
)
def test_chart_with_two_editions_with_counts_has_svg_and_table(client, lang, heading, rows):
    with_counts(1, 30, 40)
    make_seminar(2)  # no counts: not a point of the chart
    with_counts(3, 59, 88)
    with_counts(4, 500, 500, status=Seminar.Status.DRAFT)  # a draft's counts never show

    html = client.get(f"/{lang}/").content.decode()

    section = html.split('<section class="participation"', 1)[1].split("</section>", 1)[0]
    assert heading in section
    assert re.search(r'<svg[^>]+role="img"[^>]+aria-labelledby="participation-title', section)
    assert (
        '<title id="participation-title">' in section
        and '<desc id="participation-desc">' in section
    )
    assert len(re.findall(r"<circle\b", section)) == 2 and len(re.findall(r"<rect\b", section)) == 2
    assert len(re.findall(r"<polyline\b", section)) == 2  # one line a side
    assert table_rows(html) == rows
    assert "500" not in section
    assert "<script" not in section


def test_chart_leaves_a_gap_where_a_side_is_not_recorded():
    editions = [Edition(1, 2002, 10, 20), Edition(2, 2003, None, 25), Edition(3, 2004, 12, 30)]

    chart = participation_chart(editions)

    assert chart.lines["japan"] == []  # two single points: no line across the gap
    assert len(chart.points["japan"]) == 2
    assert len(chart.lines["china"]) == 1 and len(chart.points["china"]) == 3
    assert chart.y_ticks[0][1] == 0 and chart.y_ticks[-1][1] >= 30
    assert participation_chart(editions[:1]) is None


def test_chart_scales_to_101_editions_with_at_most_ten_axis_labels():
    editions = [Edition(n, 2001 + n, n * 3, n * 4) for n in range(1, 102)]

    chart = participation_chart(editions)

    assert len(chart.x_labels) <= 10 and chart.x_labels[-1][1] == 101
    assert chart.left <= min(x for x, _y, _v, _e in chart.points["china"])
    assert max(x for x, _y, _v, _e in chart.points["china"]) <= chart.right_edge
    assert min(y for _x, y, _v, _e in chart.points["china"]) >= chart.top


@pytest.mark.parametrize(("maximum", "step"), [(0, 1), (3, 1), (147, 50), (404, 200), (88, 50)])
def test_nice_step_is_a_round_number(maximum, step):
    assert nice_step(maximum) == step


def test_kept_chart_follows_every_count_and_language(client, settings):
    """The chart read from the database is kept per process (seminars.public.fragments), keyed
    by the counts and the language: a count changed without any signal (a queryset update, as a
    raw SQL fix would) is shown at the next render, in each language."""
    from participants.models import Delegation

    settings.PAGE_CACHE_ENABLED = False
    with_counts(1, 30, 40)
    with_counts(3, 59, 88)
    assert participation_chart() is participation_chart()  # kept, not built again

    first = {lang: table_rows(client.get(f"/{lang}/").content.decode()) for lang in LANGS}
    Delegation.objects.filter(seminar__edition=3, side="china").update(participant_count=91)
    again = {lang: table_rows(client.get(f"/{lang}/").content.decode()) for lang in LANGS}

    assert first["ja"][1] == ["第3回", "2004年度", "59", "88", "147"]
    assert again["ja"][1] == ["第3回", "2004年度", "59", "91", "150"]
    assert again["zh-hans"][1] == ["第3届", "2004年度", "59", "91", "150"]
