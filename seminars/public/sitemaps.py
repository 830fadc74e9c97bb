"""sitemap.xml: the series, open data and organization index pages, every published edition and
the side-by-side programme of each edition that has one, the page of every organization of a
published edition, and the information pages, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from seminars.models import (
    AgendaItem,
    InfoPage,
    InfoPageKind,
    Organization,
    Organizer,
    Seminar,
)
from seminars.public.paths import edition_path
from seminars.takeaway.changes import with_changed

# An edition with a published report (programme, organizers, participants or a summary) weighs
# more than one whose record is only its year, city and theme (editions 1–16 of the seed).
REPORT_PRIORITY, LISTING_PRIORITY = 0.8, 0.3


class BilingualSitemap(Sitemap):
    """Each page once per language, with its hreflang alternates and the x-default URL."""

    i18n = True
    alternates = True
    x_default = True


class SeriesSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return ["seminars:series", "seminars:open_data", "seminars:organizations"]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "seminars:series" else 0.5


class SeminarSitemap(BilingualSitemap):
    changefreq = "yearly"

    def items(self):
        """In one query: whether each edition has a report."""
        # `> ""`, not `!= ""`: a summary left NULL (modeltranslation's empty) is no report.
        summary = Q(summary_ja__gt="") | Q(summary_zh_hans__gt="")
        return with_changed(
            Seminar.objects.published()
            .annotate(
                has_report=Exists(AgendaItem.objects.filter(seminar=OuterRef("pk")))
                | Exists(Organizer.objects.filter(seminar=OuterRef("pk")))
                | Exists(
                    Seminar._meta.get_field("delegations").related_model.objects.filter(
                        seminar=OuterRef("pk")
                    )
                )
                | Q(summary),
            )
            .order_by("edition")
        )

    def priority(self, seminar):
        return REPORT_PRIORITY if seminar.has_report else LISTING_PRIORITY

    def lastmod(self, seminar):
        return seminar.changed  # the edition's last change (seminars.takeaway.changes)


class ProgrammeSitemap(BilingualSitemap):
    """The side-by-side programme of each published edition with agenda items (for the others the
    page would only say that no programme was published)."""

    changefreq = "yearly"
    priority = 0.5

    def items(self):
        return with_changed(
            Seminar.objects.published()
            .filter(Exists(AgendaItem.objects.filter(seminar=OuterRef("pk"))))
            .order_by("edition")
        )

    def location(self, seminar):
        return edition_path("seminars:programme", seminar.edition)

    def lastmod(self, seminar):
        return seminar.changed  # the edition's last change (seminars.takeaway.changes)


class OrganizationSitemap(BilingualSitemap):
    """The page of each organization that took part in a published edition (the others answer
    404): one query."""

    changefreq = "yearly"
    priority = 0.4

    def items(self):
        return (
            Organization.objects.filter(organizer_roles__seminar__status=Seminar.Status.PUBLISHED)
            .distinct()
            .order_by("pk")
        )

    def location(self, organization):
        return reverse("seminars:organization", args=[organization.pk])


class InfoPageSitemap(BilingualSitemap):
    """Site policy, privacy and accessibility. Their kinds are fixed (the migrations create one
    page of each, the admin adds and deletes none): listed without a query, so the sitemap keeps
    its budget of two."""

    changefreq = "yearly"
    priority = 0.2

    def items(self):
        return list(InfoPageKind)

    def location(self, kind):
        return reverse(InfoPage.URL_NAMES[kind])


sitemaps = {
    "series": SeriesSitemap,
    "seminars": SeminarSitemap,
    "programmes": ProgrammeSitemap,
    "organizations": OrganizationSitemap,
    "info": InfoPageSitemap,
}
