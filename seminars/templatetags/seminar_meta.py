"""Template helpers for page metadata: language links, hreflang alternates, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path, get_language_info, gettext, override

from seminars.public.fragments import memoized, row_values

from .seminar_i18n import (
    HTML_LANG,
    current_language,
    edition_label,
    localized_fieldname,
    localized_text,
)
from .seminar_search import search_enabled

register = template.Library()

# Inside <script>, "</script>" or "<!--" would end or confuse the element: escape <, > and &.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _home_url(language):
    with override(language):
        return reverse("seminars:series")


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every language: [{code, html_lang, name, url, absolute_url, ...}].

    A path that does not resolve (a 404) links to each language's home page instead. Kept per
    process (seminars.public.fragments) by everything it depends on: the path, the host, the
    language; the templates only read it.
    """
    request = context.get("request")
    if request is None:
        return _language_links(context, request)
    key = (
        "language_links",
        request.get_full_path(),
        request.path,
        request.path_info,
        _absolute(request, "/"),
        get_script_prefix(),
        bool(context.get("is_error_page")),
        current_language(),
    )
    return memoized(key, lambda: _language_links(context, request))


def _language_links(context, request):
    path = request.get_full_path() if request else "/"
    resolvable = (
        bool(request)
        and not context.get("is_error_page")
        and get_language_from_path(request.path_info) is not None
    )
    # Under a script name (a copy served from /mirror/, FORCE_SCRIPT_NAME) the path resolves
    # without it; translate_url() reverses with it again.
    local = path[len(request.path) - len(request.path_info) :] if request else path
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(local, code) if resolvable else _home_url(code)
        if resolvable and url == local and code != current_language():
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


def _absolute(request, url):
    return request.build_absolute_uri(url) if request else url


def series_id(request):
    """The @id of the series' EventSeries, which every edition page refers to."""
    return _absolute(request, _home_url(current_language())) + "#series"


def publisher_data(site):
    """The publisher (site settings) as a schema.org Organization, or None."""
    if site is None:
        return None
    name = localized_text(site, "publisher_name").text
    if not name:
        return None
    data = {"@type": "Organization", "name": name}
    short = localized_text(site, "short_name").text
    if short:
        data["alternateName"] = short
    if site.publisher_url:
        data["url"] = site.publisher_url
    return data


def _organizations(seminar, roles):
    return [
        {"@type": "Organization", "name": localized_text(o.organization, "name").text}
        for o in seminar.organizers.all()
        if o.role in roles
    ]


def _location(seminar):
    city = seminar.city
    name = localized_text(city, "name").text
    province = localized_text(city, "province").text
    address = {"@type": "PostalAddress", "addressLocality": name, "addressCountry": "CN"}
    if province:
        address["addressRegion"] = province
    place = {"@type": "Place", "name": name, "address": address}
    if city.latitude is not None and city.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": city.latitude,
            "longitude": city.longitude,
        }
    return place


def _edition_name(seminar):
    theme = localized_text(seminar, "title").text or localized_text(seminar, "theme").text
    name = f"{edition_label(seminar.edition)} {series_name()}"
    return f"{name}: {theme}" if theme else name


def event_data(seminar, request=None, site=None):
    """schema.org data for one edition, in the active language: an Event when it has dates,
    otherwise a WebPage that is part of the series (an Event needs a startDate)."""
    url = _absolute(request, seminar.get_absolute_url())
    language = HTML_LANG[current_language()]
    if not seminar.start_date:
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": _edition_name(seminar),
            "url": url,
            "inLanguage": language,
            "isPartOf": {"@id": series_id(request)},
            "about": _location(seminar),
        }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": _edition_name(seminar),
        "url": url,
        "inLanguage": language,
        "startDate": seminar.start_date.isoformat(),
        "endDate": (seminar.end_date or seminar.start_date).isoformat(),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": _location(seminar),
        "superEvent": {"@id": series_id(request)},
    }
    summary = localized_text(seminar, "summary").text
    if summary:
        data["description"] = summary
    organizers = _organizations(seminar, {"host", "co_host"})
    publisher = publisher_data(site)
    if organizers:
        data["organizer"] = organizers
    elif publisher:
        data["organizer"] = [publisher]
    sponsors = _organizations(seminar, {"sponsor"})
    if sponsors:
        data["sponsor"] = sponsors
    images = [p.image.url for p in seminar.photos.all() if p.image]
    if images:
        data["image"] = [_absolute(request, u) for u in images]
    return data


