"""The series page's repeated pieces, rendered once per content (seminars.public.fragments).

`{% edition_row seminar latest %}` is the table row of one edition; `{% host_cities host_map %}`
the map and list of the host cities; `{% agenda_entry item show_kind heading %}` one agenda item
of an edition page, with its speakers. Each key holds every value its piece shows, so a piece is
rendered again only when one of them changed: after one edition's save the series page renders
that edition's row, and the host-city section when its city or link changed.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from seminars.public.fragments import memoized

from .seminar_i18n import HTML_LANG, current_language, localized_fieldname

register = template.Library()

CITY_FIELDS = tuple(
    localized_fieldname(name, code) for name in ("name", "province") for code in HTML_LANG
)
THEME_FIELDS = tuple(localized_fieldname("theme", code) for code in HTML_LANG)


def city_key(city):
    return (city.pk, *(getattr(city, name) for name in CITY_FIELDS))


def _render(template_name, context):
    return mark_safe(get_template(template_name).render(context))


@register.simple_tag(takes_context=True)
def edition_row(context, seminar, latest):
    """The series table's row of one edition (templates/seminars/includes/edition_row.html)."""
    lexicon = context.get("lexicon")
    is_latest = latest is not None and seminar.pk == latest.pk
    key = (
        "edition_row",
        current_language(),
        seminar.get_absolute_url(),
        seminar.edition,
        seminar.fiscal_year,
        is_latest,
        *(getattr(seminar, name) for name in THEME_FIELDS),
        city_key(seminar.city),
        lexicon.pattern if lexicon is not None else None,
    )
    row = {"seminar": seminar, "is_latest": is_latest, "lexicon": lexicon}
    return memoized(key, lambda: _render("seminars/includes/edition_row.html", row))


def _marker_key(marker):
    return (
        city_key(marker.city),
        marker.x,
        marker.y,
        marker.label_x,
        marker.label_y,
        marker.anchor,
        tuple((s.edition, s.fiscal_year, s.get_absolute_url()) for s in marker.seminars),
    )


@register.simple_tag
def host_cities(host_map):
    """The host cities' map and list (templates/seminars/includes/host_cities.html)."""
    key = (
        "host_cities",
        current_language(),
        host_map.width,
        host_map.height,
        host_map.image_url,
        host_map.land_path,
        tuple(_marker_key(m) for m in host_map.markers),
        tuple(_marker_key(m) for m in host_map.unplaced),
    )
    return memoized(
        key, lambda: _render("seminars/includes/host_cities.html", {"host_map": host_map})
    )


def row_values(obj):
    """Every column of a row as loaded: what a piece showing it may read."""
    return (type(obj).__name__, *(getattr(obj, f.attname) for f in obj._meta.concrete_fields))


@register.simple_tag(takes_context=True)
def agenda_entry(context, item, show_kind, heading):
    """One agenda item of an edition page (templates/seminars/includes/agenda_item.html)."""
    lexicon = context.get("lexicon")
    speakers = getattr(item, "speakers_in_order", ())
    key = (
        "agenda_entry",
        current_language(),
        bool(show_kind),
        heading,
        row_values(item),
        tuple(row_values(person) for person in speakers),
        lexicon.pattern if lexicon is not None else None,
    )
    entry = {"item": item, "show_kind": show_kind, "heading": heading, "lexicon": lexicon}
    return memoized(key, lambda: _render("seminars/includes/agenda_item.html", entry))
