"""sitemap.xml: the series page and every published edition, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Seminar


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
    priority = 0.8

    def items(self):
        return Seminar.objects.published().order_by("edition")

    def lastmod(self, seminar):
        return seminar.updated_at


sitemaps = {"series": SeriesSitemap, "seminars": SeminarSitemap}
