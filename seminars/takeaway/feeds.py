"""The Atom feed of published editions, one per language (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from seminars.models import Seminar, SiteSettings
from seminars.templatetags.seminar_i18n import (
    HTML_LANG,
    edition_label,
    fiscal_year_label,
    localized_text,
)
from seminars.templatetags.seminar_meta import series_name

from .changes import with_changed

FEED_SIZE = 50


def local(moment):
    """A moment in the site's time zone (TIME_ZONE), so that the date part of the feed's dates is
    the day the footer and the sitemap show: the database hands them back in UTC, and between
    00:00 and 08:00 in China the UTC day is the day before."""
    return localtime(moment) if moment is not None else None


class EditionsAtom(Atom1Feed):
    def latest_post_date(self):
        """The feed's `updated`: the footer's "last updated" (one clock, see .changes)."""
        return local(self.feed.get("last_updated")) or super().latest_post_date()


class EditionsFeed(Feed):
    feed_type = EditionsAtom

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

    @property
    def language(self):
        """xml:lang (`ja`, `zh-Hans`). An attribute for Django, which reads `self.language`
        without calling it: a method here wrote `<bound method …>` into the feed."""
        return HTML_LANG.get(get_language(), "ja")

    def feed_extra_kwargs(self, obj):
        site = SiteSettings.objects.current()
        return {"last_updated": site.last_updated if site else None}

    def items(self):
        editions = Seminar.objects.published().for_listing().order_by("-edition")
        return with_changed(editions)[:FEED_SIZE]

    def item_title(self, seminar):
        theme = localized_text(seminar, "theme").text
        city = localized_text(seminar.city, "name").text
        label = f"{edition_label(seminar.edition)} {fiscal_year_label(seminar.fiscal_year)} {city}"
        return f"{label}: {theme}" if theme else label

    def item_description(self, seminar):
        return localized_text(seminar, "summary").text or localized_text(seminar, "theme").text

    def item_pubdate(self, seminar):
        return local(seminar.published_at or seminar.updated_at)

    def item_updateddate(self, seminar):
        return local(seminar.changed)
