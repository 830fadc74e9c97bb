"""Writes of the editorial workflow: publishing, unpublishing, copying and restoring an edition.

Each runs in one transaction; the write guard (seminars.record.guards) decides, for the acting user,
whether it may happen and logs every change of publication.
"""

import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from participants.models import Participant
from seminars.models import AgendaItem, Organizer, Photo, Seminar
from seminars.record import history, permissions
from seminars.record.completeness import languages, translated_fields
from seminars.record.history_tables import one_point, restore_reason

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


def copy_as_next_edition(source, *, fiscal_year=None, city=None, start_date=None, end_date=None):
    """A draft of the next edition: the organizers and the programme's structure.

    By default in the same city, the next fiscal year, 52 weeks later; given a new start date
    (and end date, of any length), the programme keeps its day offsets from the start. The
    edition page moves it again when its first save changes the start date.
    """
    edition, fiscal_year = source.edition + 1, fiscal_year or source.fiscal_year + 1
    _check_free(edition, fiscal_year)
    if start_date is None:
        start_date, end_date = _shift(source.start_date), _shift(source.end_date)
    elif end_date is None and source.start_date and source.end_date:
        end_date = start_date + (source.end_date - source.start_date)
    dates = (start_date, end_date)
    try:
        with transaction.atomic():
            return _copy(source, edition, fiscal_year, city or source.city, dates)
    except IntegrityError as error:  # created meanwhile by someone else
        raise CopyRefused(
            _("Edition %(edition)s was created meanwhile; nothing was copied.")
            % {"edition": edition}
        ) from error


