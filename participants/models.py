"""Who came: the delegations of each side with their counts, and the named people."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seminars.models import AgendaItem, choices_constraint, order_field, seminar_field

# A guard against typos (5900 for 59): no delegation of a seminar comes near this.
MAX_PARTICIPANTS = 100_000


class Side(models.TextChoices):
    JAPAN = "japan", _("Japan side")
    CHINA = "china", _("China side")


class Delegation(models.Model):
    """One side's delegation to an edition, with its participant count."""

    seminar = seminar_field("delegations")
    side = models.CharField(_("side"), max_length=10, choices=Side)
    description = models.CharField(_("description"), max_length=300, blank=True)
    participant_count = models.PositiveIntegerField(
        _("participant count"), validators=[MaxValueValidator(MAX_PARTICIPANTS)]
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["seminar__edition", "side"]
        # django-import-export checks these (IMPORT_EXPORT_*_PERMISSION_CODE in settings).
        permissions = [
            ("import_delegation", _("Can import delegation counts")),
            ("export_delegation", _("Can export delegation counts")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "side"], name="participants_delegation_unique_side"
            ),
            models.CheckConstraint(
                condition=Q(participant_count__gte=0),
                name="participants_delegation_count_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(participant_count__lte=MAX_PARTICIPANTS),
                name="participants_delegation_count_plausible",
                violation_error_message=_(
                    "A delegation cannot have more than 100,000 participants."
                ),
            ),
            choices_constraint("participants_delegation", "side", Side),
        ]

    def __str__(self):
        return f"{self.seminar} {self.get_side_display()}"


class Participant(models.Model):
    """A named person of one side, with position and organization, linked to the agenda items
    where they speak; listed in the delegation's row only when it holds them."""

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("delegation"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The position as the source gives it (長野県須坂市長), never composed from the affiliation and
    # a title (長野県須坂市 + 市長 would read 長野県須坂市市長): the page shows it instead of the
    # affiliation, which it shows only when no position is given.
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.CharField(
        _("affiliation"),
        max_length=200,
        blank=True,
        help_text=_("The body the person represents, e.g. 須坂市 / 须坂市."),
    )
    listed_with_delegation = models.BooleanField(
        _("listed with the delegation"),
        default=True,
        help_text=_(
            "Untick for someone who appears in the programme (greetings, keynote) but is not one "
            "of the people the delegation's description stands for."
        ),
    )
    agenda_items = models.ManyToManyField(
        AgendaItem, related_name="speakers", blank=True, verbose_name=_("agenda items")
    )
    order = order_field()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name
