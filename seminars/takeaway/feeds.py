"""The Atom feed of published editions, one per language (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext

from seminars.models import Seminar
from seminars.templatetags.seminar_i18n import (
    HTML_LANG,
    edition_label,
    fiscal_year_label,
    localized_text,
)
from seminars.templatetags.seminar_meta import series_name

FEED_SIZE = 50


class EditionsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return series_name()

    def author_name(self):
        return self.title()  # Atom needs an author; the series publishes its own record

    def subtitle(self):
        return gettext("Published editions of the seminar series")

    def link(self):
        return reverse("seminars:series")

    def feed_url(self):
        return reverse("seminars:feed")

    def language(self):
        return HTML_LANG.get(get_language(), "ja")

    def items(self):
        return Seminar.objects.published().for_listing().order_by("-edition")[:FEED_SIZE]

    def item_title(self, seminar):
        theme = localized_text(seminar, "theme").text
        city = localized_text(seminar.city, "name").text
        label = f"{edition_label(seminar.edition)} {fiscal_year_label(seminar.fiscal_year)} {city}"
        return f"{label}: {theme}" if theme else label

    def item_description(self, seminar):
        return localized_text(seminar, "summary").text or localized_text(seminar, "theme").text

    def item_pubdate(self, seminar):
        return seminar.published_at or seminar.updated_at

    def item_updateddate(self, seminar):
        return seminar.updated_at
