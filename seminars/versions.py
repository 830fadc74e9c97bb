"""The edition-wide version: one number per edition, moved forward by every change to the edition
or to anything that belongs to it (organizers, agenda, photos, delegations, participants).

The write guard (seminars.guards) calls `bump()` after each save, delete or link change, inside the
writer's transaction. Forms carry the number they were loaded with (`EditionVersionForm`) and
`check_current()` refuses a stale one while holding the edition's version row locked, so two saves
can never interleave between the check and the write (PostgreSQL: row lock; SQLite: one writer).
"""

import contextlib
import contextvars

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from .models import EditionVersion, Seminar

VERSION_FIELD = "edition_version"


def edition_id_of(instance):
    """The id of the edition `instance` belongs to, or None (cities, organizations)."""
    if isinstance(instance, Seminar):
        return instance.pk
    if hasattr(instance, "seminar_id"):
        return instance.seminar_id
    delegation_id = getattr(instance, "delegation_id", None)
    if delegation_id is None:
        return None
    loaded = instance._state.fields_cache.get("delegation")  # a participant saved with its own
    if loaded is not None and loaded.pk == delegation_id:
        return loaded.seminar_id
    delegation = type(instance)._meta.get_field("delegation").related_model
    return (
        delegation._base_manager.filter(pk=delegation_id)
        .values_list("seminar_id", flat=True)
        .first()
    )


_pending = contextvars.ContextVar("seminars_version_bumps", default=None)


@contextlib.contextmanager
def bumps_once():
    """Writes inside the block move each edition they touch one step, when the block ends,
    instead of one step per row (factories building a whole edition; bulk writes)."""
    outer = _pending.get()
    if outer is not None:  # nested: the outermost block bumps
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for seminar_id, (user, create) in pending.items():
        bump(seminar_id, user, create)


def bump(seminar_id, user=None, create=True):
    """One step forward, saying who and when; `create=False` while the edition is being deleted."""
    if seminar_id is None:
        return
    pending = _pending.get()
    if pending is not None:
        _user, created = pending.get(seminar_id, (user, False))
        pending[seminar_id] = (user, create or created)
        return
    changes = {"number": F("number") + 1, "saved_by": user, "saved_at": timezone.now()}
    if EditionVersion.objects.filter(seminar_id=seminar_id).update(**changes) or not create:
        return
    if Seminar._base_manager.filter(pk=seminar_id).exists():
        EditionVersion.objects.get_or_create(
            seminar_id=seminar_id,
            defaults={"number": 1, "saved_by": user, "saved_at": changes["saved_at"]},
        )


def current(seminar_id, lock=False):
    """The edition's version row as it is now (created at 0 if it has none yet)."""
    if lock:
        row = (
            EditionVersion.objects.select_for_update(of=("self",))
            .select_related("saved_by", "seminar")
            .filter(seminar_id=seminar_id)
            .first()
        )
        if row is not None:
            return row
    row, _created = EditionVersion.objects.select_related("saved_by", "seminar").get_or_create(
        seminar_id=seminar_id
    )
    return row


# What was refused, by the kind of write that found the edition moved on.
PAGE, PREVIEW, RESTORE = "page", "preview", "restore"
STALE_MESSAGES = {
    PAGE: _(
        "%(who)s saved this edition (or a part of it) at %(when)s, after you opened this "
        "page. Nothing was saved: your entries are still below. Open the page again to see "
        "their changes, then make yours again."
    ),
    PREVIEW: _(
        "%(who)s saved edition %(edition)s (or a part of it) at %(when)s, after your "
        "preview. Nothing was imported: upload the file again to see the changes."
    ),
    RESTORE: _(
        "%(who)s saved this edition (or a part of it) at %(when)s, after you opened this page. "
        "Nothing was restored: read the page again, then restore."
    ),
}


def stale_error(row, refused=PAGE):
    who = row.saved_by.get_username() if row.saved_by else _("someone else")
    when = date_format(localtime(row.saved_at), "DATETIME_FORMAT") if row.saved_at else ""
    params = {"who": who, "when": when, "edition": row.seminar.edition}
    return ValidationError(STALE_MESSAGES[refused], code="stale", params=params)


def check_current(seminar_id, loaded, refused=PAGE):
    """Raise the stale error unless `loaded` is the edition's version now (row locked).

    Call it inside the transaction of the write it guards: the lock lasts until its commit.
    """
    row = current(seminar_id, lock=True)
    if str(row.number) != str(loaded):
        raise stale_error(row, refused)


class EditionVersionForm(forms.ModelForm):
    """A change form for an edition or a part of it: refused when the edition moved on."""

    edition_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seminar_id = self._edition_id()
        if seminar_id is not None and not self.is_bound:
            self.fields[VERSION_FIELD].initial = current(seminar_id).number

    def _edition_id(self):
        if self.instance.pk is None:
            return None  # a new row: nothing to be stale against
        return edition_id_of(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        seminar_id = self._edition_id()
        if seminar_id is not None:
            loaded = self.data.get(self.add_prefix(VERSION_FIELD))
            try:
                check_current(seminar_id, loaded)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data
