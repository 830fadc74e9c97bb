"""sitemap.xml: the series page and every published edition, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from .models import AgendaItem, Organizer, Seminar

# An edition with a published report (programme, organizers, participants or a summary) weighs
# more than one whose record is only its year, city and theme (editions 1–16 of the seed).
REPORT_PRIORITY, LISTING_PRIORITY = 0.8, 0.3


class SeriesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "monthly"
    priority = 1.0

    def items(self):
        return ["seminars:series"]

    def location(self, item):
        return reverse(item)


class SeminarSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "yearly"

    def items(self):
        """In one query: whether each edition has a report."""
        summary = ~Q(summary_ja="") | ~Q(summary_zh_hans="")
        return (
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
        return seminar.updated_at


sitemaps = {"series": SeriesSitemap, "seminars": SeminarSitemap}
