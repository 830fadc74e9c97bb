"""Template helpers for page metadata: language links, hreflang alternates, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path, get_language_info, gettext, override

from .seminar_i18n import HTML_LANG, current_language, edition_label, localized_text

register = template.Library()

# Inside <script>, "</script>" or "<!--" would end or confuse the element: escape <, > and &.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _home_url(language):
    with override(language):
        return reverse("seminars:series")


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: [{code, html_lang, name, url, absolute_url, ...}].

    A path that does not resolve (a 404) links to each language's home page instead.
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    resolvable = (
        bool(request)
        and not context.get("is_error_page")
        and get_language_from_path(request.path_info) is not None
    )
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code) if resolvable else _home_url(code)
        if resolvable and url == path and code != current_language():
            resolvable, url = False, _home_url(code)
        links.append(
            {
                "code": code,
                "html_lang": HTML_LANG[code],
                "name": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request else url,
                "is_current": code == current_language(),
            }
        )
    default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
    # x-default: the unprefixed URL, where LocaleMiddleware (or `/`) picks the reader's language;
    # the same URL Django's i18n sitemap lists.
    x_default = default["url"].replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
    return {
        "links": links,
        "resolvable": resolvable,
        "x_default": request.build_absolute_uri(x_default) if request else x_default,
    }


def series_name():
    return gettext("Japan–China Regional Exchange Promotion Seminar")


def _organizations(seminar, roles):
    return [
        {"@type": "Organization", "name": localized_text(o.organization, "name").text}
        for o in seminar.organizers.all()
        if o.role in roles
    ]


def _location(seminar):
    city = localized_text(seminar.city, "name").text
    province = localized_text(seminar.city, "province").text
    address = {"@type": "PostalAddress", "addressLocality": city, "addressCountry": "CN"}
    if province:
        address["addressRegion"] = province
    return {"@type": "Place", "name": city, "address": address}


def event_data(seminar, request=None):
    """schema.org Event for one edition, in the active language."""
    theme = localized_text(seminar, "title").text or localized_text(seminar, "theme").text
    name = f"{edition_label(seminar.edition)} {series_name()}"
    url = seminar.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{name}: {theme}" if theme else name,
        "url": request.build_absolute_uri(url) if request else url,
        "inLanguage": HTML_LANG[current_language()],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": _location(seminar),
    }
    if seminar.start_date:
        data["startDate"] = seminar.start_date.isoformat()
        data["endDate"] = (seminar.end_date or seminar.start_date).isoformat()
    summary = localized_text(seminar, "summary").text
    if summary:
        data["description"] = summary
    organizers = _organizations(seminar, {"host", "co_host"})
    if organizers:
        data["organizer"] = organizers
    sponsors = _organizations(seminar, {"sponsor"})
    if sponsors:
        data["sponsor"] = sponsors
    images = [p.image.url for p in seminar.photos.all() if p.image]
    if images:
        data["image"] = [request.build_absolute_uri(u) if request else u for u in images]
    return data


def json_ld_script(data):
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(JSON_SCRIPT_ESCAPES)
    # Safe: every "<", ">" and "&" inside the JSON is escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def event_json_ld(context, seminar):
    """`<script type="application/ld+json">` data (not executable) for an edition page."""
    return json_ld_script(event_data(seminar, context.get("request")))