def series_data(seminars, request=None, site=None, first_year=None, start=1):
    """schema.org EventSeries for a page of the series list, with the dated editions it lists
    as sub-events and the editions it lists in an ItemList (positions from `start`: page 2
    begins at 51). `first_year`: the series' first fiscal year (default: the first listed)."""
    language = HTML_LANG[current_language()]
    home = _absolute(request, _home_url(current_language()))
    series = {
        "@type": "EventSeries",
        "@id": series_id(request),
        "name": series_name(),
        "url": home,
        "inLanguage": language,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": gettext("China"),
            "address": {"@type": "PostalAddress", "addressCountry": "CN"},
        },
    }
    if first_year is None and seminars:
        first_year = seminars[0].fiscal_year
    if first_year is not None:
        series["startDate"] = str(first_year)
    introduction = localized_text(site, "introduction").text if site else ""
    if introduction:
        series["description"] = introduction
    publisher = publisher_data(site)
    if publisher:
        series["organizer"] = publisher
    series["subEvent"] = [
        {
            "@type": "Event",
            "name": _edition_name(s),
            "url": _absolute(request, s.get_absolute_url()),
            "startDate": s.start_date.isoformat(),
            "endDate": (s.end_date or s.start_date).isoformat(),
            "location": _location(s),
        }
        for s in seminars
        if s.start_date
    ]
    editions = {
        "@type": "ItemList",
        "name": gettext("Editions"),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": i,
                "name": _edition_name(s),
                "url": _absolute(request, s.get_absolute_url()),
            }
            for i, s in enumerate(seminars, start=start)
        ],
    }
    graph = [series, editions]
    if search_enabled():  # the static copy has no search (no server behind it)
        graph.append(website_data(request, home, language))
    return {"@context": "https://schema.org", "@graph": graph}


