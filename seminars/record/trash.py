"""The trash: a deleted edition keeps every row that belonged to it, and its photo files, until a
publisher restores it exactly (as a draft) or purges it. The restore is one point of the
edition's history, with a record of every row it brings back (seminars.record.history_record): a
later restore to
a point before or after the trash finds each row as it was.

`keep()` runs from the write guard's pre_delete of a Seminar, whatever started the delete (the
admin's delete page, the list action, the ORM), inside that transaction: all the children still
exist then. Files move to trash/ only once the delete commits; they move back on restore and are
removed on purge.
"""

import json
from pathlib import PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from seminars.models import Photo, Seminar, TrashedEdition
from seminars.record import permissions
from seminars.record.history_record import record
from seminars.record.history_tables import TRASH_RESTORE, one_point

TRASH_DIR = "trash"


class TrashRefused(Exception):
    """The restore or purge cannot happen; str() says why, in the staff language."""


def _rows_of(seminar):
    """The edition and everything that belongs to it, parents before children."""
    from participants.models import Delegation, Participant

    return [
        seminar,
        *seminar.organizers.order_by("pk"),
        *seminar.agenda_items.order_by("pk"),
        *seminar.photos.order_by("pk"),
        *Delegation.objects.filter(seminar=seminar).order_by("pk"),
        *Participant.objects.filter(delegation__seminar=seminar).order_by("pk"),
    ]


def _suffixed_only(rows):
    """Drop the bare translated columns: they hold whichever language was active at saving."""
    translated = set(translator.get_registered_models())
    for row in rows:
        model = apps.get_model(row["model"])
        if model in translated:
            for name in translator.get_options_for_model(model).all_fields:
                row["fields"].pop(name, None)
    return rows


def keep(seminar, user=None):
    """Put `seminar` and its children in the trash (called before they are deleted)."""
    rows = _suffixed_only(json.loads(serializers.serialize("json", _rows_of(seminar))))
    photos = Photo.objects.filter(seminar=seminar).values_list(*Photo.FILE_FIELDS)
    names = [name for row in photos for name in row if name]
    trashed = TrashedEdition.objects.create(
        edition=seminar.edition,
        fiscal_year=seminar.fiscal_year,
        theme_ja=seminar.theme_ja or "",
        theme_zh_hans=seminar.theme_zh_hans or "",
        rows=rows,
        files=[{"name": name, "trash": _trash_name(seminar.pk, name)} for name in names],
        deleted_by=user,
    )
    transaction.on_commit(lambda: _move_files(trashed.files, "name", "trash"))
    return trashed


def _trash_name(seminar_pk, name):
    return str(PurePosixPath(TRASH_DIR) / str(seminar_pk) / name)


def _move_files(files, source_key, target_key):
    """Move each file; returns {old target name: name actually used} where storage chose another."""
    renamed = {}
    for entry in files:
        source, target = entry[source_key], entry[target_key]
        if not default_storage.exists(source):
            continue
        with default_storage.open(source, "rb") as handle:
            saved = default_storage.save(target, handle)
        default_storage.delete(source)
        if saved != target:
            renamed[target] = saved
    return renamed


def counts(trashed):
    """{model label: number of rows} of a trashed edition, for the list and the confirmation."""
    found = {}
    for row in trashed.rows:
        found[row["model"]] = found.get(row["model"], 0) + 1
    return found


def restore(trashed, user):
    """Bring the edition back row for row, as a draft; its photo files too. Returns the seminar."""
    reason = permissions.restore_refusal(user)
    if reason:
        raise TrashRefused(reason)
    taken = Seminar.objects.filter(edition=trashed.edition) | Seminar.objects.filter(
        fiscal_year=trashed.fiscal_year
    )
    if taken.exists():
        raise TrashRefused(
            _(
                "Edition %(edition)s or fiscal year %(year)s exists again; nothing was restored. "
                "Delete or renumber that edition first."
            )
            % {"edition": trashed.edition, "year": trashed.fiscal_year}
        )
    with one_point(reason=TRASH_RESTORE):
        try:
            with transaction.atomic(), permissions.acting_as(None):
                seminar = _restore_rows(trashed)
                record(_objects_of(seminar), user=user, reason=TRASH_RESTORE)
        except IntegrityError as error:
            raise TrashRefused(
                _("The edition could not be restored: %(error)s") % {"error": error}
            ) from error
        renamed = _move_files(trashed.files, "trash", "name")
        with transaction.atomic():
            for old, new in renamed.items():
                for field in Photo.FILE_FIELDS:
                    Photo.objects.filter(seminar=seminar, **{field: old}).update(**{field: new})
            if renamed:
                record(
                    {Photo: Photo._base_manager.filter(seminar=seminar)},
                    user=user,
                    reason=TRASH_RESTORE,
                )
            trashed.delete()
    return seminar


def _objects_of(seminar):
    """{model: rows} of the edition as restored, for its history
    (seminars.record.history_record)."""
    by_model = {}
    for row in _rows_of(seminar):
        by_model.setdefault(type(row), []).append(row)
    return by_model


def _restore_rows(trashed):
    seminar = None
    for restored in serializers.deserialize("json", json.dumps(trashed.rows)):
        # Its record, with its links, is written once all rows are back
        # (seminars.record.history_record).
        restored.object.skip_history_when_saving = True
        if isinstance(restored.object, Seminar):
            restored.object.status = Seminar.Status.DRAFT
            restored.object.published_at = None
            seminar = restored.object
        restored.save()
        del restored.object.skip_history_when_saving
    return seminar


def purge(trashed, user):
    """Remove the edition for good, with its photo files."""
    reason = permissions.restore_refusal(user)
    if reason:
        raise TrashRefused(reason)
    for entry in trashed.files:
        default_storage.delete(entry["trash"])
    trashed.delete()


def remove_file_after_commit(name):
    """A photo file that no row uses any more (photo deleted or image replaced)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))
