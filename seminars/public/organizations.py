"""Organization pages: every published edition an organization took part in, by role, and the
index of organizations by country (the one grouping the record keeps of an organization).

Each page is one query: the organizer rows of published editions, with the organization, the
edition and its city joined. An organization with no published edition has no page (404): a
draft never shows through it. The breadcrumbs and structured data are built here, from the
rows already read.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from seminars.models import Country, Organization, Organizer, Seminar, SiteSettings
from seminars.templatetags.seminar_i18n import (
    HTML_LANG,
    current_language,
    edition_label,
    localized_text,
)
from seminars.templatetags.seminar_meta import (
    _absolute,
    _home_url,
    json_ld_script,
    series_id,
    series_name,
)

PUBLISHED = Q(organizer_roles__seminar__status=Seminar.Status.PUBLISHED)
# The order the index lists the countries in (the codes are ISO 3166, as schema.org takes them).
COUNTRY_ORDER = [Country.JAPAN, Country.CHINA]


class OrganizationConverter:
    """An organization's id: 1 to 9 digits, no leading zero (one URL per organization, and no
    number past PostgreSQL's integer)."""

    regex = "[1-9][0-9]{0,8}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


@dataclass
class Participation:
    """One published edition of an organization, with its roles there (role order)."""

    seminar: Seminar
    roles: list = field(default_factory=list)


def organizer_rows(pk):
    """The organization's organizer rows in published editions, oldest edition first; 1 query."""
    return list(
        Organizer.objects.in_role_order()
        .filter(organization_id=pk, seminar__status=Seminar.Status.PUBLISHED)
        .select_related("organization", "seminar__city")
        .order_by("seminar__edition", "role_rank", "order", "pk")
    )


def participations(rows):
    """[Participation] per edition, in edition order."""
    by_edition = {}
    for row in rows:
        entry = by_edition.setdefault(row.seminar_id, Participation(row.seminar))
        entry.roles.append(row.get_role_display())
    return list(by_edition.values())


def listed_organizations():
    """Organizations that took part in a published edition, with how many and the first and
    last fiscal year; 1 query. The index groups them by country (Japan, then China)."""
    return (
        Organization.objects.filter(PUBLISHED)
        .annotate(
            edition_count=Count("organizer_roles__seminar", filter=PUBLISHED, distinct=True),
            first_year=Min("organizer_roles__seminar__fiscal_year", filter=PUBLISHED),
            last_year=Max("organizer_roles__seminar__fiscal_year", filter=PUBLISHED),
        )
        .order_by("first_year", "pk")
    )


def by_country(organizations):
    """[(country label, [organization])] in COUNTRY_ORDER, countries without any left out."""
    groups = []
    for country in COUNTRY_ORDER:
        members = [o for o in organizations if o.country == country]
        if members:
            groups.append((country.label, members))
    return groups


def crumbs(request, organization=None):
    """The trail series › organizations › organization, and its BreadcrumbList data."""
    trail = [
        (series_name(), _home_url(current_language())),
        (gettext("Organizations"), reverse("seminars:organizations")),
    ]
    if organization is not None:
        trail.append((localized_text(organization, "name").text, organization_url(organization)))
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": _absolute(request, url)}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }
    return {
        "crumbs": [{"name": name, "url": url} for name, url in trail],
        "json_ld": json_ld_script(data),
    }


def organization_url(organization):
    return reverse("seminars:organization", args=[organization.pk])


def organization_data(request, organization, entries):
    """schema.org Organization with the editions it organized or sponsored (as Events' @ids)."""
    url = _absolute(request, organization_url(organization))
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": f"{url}#organization",
        "name": localized_text(organization, "name").text,
        "url": url,
        "address": {"@type": "PostalAddress", "addressCountry": organization.country},
    }
    other = [
        getattr(organization, f"name_{suffix}") or ""
        for suffix in ("ja", "zh_hans")
        if (getattr(organization, f"name_{suffix}") or "") != data["name"]
    ]
    if any(other):
        data["alternateName"] = [name for name in other if name]
    data["subjectOf"] = [
        {
            "@type": "WebPage",
            "name": edition_label(entry.seminar.edition),
            "url": _absolute(request, entry.seminar.get_absolute_url()),
            "inLanguage": HTML_LANG[current_language()],
            "isPartOf": {"@id": series_id(request)},
        }
        for entry in entries
    ]
    return json_ld_script(data)


def organization_detail(request, pk):
    """One organization and every published edition it took part in, by role."""
    rows = organizer_rows(pk)
    if not rows:
        raise Http404("No published edition has this organization.")
    organization = rows[0].organization
    entries = participations(rows)
    context = {
        "organization": organization,
        "entries": entries,
        "trail": crumbs(request, organization),
        "organization_json_ld": organization_data(request, organization, entries),
        "site": SiteSettings.objects.current(),
    }
    return render(request, "seminars/organization.html", context)


def organization_index(request):
    """Every organization with a published edition, by country."""
    organizations = list(listed_organizations())
    context = {
        "groups": by_country(organizations),
        "organization_count": len(organizations),
        "trail": crumbs(request),
        "site": SiteSettings.objects.current(),
    }
    return render(request, "seminars/organizations.html", context)