def _copy(source, edition, fiscal_year, city, dates):
    draft = Seminar.objects.create(
        edition=edition,
        fiscal_year=fiscal_year,
        city=city,
        start_date=dates[0],
        end_date=dates[1],
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
    """The structure of the programme: day, times, kind, titles and sessions; venue and text are
    new. Sessions come before their parts (a part's session is copied first)."""
    title_fields = _localized("title")
    copies = {}
    shift = NEXT_EDITION_SHIFT
    if source.start_date and draft.start_date:
        shift = draft.start_date - source.start_date
    last = draft.end_date or draft.start_date
    items = source.agenda_items.order_by("date", "order", "pk")
    for item in sorted(items, key=lambda i: i.session_id is not None):
        if last and item.date + shift > last:
            continue  # a shorter edition: the days past its end are left out
        text = {**_blank_text(AgendaItem), **{name: getattr(item, name) for name in title_fields}}
        copies[item.pk] = AgendaItem.objects.create(
            session=copies.get(item.session_id),
            **text,
            seminar=draft,
            date=item.date + shift,
            start_time=item.start_time,
            end_time=item.end_time,
            kind=item.kind,
            order=item.order,
        )


def dates_change(seminar):
    """Whether `seminar` (not saved yet) has other dates than its stored row."""
    stored = Seminar._base_manager.filter(pk=seminar.pk).values_list("start_date", "end_date")
    return stored.first() not in (None, (seminar.start_date, seminar.end_date))


def free_agenda_dates(seminar):
    """Clear the stored dates of `seminar` inside the caller's transaction, so that its agenda
    rows can be moved, deleted and added before the edition's new dates are saved (the
    database checks every agenda day against the stored dates). No history: the edition's
    save that follows records its dates; it must follow in the same transaction."""
    Seminar._base_manager.filter(pk=seminar.pk).update(start_date=None, end_date=None)


def _blank_text(model):
    """Every translated column as an empty string (as the admin saves them), not NULL."""
    return {name: "" for field in translated_fields(model) for name in _localized(field)}


def _localized(field_name):
    return [build_localized_fieldname(field_name, language) for language in languages()]


# --- restoring an edition to a point of its history ---


def restore_edition(seminar, when, user, keep_publication=True):
    """The edition and its parts as they were at `when` (a point of its history), in one go.

    Rows that existed then come back (with their ids) or get their values of then; rows added
    later are deleted; speaker links follow. The publication state stays as it is now unless
    `keep_publication` is False (publishers only: the write guard decides every write, for
    `user`). Its history records say which point they restore, and so does one admin-log
    entry. A point where the edition was in the trash restores nothing. Returns the plan
    carried out.
    """
    with (
        transaction.atomic(),
        permissions.acting_as(user),
        one_point(reason=restore_reason(when)),
    ):
        plan = history.restore_plan(seminar, when, keep_publication=keep_publication)
        if plan.is_empty:
            return plan
        _apply(seminar, plan, _Writer(user))
        if user is not None:
            LogEntry.objects.log_actions(
                user_id=user.pk,
                queryset=[seminar],
                action_flag=CHANGE,
                change_message=_("Restored the state of %(when)s.")
                % {"when": history.format_time(when)},
                single_object=True,
            )
    seminar.refresh_from_db()
    return plan


class _Writer:
    """Saves and deletes through the ORM (the write guard decides), recorded as `user`'s."""

    def __init__(self, user):
        self.user = user

    def _mark(self, obj):
        if self.user is not None:
            obj._history_user = self.user
        return obj

    def save(self, obj, **kwargs):
        self._mark(obj).save(**kwargs)

    def delete(self, obj):
        if isinstance(obj, Photo):
            # The files stay: another restore (to a point that had this photo) brings them back.
            for name in Photo.FILE_FIELDS:
                setattr(obj, name, "")
        self._mark(obj).delete()


def _apply(seminar, plan, writer):
    # In the plan's order (children's kinds before their parents'); a row already gone with its
    # parent (a part with its session, a participant with its delegation) is skipped.
    for step in plan.of(history.DELETE):
        obj = step.kind.model._base_manager.filter(pk=step.pk).first()
        if obj is not None:
            writer.delete(obj)
    current = Seminar._base_manager.get(pk=seminar.pk)
    seminar_last = _agenda_first(current, plan, writer)
    if not seminar_last:
        _save_seminar(current, plan.seminar_values, writer)
    for step in plan.steps:  # in history.restore_plan's order: sessions before their parts
        if step.action == history.RECREATE:
            obj = step.kind.model(pk=step.pk, **step.values)
            writer.save(obj, force_insert=True)
        elif step.action == history.UPDATE:
            obj = step.kind.model._base_manager.get(pk=step.pk)
            for attname, value in step.values.items():
                setattr(obj, attname, value)
            writer.save(obj)
    if seminar_last:
        _save_seminar(current, plan.seminar_values, writer)
    participants = Participant._base_manager.in_bulk(list(plan.links))
    for pk, items in plan.links.items():
        participant = writer._mark(participants[pk])
        participant.agenda_items.set(items)


def _save_seminar(seminar, values, writer):
    if values:
        for attname, value in values.items():
            setattr(seminar, attname, value)
        writer.save(seminar)


def _agenda_first(seminar, plan, writer):
    """Whether the agenda is written before the edition's dates (the database checks each write).

    New dates first when every agenda item left fits them, the agenda first when its dates of
    then fit the current dates; otherwise the dates are cleared first, then set again.
    """
    start = plan.seminar_values.get("start_date", seminar.start_date)
    end = plan.seminar_values.get("end_date", seminar.end_date)
    if (start, end) == (seminar.start_date, seminar.end_date):
        return False
    future = Seminar(start_date=start, end_date=end)
    remaining = AgendaItem._base_manager.filter(seminar_id=seminar.pk).values_list(
        "date", flat=True
    )
    if all(future.allows_agenda_date(day) for day in remaining):
        return False
    agenda = [s for s in plan.steps if s.kind.model is AgendaItem and s.action != history.DELETE]
    if not all(seminar.allows_agenda_date(s.values.get("date")) for s in agenda):
        seminar.start_date = seminar.end_date = None
        writer.save(seminar, update_fields=["start_date", "end_date"])
        plan.seminar_values = {**plan.seminar_values, "start_date": start, "end_date": end}
    return True
