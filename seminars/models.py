"""The event record: cities, editions, organizers by role, the agenda and photos."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Prefetch, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Field validators repeat the database's ranges so a form names the field, and so SQLite (whose
# integers have no small/large sizes) refuses what PostgreSQL would.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2000, 2100
MAX_EDITION = LAST_FISCAL_YEAR - FIRST_FISCAL_YEAR + 1  # one edition a fiscal year
MAX_ORDER = 32767  # PostgreSQL smallint


def order_field():
    return models.PositiveSmallIntegerField(
        _("order"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )


class Country(models.TextChoices):
    JAPAN = "JP", _("Japan")
    CHINA = "CN", _("China")


class City(models.Model):
    """A Chinese city that hosted (or will host) an edition."""

    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(
        _("province"),
        max_length=100,
        blank=True,
        help_text=_("Province or autonomous region; empty for municipalities such as Beijing."),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class SeminarQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Seminar.Status.PUBLISHED)

    def for_listing(self):
        """Everything the series page shows, in one query."""
        return self.select_related("city").order_by("edition")

    def for_detail(self):
        """Everything an edition page shows, in a fixed number of queries."""
        return self.select_related("city").prefetch_related(
            Prefetch(
                "organizers",
                queryset=Organizer.objects.select_related("organization").in_role_order(),
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.order_by("date", "order", "start_time", "pk"),
            ),
            Prefetch("photos", queryset=Photo.objects.order_by("order", "pk")),
            # Reverse relations from the participants app, named by string: seminars never
            # imports participants. The nested ones go to plain lists (`to_attr`): a related
            # manager and a queryset per agenda item cost more than the query itself.
            Prefetch(
                "agenda_items__speakers",
                queryset=self._related_model("agenda_items", "speakers").objects.order_by(
                    "order", "pk"
                ),
                to_attr="speakers_in_order",
            ),
            Prefetch(
                "delegations",
                # "japan" before "china", as the reports list them.
                queryset=self._related_model("delegations").objects.order_by("-side"),
            ),
            Prefetch(
                "delegations__participants",
                queryset=self._related_model("delegations", "participants").objects.order_by(
                    "order", "pk"
                ),
                to_attr="participants_in_order",
            ),
        )

    def neighbours_of(self, seminar):
        """The previous and next editions around `seminar`, in one query (filter first)."""
        earlier = self.filter(edition__lt=seminar.edition).order_by("-edition").values("edition")
        later = self.filter(edition__gt=seminar.edition).order_by("edition").values("edition")
        return self.select_related("city").filter(
            Q(edition=Subquery(earlier[:1])) | Q(edition=Subquery(later[:1]))
        )

    def _related_model(self, *names):
        """The model at the end of a chain of reverse relations, looked up at call time."""
        model = self.model
        for name in names:
            model = model._meta.get_field(name).related_model
        return model


class Seminar(models.Model):
    """One edition of the series (第N回 / 第N届), held in one Chinese city in one fiscal year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    edition = models.PositiveSmallIntegerField(
        _("edition"),
        help_text=_("The N in 第N回 / 第N届."),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EDITION)],
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        help_text=_("Japanese fiscal year (April to March), e.g. 2018."),
        validators=[MinValueValidator(FIRST_FISCAL_YEAR), MaxValueValidator(LAST_FISCAL_YEAR)],
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="seminars", verbose_name=_("host city")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Optional; the page uses the theme, or “Nth seminar”, when empty."),
    )
    theme = models.CharField(
        _("theme"), max_length=300, blank=True, help_text=_("The 1st edition had no theme.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SeminarQuerySet.as_manager()

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["edition"]
        permissions = [("publish_seminar", _("Can publish and unpublish seminars"))]
        constraints = [
            models.UniqueConstraint(fields=["edition"], name="seminars_seminar_unique_edition"),
            models.UniqueConstraint(
                fields=["fiscal_year"], name="seminars_seminar_unique_fiscal_year"
            ),
            models.CheckConstraint(
                condition=Q(edition__gte=1),
                name="seminars_seminar_edition_positive",
                violation_error_message=_("The edition number starts at 1."),
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=FIRST_FISCAL_YEAR, fiscal_year__lte=LAST_FISCAL_YEAR),
                name="seminars_seminar_fiscal_year_range",
                violation_error_message=_("The fiscal year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="seminars_seminar_end_needs_start",
                violation_error_message=_("An end date needs a start date."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="seminars_seminar_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]),
                name="seminars_seminar_status_valid",
            ),
        ]

    def __str__(self):
        return _("Seminar %(edition)s (FY%(year)s)") % {
            "edition": self.edition,
            "year": self.fiscal_year,
        }

    def get_absolute_url(self):
        return reverse("seminars:detail", kwargs={"edition": self.edition})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def allows_agenda_date(self, day):
        """As the database trigger decides: no start date leaves days free; no end, one day."""
        if self.start_date is None or day is None:
            return True
        return self.start_date <= day <= (self.end_date or self.start_date)

    def clean(self):
        """The new dates must keep every stored agenda item (the trigger checks them first)."""
        if self.pk is None or self.start_date is None:
            return
        outside = sorted(
            {
                day
                for day in self.agenda_items.values_list("date", flat=True)
                if not self.allows_agenda_date(day)
            }
        )
        if outside:
            raise ValidationError(
                _(
                    "Agenda items on %(days)s would fall outside these dates. Move or delete "
                    "those agenda items first, then change the dates."
                ),
                code="agenda_outside_dates",
                params={"days": ", ".join(date_format(day, "DATE_FORMAT") for day in outside)},
            )

    @property
    def participant_count(self):
        """The total: the sum of the delegations (derived, never stored)."""
        annotated = getattr(self, "participant_total", None)
        if annotated is not None:
            return annotated
        return sum(d.participant_count for d in self.delegations.all())


class EditionVersion(models.Model):
    """How often an edition, or anything that belongs to it, was saved; by whom and when.

    Moved forward in the same transaction as every such save (seminars.versions); every form
    that edits the edition carries the number it was loaded with and is refused when stale.
    A table of its own, so that the history and a revert never carry an old number back.
    """

    seminar = models.OneToOneField(
        Seminar,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="version",
        verbose_name=_("seminar"),
    )
    number = models.PositiveIntegerField(_("version"), default=0)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("edition version")
        verbose_name_plural = _("edition versions")

    def __str__(self):
        return f"{self.seminar_id}: {self.number}"


class TrashedEdition(models.Model):
    """A deleted edition with everything that belonged to it, until a publisher restores it (as a
    draft) or purges it. Rows are kept as Django's serialized data, photo files under trash/."""

    edition = models.PositiveSmallIntegerField(_("edition"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    theme_ja = models.CharField(_("theme (Japanese)"), max_length=300, blank=True)
    theme_zh_hans = models.CharField(_("theme (Chinese)"), max_length=300, blank=True)
    rows = models.JSONField(_("rows"))
    files = models.JSONField(_("files"), default=list)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deleted edition")
        verbose_name_plural = _("deleted editions")
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return _("Seminar %(edition)s (FY%(year)s)") % {
            "edition": self.edition,
            "year": self.fiscal_year,
        }


class Organization(models.Model):
    """A government body or association that organizes or supports editions."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(country__in=["JP", "CN"]),
                name="seminars_organization_country_valid",
            ),
        ]

    def __str__(self):
        return self.name


class OrganizerQuerySet(models.QuerySet):
    def in_role_order(self):
        """Host → co-host → sponsor, then the staff's order (never translated text)."""
        rank = Case(
            *(When(role=role, then=Value(i)) for i, role in enumerate(Organizer.Role)),
            output_field=models.IntegerField(),
        )
        return self.alias(role_rank=rank).order_by("role_rank", "order", "pk")


class Organizer(models.Model):
    """An organization's role in one edition: host, co-host or supporting sponsor."""

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_HOST = "co_host", _("Co-host")
        SPONSOR = "sponsor", _("Supporting sponsor")

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="organizers", verbose_name=_("seminar")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="organizer_roles",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    order = order_field()

    objects = OrganizerQuerySet.as_manager()

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "organization", "role"],
                name="seminars_organizer_unique_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["host", "co_host", "sponsor"]),
                name="seminars_organizer_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.organization}"


class AgendaItem(models.Model):
    """One item of an edition's programme, on one day, at local China time."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        RECEPTION = "reception", _("Reception")
        GREETING = "greeting", _("Greeting")
        KEYNOTE = "keynote", _("Keynote speech")
        SPECIAL_LECTURE = "special_lecture", _("Special lecture")
        PANEL = "panel", _("Panel discussion")
        EXCHANGE = "exchange", _("Exchange meeting")
        LECTURE = "lecture", _("Lecture")
        STUDY_VISIT = "study_visit", _("Study visit")

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("seminar")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = order_field()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["date", "order", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(start_time__isnull=False),
                name="seminars_agendaitem_end_needs_start",
                violation_error_message=_("An end time needs a start time."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="seminars_agendaitem_end_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "meeting",
                        "reception",
                        "greeting",
                        "keynote",
                        "special_lecture",
                        "panel",
                        "exchange",
                        "lecture",
                        "study_visit",
                    ]
                ),
                name="seminars_agendaitem_kind_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        seminar = self.seminar if self.seminar_id else None
        if seminar and self.date and not seminar.allows_agenda_date(self.date):
            if seminar.end_date:
                message = _("The date must fall within the seminar's dates.")
            else:
                message = _(
                    "The seminar has no end date, so it is one day: the date must be its "
                    "start date. Set the seminar's end date first for a longer programme."
                )
            raise ValidationError({"date": message}, code="date_outside_seminar")


def photo_upload_to(instance, filename):
    """Generated names: an uploader's file name never reaches the disk."""
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"photos/{uuid.uuid4().hex}{suffix}"


class Photo(models.Model):
    """A photograph of an edition with its caption."""

    seminar = models.ForeignKey(
        Seminar, on_delete=models.CASCADE, related_name="photos", verbose_name=_("seminar")
    )
    caption = models.CharField(_("caption"), max_length=300)
    image = models.ImageField(_("image"), upload_to=photo_upload_to, blank=True)
    order = order_field()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption
