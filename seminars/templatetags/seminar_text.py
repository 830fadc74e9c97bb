"""Template helpers that set Japanese and Chinese text right: phrases (BudouX) that break only
between them, and proper nouns of the record that never break inside (seminars.public.linebreaks).

`{% page_lexicon seminar as lexicon %}` (or the series' editions) at the top of a page's content
collects the page's proper nouns from objects already fetched (no query); `phrased` and
`phrased_field` read `lexicon` from the context.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from seminars.public import linebreaks

from .seminar_i18n import (
    HTML_LANG,
    current_language,
    fallback_marker,
    localized_fieldname,
    localized_text,
)

register = template.Library()

PERSON_FIELDS = ("name", "position", "organization")


def _both(obj, field):
    """The field in every language."""
    return [getattr(obj, localized_fieldname(field, code), "") or "" for code in HTML_LANG]


def _city_terms(city):
    return _both(city, "name") + _both(city, "province")


def seminar_terms(seminar):
    """The proper nouns an edition page shows: its city, organizations and people."""
    terms = _city_terms(seminar.city)
    for organizer in seminar.organizers.all():
        terms += _both(organizer.organization, "name")
    for delegation in seminar.delegations.all():
        for person in delegation.participants_in_order:
            for field in PERSON_FIELDS:
                terms += _both(person, field)
    return terms


@register.simple_tag
def page_lexicon(record):
    """A Lexicon of the proper nouns of one edition, or of every city of a list of editions."""
    if record is None:
        return linebreaks.DEFAULT
    if hasattr(record, "edition"):
        return linebreaks.Lexicon(seminar_terms(record))
    terms = []
    for city in {s.city_id: s.city for s in record}.values():
        terms += _city_terms(city)
    return linebreaks.Lexicon(terms)


def _lexicon(context):
    return context.get("lexicon") or linebreaks.DEFAULT


@register.simple_tag(takes_context=True)
def phrased_field(context, obj, field):
    """`{% phrased_field seminar "theme" %}`: the field broken only between phrases; a fallback
    in its own language with the visible marker."""
    text = localized_text(obj, field)
    if not text.text:
        return ""
    if not text.is_fallback:
        return linebreaks.phrased(text.text, text.lang, _lexicon(context))
    return format_html(
        '{} <small class="fallback-note">{}</small>',
        linebreaks.phrased(text.text, text.lang, _lexicon(context), text.html_lang),
        fallback_marker(text.lang),
    )


@register.simple_tag(takes_context=True)
def phrased(context, text, language=None):
    """`{% phrased some_text %}`: text (in the active language unless given) by phrases."""
    return linebreaks.phrased(str(text), language or current_language(), _lexicon(context))


@register.simple_tag(takes_context=True)
def phrased_paragraphs(context, text, language=None):
    """Like `linebreaks`: paragraphs at blank lines, <br> at single newlines, each line by
    phrases."""
    language = language or current_language()
    lexicon = _lexicon(context)
    paragraphs = [p for p in str(text).replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = []
    for paragraph in paragraphs:
        lines = [linebreaks.phrased(line, language, lexicon) for line in paragraph.split("\n")]
        html.append("<p>" + "<br>".join(lines) + "</p>")
    return mark_safe("\n".join(html))


@register.simple_tag
def noun(obj, field):
    """`{% noun city "name" %}`: a proper noun of the record (a city, an organization, a person,
    a position), never broken inside; a fallback in its own language with the marker."""
    text = localized_text(obj, field)
    if not text.text:
        return ""
    if not text.is_fallback:
        return format_html('<span class="np">{}</span>', text.text)
    return format_html(
        '<span class="np" lang="{}">{}</span> <small class="fallback-note">{}</small>',
        text.html_lang,
        text.text,
        fallback_marker(text.lang),
    )


@register.filter
def np(value):
    """A label that never breaks inside (2012年度, 第17回)."""
    return format_html('<span class="np">{}</span>', value)