def website_data(request, home, language):
    """schema.org WebSite with its SearchAction (`/<lang>/search/?q=…`)."""
    search = _absolute(request, reverse("seminars:search"))
    return {
        "@type": "WebSite",
        "@id": f"{home}#website",
        "name": series_name(),
        "url": home,
        "inLanguage": language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def json_ld_script(data):
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(JSON_SCRIPT_ESCAPES)
    # Safe: every "<", ">" and "&" inside the JSON is escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _rows(objects):
    return tuple(row_values(obj) for obj in objects)


@register.simple_tag(takes_context=True)
def event_json_ld(context, seminar):
    """`<script type="application/ld+json">` data (not executable) for an edition page, built
    once per content (seminars.public.fragments): the key holds every row event_data() reads."""
    request, site = context.get("request"), context.get("site")
    organizers = seminar.organizers.all()
    key = (
        "event_json_ld",
        current_language(),
        _absolute(request, "/"),
        get_script_prefix(),
        row_values(seminar),
        row_values(seminar.city),
        _rows(organizers),
        _rows(o.organization for o in organizers),
        _rows(seminar.photos.all()),
        row_values(site) if site is not None else None,
    )
    return memoized(key, lambda: json_ld_script(event_data(seminar, request, site)))


SERIES_EDITION_FIELDS = tuple(
    localized_fieldname(name, code) for name in ("title", "theme") for code in HTML_LANG
)
SERIES_CITY_FIELDS = (
    *(localized_fieldname(name, code) for name in ("name", "province") for code in HTML_LANG),
    "latitude",
    "longitude",
)
SERIES_SITE_FIELDS = (
    *(
        localized_fieldname(name, code)
        for name in ("introduction", "publisher_name", "short_name")
        for code in HTML_LANG
    ),
    "publisher_url",
)


def _series_key(seminars, request, site, first_year, start):
    """Every value series_data() shows: its JSON is built again only when one of them moved."""
    city_values = {}
    editions = []
    for s in seminars:
        if s.city_id not in city_values:
            city_values[s.city_id] = tuple(getattr(s.city, name) for name in SERIES_CITY_FIELDS)
        editions.append(
            (
                s.edition,
                s.fiscal_year,
                s.start_date,
                s.end_date,
                s.city_id,
                *(getattr(s, name) for name in SERIES_EDITION_FIELDS),
            )
        )
    return (
        "series_json_ld",
        current_language(),
        search_enabled(),  # the static copy leaves the SearchAction out
        _absolute(request, "/"),
        _home_url(current_language()),
        seminars[0].get_absolute_url() if seminars else "",  # the script prefix
        first_year,
        start,
        tuple(getattr(site, name) for name in SERIES_SITE_FIELDS) if site else None,
        tuple(sorted(city_values.items())),
        tuple(editions),
    )


@register.simple_tag(takes_context=True)
def series_json_ld(context, seminars, first_year=None, start=1):
    """A series page's structured data: the editions it lists (`seminars`, from position
    `start`), so that an edition's change is in the one page that lists it; built once per
    content (seminars.public.fragments)."""
    request, site = context.get("request"), context.get("site")
    seminars = list(seminars)
    if first_year is None and seminars:
        first_year = seminars[0].fiscal_year
    return memoized(
        _series_key(seminars, request, site, first_year, start),
        lambda: json_ld_script(series_data(seminars, request, site, first_year, start)),
    )


OG_LOCALES = {"ja": "ja_JP", "zh-hans": "zh_CN"}


@register.simple_tag
def og_locales():
    """og:locale of the page and og:locale:alternate of the other language."""
    current = current_language()
    tags = [format_html('<meta property="og:locale" content="{}">', OG_LOCALES[current])]
    tags += [
        format_html('<meta property="og:locale:alternate" content="{}">', locale)
        for code, locale in OG_LOCALES.items()
        if code != current
    ]
    return mark_safe("\n".join(tags))


@register.simple_tag(takes_context=True)
def og_image(context, seminar=None):
    """og:image and the Twitter card: the edition's first photo, else the site's image."""
    request = context.get("request")
    photos = seminar.photos.all() if seminar else ()
    key = ("og_image", current_language(), _absolute(request, "/"), get_script_prefix())
    return memoized((*key, _rows(photos)), lambda: _og_image(request, photos))


def _og_image(request, photos):
    photo = next((p for p in photos if p.image), None)
    if photo is not None:
        url, width, height = photo.image.url, photo.width, photo.height
        alt = localized_text(photo, "caption").text
    else:
        url, width, height = static(DEFAULT_IMAGE), 1200, 630
        alt = series_name()
    return format_html(
        '<meta property="og:image" content="{url}">\n'
        '<meta property="og:image:width" content="{width}">\n'
        '<meta property="og:image:height" content="{height}">\n'
        '<meta property="og:image:alt" content="{alt}">\n'
        '<meta name="twitter:card" content="summary_large_image">\n'
        '<meta name="twitter:image:alt" content="{alt}">',
        url=_absolute(request, url),
        width=width or "",
        height=height or "",
        alt=alt,
    )


DEFAULT_IMAGE = "img/og-image.png"


@register.simple_tag(takes_context=True)
def footer_site(context):
    """The site settings the footer shows: the view's, else read here (the programme and open
    data pages); none on error pages, which never query the database. A view's `site` of None
    (no record) is not read again."""
    if "site" in context:
        return context["site"]
    if context.get("is_error_page"):
        return None
    from django.db import DatabaseError

    from seminars.models import SiteSettings

    try:
        return SiteSettings.objects.current()
    except DatabaseError:
        return None


def _crumbs(request, seminar, page, info_page=None):
    """[(name, url)] from the series down to the page; the last one is the page itself."""
    crumbs = [(series_name(), _home_url(current_language()))]
    if seminar is not None:
        crumbs.append((edition_label(seminar.edition), seminar.get_absolute_url()))
    if page == "programme":
        crumbs.append(
            (
                gettext("Programme (Japanese and Chinese)"),
                reverse("seminars:programme", args=[seminar.edition]),
            )
        )
    elif page == "open_data":
        crumbs.append((gettext("Open data"), reverse("seminars:open_data")))
    elif info_page is not None:  # site policy, privacy, accessibility
        crumbs.append((localized_text(info_page, "title").text, info_page.get_absolute_url()))
    return [(name, _absolute(request, url), url) for name, url in crumbs]


@register.simple_tag(takes_context=True)
def breadcrumbs(context, seminar=None, page="", info_page=None):
    """The trail series › edition › page, with its BreadcrumbList (schema.org) data
    (templates/includes/breadcrumbs.html), rendered once per content
    (seminars.public.fragments): the key holds every value the trail shows."""
    request = context.get("request")
    template = context.template.engine.get_template("includes/breadcrumbs.html")
    key = (
        "breadcrumbs",
        template,  # templates loaded again (new settings) render again
        current_language(),
        _absolute(request, "/"),
        get_script_prefix(),
        seminar.edition if seminar is not None else None,
        page,
        row_values(info_page) if info_page is not None else None,
    )
    return memoized(
        key,
        lambda: template.render(context.new(_breadcrumbs(request, seminar, page, info_page))),
    )


def _breadcrumbs(request, seminar, page, info_page):
    crumbs = _crumbs(request, seminar, page, info_page)
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute}
            for i, (name, absolute, _url) in enumerate(crumbs, start=1)
        ],
    }
    return {
        "crumbs": [{"name": name, "url": url} for name, _absolute_url, url in crumbs],
        "json_ld": json_ld_script(data),
    }
