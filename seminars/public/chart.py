"""Participants over the years: the series page's chart of the Japan and China sides' counts per
published edition, drawn on the server as SVG (no script), with the same figures as a table.

One query reads every published edition's delegations (one row per edition and side); the
coordinates and the repeated markup (marks, axis labels, table rows) are written here in one pass,
so the template adds only the fixed parts: at 101 editions a template loop per mark and row cost
the series page several times the query. The chart is shown once two or more published editions
have counts: one point is no trend.
"""

import math
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.html import escape
from django.utils.safestring import mark_safe

from seminars.models import Seminar
from seminars.public.fragments import memoized
from seminars.templatetags.seminar_i18n import (
    current_language,
    edition_label,
    fiscal_year_short,
    people_count,
)

SIDES = ("japan", "china")
MIN_EDITIONS = 2
# The SVG's own units: it scales to the column's width (375 px phones included).
WIDTH, HEIGHT = 480, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 34
MAX_X_LABELS = 9


@dataclass
class Edition:
    """One published edition's counts (None: that side's count is not recorded)."""

    edition: int
    fiscal_year: int
    japan: int | None = None
    china: int | None = None
    x: float = 0.0

    @property
    def total(self):
        return (self.japan or 0) + (self.china or 0)


@dataclass
class Chart:
    editions: list
    lines: dict  # side -> [[(x, y), …] segments]
    points: dict  # side -> [(x, y, value, edition)]
    y_ticks: list  # [(y, value)]
    x_labels: list  # [(x, edition)]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    top: int = TOP
    markup: dict = field(default_factory=dict)  # name -> safe HTML/SVG (see `markup`)


def counts():
    """[Edition] of the published editions that have a delegation, in edition order; 1 query."""
    delegation = apps.get_model("participants", "Delegation")
    rows = (
        delegation.objects.filter(seminar__status=Seminar.Status.PUBLISHED)
        .order_by("seminar__edition", "side")
        .values_list("seminar__edition", "seminar__fiscal_year", "side", "participant_count")
    )
    editions = {}
    for number, year, side, count in rows:
        entry = editions.setdefault(number, Edition(number, year))
        setattr(entry, side, count)
    return list(editions.values())


def nice_step(maximum, steps=4):
    """A round tick step (1, 2 or 5 × 10ⁿ) giving at most `steps` steps up to `maximum`."""
    raw = max(maximum, steps) / steps  # ≥ 1: whole-number steps
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover (10 × power always reaches raw)


def side_lines(editions, side, y_of):
    """(polyline point lists, one per run of recorded counts; the points [(x, y, count,
    edition)]): an edition without that side's count breaks the line."""
    segments, current, dots = [], [], []
    for entry in editions:
        value = getattr(entry, side)
        if value is None:
            current = []
            continue
        if not current:
            segments.append(current)
        current.append((entry.x, y_of(value)))
        dots.append((entry.x, y_of(value), value, entry.edition))
    lines = [" ".join(f"{x},{y}" for x, y in seg) for seg in segments if len(seg) > 1]
    return lines, dots


def x_axis_labels(editions):
    """At most MAX_X_LABELS evenly spaced edition numbers, the latest always among them."""
    every = math.ceil(len(editions) / MAX_X_LABELS)
    labels = [(e.x, e.edition) for i, e in enumerate(editions) if i % every == 0]
    if labels[-1][1] != editions[-1].edition:
        labels[-1] = (editions[-1].x, editions[-1].edition)
    return labels


def participation_chart(editions=None):
    """The chart of `editions` (default: read them), or None with fewer than two.

    Read from the database, the chart is built once per language and set of counts and kept
    per process (seminars.public.fragments): the series pages (three at 101 editions, in each
    language) show the same chart, and a save that changes no count renders them again.
    """
    if editions is None:
        editions = counts()
        key = (
            "participation_chart",
            current_language(),
            tuple((e.edition, e.fiscal_year, e.japan, e.china) for e in editions),
        )
        return memoized(key, lambda: participation_chart(editions))
    if len(editions) < MIN_EDITIONS:
        return None
    highest = max(max(e.japan or 0, e.china or 0) for e in editions)
    step = nice_step(highest)
    top_value = step * math.ceil(highest / step) or step
    plot_height = HEIGHT - BOTTOM - TOP
    gap = (WIDTH - LEFT - RIGHT) / (len(editions) - 1)

    def y_of(value):
        return round(HEIGHT - BOTTOM - plot_height * value / top_value, 1)

    for i, entry in enumerate(editions):
        entry.x = round(LEFT + gap * i, 1)
    lines, points = {}, {}
    for side in SIDES:
        lines[side], points[side] = side_lines(editions, side, y_of)
    ticks = [(y_of(v), v) for v in range(0, top_value + 1, step)]
    chart = Chart(editions, lines, points, ticks, x_axis_labels(editions))
    chart.markup = markup(chart)
    return chart


# The mark of a point at x, y (filled in its side's colour by the template's group): the sides
# differ by shape and dash too, for print in black and white and for colour-blind readers.
MARKS = {
    "japan": ('<circle cx="{x}" cy="{y}" r="4.5" stroke="none">', "</circle>"),
    "china": ('<rect x="{left}" y="{top}" width="9" height="9" stroke="none">', "</rect>"),
}


def point_marks(chart, side, labels):
    """Each point's mark with its title (第3回: 147人): what a pointer or screen reader finds."""
    mark, closing = MARKS[side]
    people = {}  # translated once per count
    marks = []
    for x, y, value, edition in chart.points[side]:
        if value not in people:
            people[value] = escape(people_count(value))
        marks.append(
            mark.format(x=x, y=y, left=round(x - 4.5, 1), top=round(y - 4.5, 1))
            + f"<title>{labels[edition]}: {people[value]}</title>{closing}"
        )
    return "".join(marks)


def table_rows(chart, labels):
    cells = []
    for e in chart.editions:
        numbers = ["—" if v is None else v for v in (e.japan, e.china)] + [e.total]
        cells.append(
            f'<tr><th scope="row"><span class="np">{labels[e.edition]}</span></th>'
            f'<td><span class="np">{escape(fiscal_year_short(e.fiscal_year))}</span></td>'
            + "".join(f"<td>{n}</td>" for n in numbers)
            + "</tr>"
        )
    return "\n".join(cells)


def markup(chart):
    """The repeated parts of the chart and its table, as safe markup (numbers and escaped text)."""
    grid = "".join(
        f'<line x1="{chart.left}" x2="{chart.right_edge}" y1="{y}" y2="{y}"/>'
        for y, _value in chart.y_ticks
    )
    y_axis = "".join(
        f'<text x="{chart.left - 6}" y="{y}" dy="5">{value}</text>' for y, value in chart.y_ticks
    )
    x_axis = "".join(
        f'<text x="{x}" y="{chart.baseline + 20}">{edition}</text>' for x, edition in chart.x_labels
    )
    labels = {e.edition: escape(edition_label(e.edition)) for e in chart.editions}  # 第3回
    parts = {"grid": grid, "y_axis": y_axis, "x_axis": x_axis, "rows": table_rows(chart, labels)}
    for side in SIDES:
        polylines = "".join(
            f'<polyline points="{line}" fill="none"/>' for line in chart.lines[side]
        )
        parts[side] = polylines + point_marks(chart, side, labels)
    return {name: mark_safe(html) for name, html in parts.items()}
