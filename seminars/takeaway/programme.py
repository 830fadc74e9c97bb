"""The side-by-side (対訳 / 对照) programme: one row per agenda item, one cell per language.

Every cell holds the text of its own language only: a missing translation is listed in
`Cell.missing` and shown as "not filled", never replaced by the other language's text. The
labels inside a cell (the day, the kind of item, the marker) are in the cell's language too,
so each column reads as a document of its own and carries its own `lang` attribute.

`programme(seminar)` is the one place that builds the rows (web page, PDF). It follows the
edition page's grouping (`seminar_page.programme`): a session (本会議) is a row, and its parts
follow it as indented rows, so both columns keep the same order as the page.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import get_language_info, gettext, override, pgettext

from seminars.models import SiteSettings
from seminars.templatetags.seminar_i18n import (
    HTML_LANG,
    day_label,
    localized_fieldname,
    localized_text,
)
from seminars.templatetags.seminar_page import programme as grouped_programme

from . import pdf, store

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def not_filled_label():
    return pgettext("side-by-side programme", "Not filled in")


@dataclass
class Person:
    name: str
    position: str


@dataclass
class Cell:
    """One agenda item in one language."""

    lang: str
    kind: str
    title: str
    venue: str
    description: str
    people: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # names of fields without text in this language
    not_filled: str = ""

    @property
    def html_lang(self):
        return HTML_LANG[self.lang]


@dataclass
class Row:
    item: object
    cells: list  # one Cell per language, in settings.LANGUAGES order
    is_part: bool = False  # a part of the session in the row above (indented)


@dataclass
class Day:
    date: object
    labels: list  # (html_lang, label) per language
    rows: list


def text(obj, name, language):
    """The field in exactly this language ('' when missing): no fallback here."""
    return (getattr(obj, localized_fieldname(name, language), "") or "").strip()


def needs(obj, name, languages):
    """A field must be filled in every language when any language has it."""
    return any(text(obj, name, lang) for lang in languages)


def kind_text(item, title, session=None):
    """The kind badge, or '' when it would only repeat the title or the session's own badge
    (全体会议 over 全体会议), as on the edition page."""
    if session is not None and session.kind == item.kind:
        return ""
    label = str(item.get_kind_display())
    return "" if title and (label in title or title in label) else label


def cell(item, language, session=None):
    """The cell of `item` in `language`; the item's speakers come from `for_detail()`."""
    missing = [n for n in ("title", "venue", "description") if needs(item, n, LANGUAGES)]
    missing = [n for n in missing if not text(item, n, language)]
    people = []
    for person in getattr(item, "speakers_in_order", []):
        name, position = text(person, "name", language), text(person, "position", language)
        if not name and needs(person, "name", LANGUAGES):
            missing.append("speaker name")
        if not position and needs(person, "position", LANGUAGES):
            missing.append("speaker position")
        people.append(Person(name, position))
    title = text(item, "title", language)
    with override(language):
        return Cell(
            lang=language,
            kind=kind_text(item, title, session),
            title=title,
            venue=text(item, "venue", language),
            description=text(item, "description", language),
            people=people,
            missing=missing,
            not_filled=not_filled_label(),
        )


def day_labels(day):
    labels = []
    for language in LANGUAGES:
        with override(language):
            labels.append((HTML_LANG[language], day_label(day)))
    return labels


def programme(seminar):
    """The days of `seminar` (fetched with `for_detail()`), each with its rows, in order."""
    days = []
    for day in grouped_programme(seminar).days:  # the prefetched items, no further query
        rows = []
        for block in day.blocks:
            rows.append(Row(block.item, [cell(block.item, lang) for lang in LANGUAGES]))
            rows.extend(
                Row(part, [cell(part, lang, block.item) for lang in LANGUAGES], is_part=True)
                for part in block.parts
            )
        days.append(Day(day.date, day_labels(day.date), rows))
    return days


def missing_count(days):
    return sum(bool(c.missing) for day in days for row in day.rows for c in row.cells)


def columns():
    return [
        {"html_lang": HTML_LANG[lang], "name": get_language_info(lang)["name_local"]}
        for lang in LANGUAGES
    ]


def themes(seminar):
    """The theme in each language; a theme recorded in neither language reads "No theme"
    (なし / 无), as on the edition page: not marked as a missing translation."""
    texts = {lang: getattr(seminar, localized_fieldname("theme", lang)) or "" for lang in LANGUAGES}
    none = not any(texts.values())
    result = []
    for lang in LANGUAGES:
        with override(lang):
            result.append(
                {
                    "html_lang": HTML_LANG[lang],
                    "label": get_language_info(lang)["name_local"],
                    "text": gettext("No theme") if none else texts[lang],
                    "not_filled": not_filled_label(),
                }
            )
    return result


def programme_context(seminar):
    days = programme(seminar)
    return {
        "seminar": seminar,
        "days": days,
        "columns": columns(),
        "themes": themes(seminar),
        "missing": missing_count(days),
        # The UTC+8 note and the time heading only when an item has a time, as on the page.
        "has_times": any(row.item.start_time for day in days for row in day.rows),
        "pdf_unavailable": pdf.unavailable_reason(),
    }


def pdf_context(seminar, kind):
    """The print template and its context (the renderer's process, in the active language)."""
    site = SiteSettings.objects.current()
    publisher = localized_text(site, "publisher_name").text if site else ""
    if kind == store.PROGRAMME:
        context = programme_context(seminar)
        return "seminars/takeaway/programme_pdf.html", {**context, "publisher": publisher}
    return "seminars/takeaway/report_pdf.html", {"seminar": seminar, "publisher": publisher}
