"""Writes of the editorial workflow: publishing, unpublishing and copying an edition.

Each runs in one transaction; the write guard (seminars.guards) decides, for the acting user,
whether it may happen and logs every change of publication.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from .completeness import languages, translated_fields
from .models import AgendaItem, Organizer, Seminar

# 52 weeks: the copy keeps each day's weekday.
NEXT_EDITION_SHIFT = datetime.timedelta(days=364)


class CopyRefused(Exception):
    """The next edition cannot be created; the message says why."""


@transaction.atomic
def publish(seminar, when=None):
    seminar.status = Seminar.Status.PUBLISHED
    seminar.published_at = when or timezone.now()
    seminar.save(update_fields=["status", "published_at", "updated_at"])


@transaction.atomic
def unpublish(seminar):
    seminar.status = Seminar.Status.DRAFT
    seminar.published_at = None
    seminar.save(update_fields=["status", "published_at", "updated_at"])


def _shift(day):
    return day + NEXT_EDITION_SHIFT if day else None


def _check_free(edition, fiscal_year):
    clashes = Seminar.objects.filter(edition=edition) | Seminar.objects.filter(
        fiscal_year=fiscal_year
    )
    if clashes.exists():
        raise CopyRefused(
            _("Edition %(edition)s or fiscal year %(year)s already exists; nothing was copied.")
            % {"edition": edition, "year": fiscal_year}
        )


def copy_as_next_edition(source):
    """A draft of the next edition: same city, organizers, the agenda shifted by 52 weeks."""
    edition, fiscal_year = source.edition + 1, source.fiscal_year + 1
    _check_free(edition, fiscal_year)
    try:
        with transaction.atomic():
            return _copy(source, edition, fiscal_year)
    except IntegrityError as error:  # created meanwhile by someone else
        raise CopyRefused(
            _("Edition %(edition)s was created meanwhile; nothing was copied.")
            % {"edition": edition}
        ) from error


def _copy(source, edition, fiscal_year):
    draft = Seminar.objects.create(
        edition=edition,
        fiscal_year=fiscal_year,
        city=source.city,
        start_date=_shift(source.start_date),
        end_date=_shift(source.end_date),
        status=Seminar.Status.DRAFT,
        **_blank_text(Seminar),
    )
    for organizer in source.organizers.order_by("pk"):
        Organizer.objects.create(
            seminar=draft,
            organization_id=organizer.organization_id,
            role=organizer.role,
            order=organizer.order,
        )
    _copy_agenda(source, draft)
    return draft


def _copy_agenda(source, draft):
    """The structure of the programme: day, times, kind and titles; venue and text are new."""
    title_fields = _localized("title")
    for item in source.agenda_items.order_by("date", "order", "pk"):
        text = {**_blank_text(AgendaItem), **{name: getattr(item, name) for name in title_fields}}
        AgendaItem.objects.create(
            **text,
            seminar=draft,
            date=item.date + NEXT_EDITION_SHIFT,
            start_time=item.start_time,
            end_time=item.end_time,
            kind=item.kind,
            order=item.order,
        )


def _blank_text(model):
    """Every translated column as an empty string (as the admin saves them), not NULL."""
    return {name: "" for field in translated_fields(model) for name in _localized(field)}


def _localized(field_name):
    return [build_localized_fieldname(field_name, language) for language in languages()]
