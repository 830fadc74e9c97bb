"""The series page's repeated pieces, rendered once per content (seminars.public.fragments).

`{% edition_row seminar latest %}` is the table row of one edition; `{% host_cities host_map %}`
the map and list of the host cities; `{% agenda_entry item show_kind heading %}` one agenda item
of an edition page, with its speakers. Each key holds every value its piece shows, so a piece is
rendered again only when one of them changed: after one edition's save the series page renders
that edition's row, and the host-city section when its city or link changed.
"""

from django import template
from django.db.models import Model, QuerySet
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

from seminars.public.fragments import memoized, row_values

from .seminar_i18n import HTML_LANG, current_language, localized_fieldname
from .seminar_meta import footer_site
from .seminar_search import search_enabled

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


# The edition page's sections, each rendered once per content like the pieces above: the key
# holds every row the section shows (its own and the related ones it reads), the language, the
# script prefix (the links) and the page's lexicon (its line breaks). A section is rendered with
# the page's context, exactly as `{% include %}` renders it.


def _included(context, template):
    """`{% include %}` of `template`, rendered now with the page's context."""
    with context.push():
        return template.render(context)


def _section(context, key, template_name):
    # The template itself is in the key: templates loaded again (new settings) render again.
    template = context.template.engine.get_template(template_name)
    key = ("section", template, current_language(), get_script_prefix(), *key)
    return memoized(key, lambda: mark_safe(_included(context, template)))


def _lexicon_key(context):
    lexicon = context.get("lexicon")
    return lexicon.pattern if lexicon is not None else None


@register.simple_tag(takes_context=True)
def organizers_section(context, seminar):
    """templates/seminars/includes/organizers.html: each organizer with its organization."""
    organizers = tuple(
        (row_values(o), row_values(o.organization)) for o in seminar.organizers.all()
    )
    links = not context.get("is_preview") and bool(context.get("request"))
    return _section(context, (links, organizers), "seminars/includes/organizers.html")


@register.simple_tag(takes_context=True)
def participants_section(context, seminar):
    """templates/seminars/includes/participants.html: the delegations and their people."""
    delegations = tuple(
        (row_values(d), tuple(row_values(p) for p in d.participants_in_order))
        for d in seminar.delegations.all()
    )
    key = (_lexicon_key(context), delegations, seminar.participant_count)
    return _section(context, key, "seminars/includes/participants.html")


@register.simple_tag(takes_context=True)
def agenda_section(context, seminar):
    """templates/seminars/includes/agenda.html: the programme, its items and their speakers."""
    items = tuple(
        (row_values(item), tuple(row_values(p) for p in getattr(item, "speakers_in_order", ())))
        for item in seminar.agenda_items.all()
    )
    return _section(context, (_lexicon_key(context), items), "seminars/includes/agenda.html")


@register.simple_tag(takes_context=True)
def takeaway_links(context):
    """templates/seminars/takeaway/edition_links.html: what the edition offers to take away."""
    from seminars.takeaway import store
    from seminars.takeaway.pdf import unavailable_reason

    seminar = context["seminar"]
    key = (
        bool(context.get("on_programme")),
        seminar.edition,
        unavailable_reason(),
        store.has_programme(seminar),
        store.has_calendar(seminar),
        tuple(store.offered_kinds(seminar)),
    )
    return _section(context, key, "seminars/takeaway/edition_links.html")


def _site_key(site):
    return None if site is None else (row_values(site), site.last_updated)


@register.simple_tag(takes_context=True)
def site_footer(context):
    """templates/includes/footer.html: the links and the publisher (the site settings)."""
    site = footer_site(context)
    with context.push(site=site):
        return _section(context, (_site_key(site),), "includes/footer.html")


def _languages_key(languages):
    if not languages:
        return None
    return tuple(
        (link["url"], link["html_lang"], link["name"], link["is_current"])
        for link in languages["links"]
    )


@register.simple_tag(takes_context=True)
def site_header(context):
    """templates/includes/header.html: the site's name, the search box and the languages."""
    result = context.get("result")
    key = (
        bool(context.get("is_preview")),
        search_enabled(),
        getattr(result, "query", ""),
        _languages_key(context.get("languages")),
    )
    return _section(context, key, "includes/header.html")


def _memo_value(value):
    """A key part for one value the memoized content shows: a row by its columns, a list of
    rows by theirs, anything else (hashable) as it is."""
    if isinstance(value, Model):
        return row_values(value)
    if isinstance(value, (list, tuple, QuerySet)):
        return tuple(_memo_value(v) for v in value)
    return value


class MemoNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        # This node itself is in the key: templates loaded again (new settings) render again.
        key = (
            "memo",
            self,
            current_language(),
            get_script_prefix(),
            *(_memo_value(value.resolve(context)) for value in self.values),
        )
        return memoized(key, lambda: mark_safe(self.nodelist.render(context)))


@register.tag
def memo(parser, token):
    """`{% memo seminar seminar.city lexicon.pattern %}…{% endmemo %}`: the content rendered
    once per language, script prefix and values (rows by their columns): the values must be
    everything the content shows. Nothing inside may set a variable used after it."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
