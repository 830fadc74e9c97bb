"""The event record: cities, editions, organizers by role, the agenda and photos."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Prefetch, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
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


def choices_constraint(prefix, field, choices):
    """The column holds one of `choices` (a form checks it; raw SQL and imports might not)."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"{prefix}_{field}_valid"
    )


def coordinate_field(verbose_name, limit, **kwargs):
    """Decimal degrees, optional, within ±`limit` (90 for a latitude, 180 for a longitude)."""
    return models.FloatField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
        **kwargs,
    )


def user_field(verbose_name):
    """The staff member behind a change; kept as empty when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def edition_label(edition, fiscal_year):
    return _("Seminar %(edition)s (FY%(year)s)") % {"edition": edition, "year": fiscal_year}


def seminar_field(related_name):
    """The edition a row belongs to (deleted with it)."""
    return models.ForeignKey(
        "seminars.Seminar",
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("seminar"),
    )


def start_end_constraints(prefix, stem, needs_start, after_start, *, strict=False):
    """`end_<stem>` needs `start_<stem>` and does not come before it (`strict`: comes after)."""
    start, end = f"start_{stem}", f"end_{stem}"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": False}),
            name=f"{prefix}_end_needs_start",
            violation_error_message=needs_start,
        ),
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True})
            | Q(**{f"{end}__isnull": True})
            | Q(**{f"{end}__{'gt' if strict else 'gte'}": F(start)}),
            name=f"{prefix}_end_after_start",
            violation_error_message=after_start,
        ),
    ]


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
    latitude = coordinate_field(
        _("latitude"),
        90,
        help_text=_("Decimal degrees north, e.g. 31.47 (places the city on the map)."),
    )
    longitude = coordinate_field(
        _("longitude"),
        180,
        help_text=_("Decimal degrees east, e.g. 104.68."),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="seminars_city_latitude_range",
                violation_error_message=_("The latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="seminars_city_longitude_range",
                violation_error_message=_("The longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="seminars_city_coordinates_together",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
        ]

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

    def neighbours_of(self, seminar, including=False):
        """The previous and next editions around `seminar`, in one query (filter first);
        `including`: the edition numbered like `seminar` too (the same query, one more row)."""
        earlier = self.filter(edition__lt=seminar.edition).order_by("-edition").values("edition")
        later = self.filter(edition__gt=seminar.edition).order_by("edition").values("edition")
        around = Q(edition=Subquery(earlier[:1])) | Q(edition=Subquery(later[:1]))
        if including:
            around |= Q(edition=seminar.edition)
        return self.select_related("city").filter(around)

    def _related_model(self, *names):
        """The model at the end of a chain of reverse relations, looked up at call time."""
        model = self.model
        for name in names:
            model = model._meta.get_field(name).related_model
        return model


class SeminarStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Seminar(models.Model):
    """One edition of the series (第N回 / 第N届), held in one Chinese city in one fiscal year."""

    Status = SeminarStatus

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
            *start_end_constraints(
                "seminars_seminar",
                "date",
                _("An end date needs a start date."),
                _("The end date cannot be before the start date."),
            ),
            choices_constraint("seminars_seminar", "status", SeminarStatus),
        ]

    def __str__(self):
        return edition_label(self.edition, self.fiscal_year)

    def get_absolute_url(self):
        from seminars.public.paths import edition_path  # one reversal per language and prefix

        return edition_path("seminars:detail", self.edition)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def allows_agenda_date(self, day):
        """As the database trigger decides: no start date leaves days free; no end, one day."""
        if self.start_date is None or day is None:
            return True
        return self.start_date <= day <= (self.end_date or self.start_date)

    def clean(self):
        """The new dates must keep every stored agenda item (the trigger checks them first).

        On the edition page the agenda rows decide instead (seminars.admin.agenda_rows): they know
        which rows are marked for deletion and move the programme with the start date.
        """
        if self.pk is None or self.start_date is None:
            return
        if getattr(self, "agenda_rows", None) is not None:
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

    Moved forward in the same transaction as every such save (seminars.record.versions); every form
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
    saved_by = user_field(_("saved by"))
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("edition version")
        verbose_name_plural = _("edition versions")

    def __str__(self):
        return f"{self.seminar_id}: {self.number}"


class TranslationStateKind(models.TextChoices):
    CURRENT = "current", _("current")
    STALE = "stale", _("stale")


class TranslationState(models.Model):
    """What a translated text was translated from: the source text when the translation was
    saved, and whether that source has changed since (stale). One row per field and language of
    the translation; kept by seminars.record.translation_state on every save of a translated
    model."""

    State = TranslationStateKind

    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="translation_states",
        verbose_name=_("content type"),
    )
    object_id = models.PositiveIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=10)
    # The edition the text belongs to (None: a city or an organization, shared by editions).
    seminar = models.ForeignKey(
        "Seminar",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="translation_states",
        verbose_name=_("seminar"),
    )
    source_language = models.CharField(_("source language"), max_length=10)
    source_text_at_translation = models.TextField(_("source text when translated"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CURRENT
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="seminars_translationstate_unique_field_language",
            ),
            choices_constraint("seminars_translationstate", "state", TranslationStateKind),
        ]

    def __str__(self):
        return f"{self.content_type_id}.{self.object_id}.{self.field} {self.language}: {self.state}"


class TrashedEdition(models.Model):
    """A deleted edition with everything that belonged to it, until a publisher restores it (as a
    draft) or purges it. Rows are kept as Django's serialized data, photo files under trash/."""

    edition = models.PositiveSmallIntegerField(_("edition"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    theme_ja = models.CharField(_("theme (Japanese)"), max_length=300, blank=True)
    theme_zh_hans = models.CharField(_("theme (Chinese)"), max_length=300, blank=True)
    rows = models.JSONField(_("rows"))
    files = models.JSONField(_("files"), default=list)
    deleted_by = user_field(_("deleted by"))
    deleted_at = models.DateTimeField(_("deleted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deleted edition")
        verbose_name_plural = _("deleted editions")
        ordering = ["-deleted_at", "-pk"]

    def __str__(self):
        return edition_label(self.edition, self.fiscal_year)


class Organization(models.Model):
    """A government body or association that organizes or supports editions."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["pk"]
        constraints = [
            choices_constraint("seminars_organization", "country", Country),
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


class OrganizerRole(models.TextChoices):
    HOST = "host", _("Host")
    CO_HOST = "co_host", _("Co-host")
    SPONSOR = "sponsor", _("Supporting sponsor")


class Organizer(models.Model):
    """An organization's role in one edition: host, co-host or supporting sponsor."""

    Role = OrganizerRole

    seminar = seminar_field("organizers")
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
            choices_constraint("seminars_organizer", "role", OrganizerRole),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.organization}"


class AgendaKind(models.TextChoices):
    PLENARY = "plenary", _("Plenary session")
    MEETING = "meeting", _("Meeting")
    RECEPTION = "reception", _("Reception")
    GREETING = "greeting", _("Greeting")
    KEYNOTE = "keynote", _("Keynote speech")
    SPECIAL_LECTURE = "special_lecture", _("Special lecture")
    PANEL = "panel", _("Panel discussion")
    EXCHANGE = "exchange", _("Exchange meeting")
    LECTURE = "lecture", _("Lecture")
    STUDY_VISIT = "study_visit", _("Study visit")


class AgendaItem(models.Model):
    """One item of an edition's programme, on one day, at local China time."""

    Kind = AgendaKind

    seminar = seminar_field("agenda_items")
    session = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("session"),
        help_text=_("The session this item is part of (e.g. the plenary session), if any."),
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
            *start_end_constraints(
                "seminars_agendaitem",
                "time",
                _("An end time needs a start time."),
                _("The end time must be after the start time."),
                strict=True,
            ),
            choices_constraint("seminars_agendaitem", "kind", AgendaKind),
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
        self._clean_session()

    def _clean_session(self):
        """A part belongs to a session of the same edition and day; sessions do not nest."""
        session = self.session if self.session_id else None
        if session is None:
            return
        if session.pk == self.pk or session.session_id is not None:
            raise ValidationError(
                {"session": _("A session cannot be part of another session.")},
                code="session_nested",
            )
        if self.pk and self.parts.exists():
            raise ValidationError(
                {"session": _("This item has parts of its own; it cannot be part of a session.")},
                code="session_has_parts",
            )
        if session.seminar_id != self.seminar_id or (self.date and session.date != self.date):
            raise ValidationError(
                {"session": _("The session must be of the same seminar and on the same day.")},
                code="session_elsewhere",
            )


def photo_upload_to(instance, filename):
    """Generated names: an uploader's file name never reaches the disk (it is kept in a field)."""
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"photos/{uuid.uuid4().hex}{suffix}"


class Photo(models.Model):
    """A photograph of an edition with its caption, in a web size and a thumbnail."""

    # Every file a photo row owns: removed with the row, kept with it in the trash.
    FILE_FIELDS = ("image", "thumbnail", "original")

    seminar = seminar_field("photos")
    caption = models.CharField(_("caption"), max_length=300)
    image = models.ImageField(
        _("image"),
        upload_to=photo_upload_to,
        blank=True,
        help_text=_("Resized to the web size on upload; the thumbnail is made from it."),
    )
    width = models.PositiveIntegerField(_("width"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True, editable=False)
    thumbnail = models.ImageField(
        _("thumbnail"),
        upload_to=photo_upload_to,
        blank=True,
        editable=False,
    )
    thumbnail_width = models.PositiveIntegerField(
        _("thumbnail width"), null=True, blank=True, editable=False
    )
    thumbnail_height = models.PositiveIntegerField(
        _("thumbnail height"), null=True, blank=True, editable=False
    )
    original = models.FileField(
        _("original file"),
        upload_to=photo_upload_to,
        blank=True,
        editable=False,
        help_text=_("The uploaded file as re-encoded, kept only when PHOTO_KEEP_ORIGINALS is on."),
    )
    original_name = models.CharField(
        _("original file name"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The name of the uploaded file, for reference; never used on disk."),
    )
    order = order_field()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.caption

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:  # a new upload: make the renditions
            from seminars.media.images import make_renditions
            from seminars.media.uploads import saving_files

            make_renditions(self)
            # Files first, then the row; a full disk midway leaves neither (nor partial files).
            saving_files(self, self.FILE_FIELDS, lambda: super(Photo, self).save(*args, **kwargs))
            return
        if not self.image:
            self.thumbnail = ""
            self.width = self.height = self.thumbnail_width = self.thumbnail_height = None
        super().save(*args, **kwargs)

    @property
    def file_name(self):
        """The name staff know the photo by: the uploaded file's (e.g. DSC_0412.JPG), or for a
        photo stored before names were kept, its file's own name."""
        return self.original_name or (PurePath(self.image.name).name if self.image else "")

    @property
    def large_url(self):
        """The biggest image kept: the original when kept, else the web size."""
        return (self.original or self.image).url


class SiteSettingsQuerySet(models.QuerySet):
    """The one record, read without a query per request: kept in the page cache's store (files
    shared by a host's workers, or Redis), under the build's prefix like the pages it feeds.
    Every content change drops it (seminars.public.invalidation) and the commit stores it again."""

    CACHE_KEY = "site:settings"
    NO_RECORD = False  # cached too: a database without the record (flushed) reads it once

    def _cache(self):
        from django.core.cache import caches

        return caches[settings.CACHE_MIDDLEWARE_ALIAS]

    def current(self):
        """The record with `last_updated`, from the cache; read (and stored) on a miss."""
        site = self._cache().get(self.CACHE_KEY)
        if site is None:
            return self.refresh(add=True)
        return site or None

    def refresh(self, add=False):
        """Read the record and store it for the next `current()`; the footer's date is kept
        too (stored pages show it), unless one is kept already (`add`)."""
        site = self.from_database()
        cache = self._cache()
        cache.set(self.CACHE_KEY, self.NO_RECORD if site is None else site)
        if site is not None:
            store = cache.add if add else cache.set
            store(SiteSettings.FOOTER_DAY_KEY, site.last_updated_day, None)
        return site

    def forget(self):
        self._cache().delete(self.CACHE_KEY)

    def from_database(self):
        """The one record, with `last_updated`: its own change or the latest published edition's
        (the edition or anything in it), in one query. None before the first migration."""
        published = Seminar.objects.published()
        latest_edition = published.order_by("-updated_at").values("updated_at")[:1]
        latest_part = (
            EditionVersion.objects.filter(seminar__status=SeminarStatus.PUBLISHED)
            .exclude(saved_at=None)
            .order_by("-saved_at")
            .values("saved_at")[:1]
        )
        return (
            self.filter(pk=SiteSettings.SINGLETON_ID)
            .annotate(latest_edition=Subquery(latest_edition), latest_part=Subquery(latest_part))
            .first()
        )


class SiteSettings(models.Model):
    """The publisher and the site's own texts: one record, edited in the admin in both languages."""

    SINGLETON_ID = 1
    FOOTER_DAY_KEY = "site:footer-day"  # the "last updated" date stored pages show

    publisher_name = models.CharField(
        _("publisher"),
        max_length=200,
        help_text=_("The full name of the publishing body, as shown in the footer."),
    )
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    publisher_url = models.URLField(_("publisher's website"), blank=True)
    introduction = models.TextField(
        _("series introduction"),
        blank=True,
        help_text=_("What the series is, shown at the top of the home page."),
    )
    contact = models.TextField(
        _("contact"),
        blank=True,
        help_text=_("Contact address of the office in charge (department, address, telephone)."),
    )
    contact_url = models.URLField(_("contact page"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    copyright = models.CharField(
        _("copyright line"),
        max_length=200,
        blank=True,
        help_text=_("e.g. © CLAIR. Shown in the footer of every page."),
    )
    map_image = models.ImageField(
        _("map image"),
        upload_to="site/",
        blank=True,
        help_text=_(
            "An officially approved map replacing the built-in outline of China. It must be in an "
            "equirectangular projection (longitude and latitude spaced evenly) covering the "
            "bounding box below, so that the host cities are placed by their coordinates."
        ),
    )
    map_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    map_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    map_west = coordinate_field(_("map west edge (longitude)"), 180)
    map_east = coordinate_field(_("map east edge (longitude)"), 180)
    map_south = coordinate_field(_("map south edge (latitude)"), 90)
    map_north = coordinate_field(_("map north edge (latitude)"), 90)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SiteSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="seminars_sitesettings_singleton"),
            models.CheckConstraint(
                condition=Q(map_image="")
                | Q(
                    map_west__isnull=False,
                    map_east__isnull=False,
                    map_south__isnull=False,
                    map_north__isnull=False,
                    map_east__gt=F("map_west"),
                    map_north__gt=F("map_south"),
                ),
                name="seminars_sitesettings_map_bounds",
                violation_error_message=_(
                    "A map image needs its bounding box: west < east and south < north."
                ),
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        if self.map_image and not self.map_image._committed:  # a new upload: its size
            from django.core.files.images import get_image_dimensions

            self.map_image_width, self.map_image_height = get_image_dimensions(self.map_image)
        elif not self.map_image:
            self.map_image_width = self.map_image_height = None
        super().save(*args, **kwargs)

    @property
    def last_updated(self):
        """The latest of this record's change and the published editions' changes."""
        times = [
            getattr(self, "latest_edition", None),
            getattr(self, "latest_part", None),
            self.updated_at,
        ]
        times = [t for t in times if t is not None]
        return max(times) if times else None

    @property
    def last_updated_day(self):
        """The date the footer shows (in the site's time zone), as text; "" without one."""
        from django.utils.timezone import localdate

        return localdate(self.last_updated).isoformat() if self.last_updated else ""

    @property
    def map_bounds(self):
        """(west, south, east, north) of the uploaded map, or None (the built-in outline)."""
        if not self.map_image:
            return None
        return (self.map_west, self.map_south, self.map_east, self.map_north)


def agenda_item_label(item):
    """ "本会議：基調講演 (第17回)": agenda titles repeat from year to year, so lists and selects
    that offer items of several editions name the edition too."""
    return gettext("%(title)s (%(seminar)s)") % {"title": item, "seminar": item.seminar}


class InfoPageKind(models.TextChoices):
    """The pages a Japanese or Chinese public body's site carries, one of each."""

    SITE_POLICY = "site_policy", _("site policy")
    PRIVACY = "privacy", _("privacy policy")
    ACCESSIBILITY = "accessibility", _("accessibility statement")


class InfoPage(models.Model):
    """Site policy, privacy and accessibility: one page of each kind, in both languages, edited
    in the admin (title and body translated) and linked from every public page's footer."""

    URL_NAMES = {
        InfoPageKind.SITE_POLICY: "seminars:site_policy",
        InfoPageKind.PRIVACY: "seminars:privacy",
        InfoPageKind.ACCESSIBILITY: "seminars:accessibility",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=InfoPageKind, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Plain text; an empty line starts a new paragraph, and a paragraph whose first line "
            "starts with “## ” has that line as its heading."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")
        ordering = ["kind"]
        constraints = [choices_constraint("seminars_infopage", "kind", InfoPageKind)]

    def __str__(self):
        return self.title or self.get_kind_display()

    def get_absolute_url(self):
        return reverse(self.URL_NAMES[self.kind])


# --- review before publishing (seminars.record.review decides every transition) ---------------


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    READY = "ready", _("Ready for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", _("marked ready for review")
    WITHDRAW = "withdraw", _("took back from review")
    REQUEST_CHANGES = "request_changes", _("requested changes")
    APPROVE = "approve", _("approved")
    RESET = "reset", _("approval withdrawn: the edition changed after its approval")
    SCHEDULE = "schedule", _("set the publication schedule")
    PUBLISH = "publish", _("published after approval")
    PUBLISH_UNAPPROVED = "publish_unapproved", _("published without approval")
    UNPUBLISH = "unpublish", _("unpublished")


class EditionReview(models.Model):
    """Where an edition is in its review, and when it is to be published or unpublished.

    A table of its own, not columns of the edition: a review decision is no change of the
    content (no new version, no page-cache work, never brought back by a restore)."""

    seminar = models.OneToOneField(
        Seminar,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="review",
        verbose_name=_("seminar"),
    )
    state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState, default=ReviewState.DRAFT
    )
    approved_version = models.PositiveIntegerField(_("approved version"), null=True, blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            choices_constraint("seminars_editionreview", "state", ReviewState),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True) | Q(state=ReviewState.APPROVED),
                name="seminars_editionreview_publish_at_needs_approval",
                violation_error_message=_("Only an approved edition can be scheduled."),
            ),
            models.CheckConstraint(
                condition=Q(publish_at__isnull=True)
                | Q(unpublish_at__isnull=True)
                | Q(unpublish_at__gt=F("publish_at")),
                name="seminars_editionreview_unpublish_after_publish",
                violation_error_message=_("The unpublication must come after the publication."),
            ),
        ]

    def __str__(self):
        return f"{self.seminar_id}: {self.state}"


class ReviewEvent(models.Model):
    """One step of an edition's review: a decision, its comment (on the edition or on one of
    its fields), a schedule; shown in the edition's history."""

    seminar = seminar_field("review_events")
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction)
    state = models.CharField(_("review state"), max_length=20, choices=ReviewState)
    field = models.CharField(_("field"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=4000)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    unpublish_at = models.DateTimeField(_("unpublish at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    user = user_field(_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["created_at", "pk"]
        constraints = [
            choices_constraint("seminars_reviewevent", "action", ReviewAction),
            choices_constraint("seminars_reviewevent", "state", ReviewState),
            models.CheckConstraint(
                condition=~Q(action=ReviewAction.REQUEST_CHANGES) | ~Q(comment=""),
                name="seminars_reviewevent_comment_required",
                violation_error_message=_("A request for changes needs a comment."),
            ),
        ]

    def __str__(self):
        return f"{self.seminar_id}: {self.action}"


# The search index's table belongs to this app (its migrations); its code is seminars/search/.
from seminars.search.models import SearchEntry  # noqa: E402, F401
