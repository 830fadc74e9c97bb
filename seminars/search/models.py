"""The search index: each text of each published edition, as written and folded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    """What a text is, in the order an edition's matches are listed."""

    TITLE = "title", _("title")
    THEME = "theme", _("theme")
    CITY = "city", _("host city")
    PROVINCE = "province", _("province")
    ORGANIZATION = "organization", _("organization")
    PERSON = "person", _("person")
    POSITION = "position", _("position")
    AFFILIATION = "affiliation", _("affiliation")
    PROGRAMME = "programme", _("programme")
    VENUE = "venue", _("venue")
    DESCRIPTION = "description", _("description")
    SUMMARY = "summary", _("summary")


class SearchEntry(models.Model):
    """One text of a published edition with its folded form (seminars.search.folding); rows
    exist only for published editions and are written only by seminars.search.index."""

    Kind = EntryKind

    seminar = models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        related_name="search_entries",
        verbose_name=_("edition"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    text = models.TextField(_("text"))
    folded = models.TextField(_("folded text"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        ordering = ["seminar", "order"]

    def __str__(self):
        return self.text
