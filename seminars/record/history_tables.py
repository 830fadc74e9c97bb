"""Change history (django-simple-history) of the content models, stored in the safety app.

The history keeps the per-language columns (`theme_ja`, `theme_zh_hans`), never
modeltranslation's bare field (`theme`): that one reads in the saver's language, so a history
that kept it showed a "change" between Japanese and Chinese on almost every save.

Every record written during one request (or one `one_point()` block) carries the same time,
that of its first record: one save of the edition page, with its inlines, is one point of the
history, and a restore to that point includes all of it (seminars.record.history). A `one_point()`
block
may also give its records a reason (`history_change_reason`): a restore of a point, a restore
from the trash, or the recording of rows written outside the history
(seminars.record.history_record).
"""

import contextlib
import contextvars
import datetime

import simple_history
from django.apps import apps
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from seminars.record.content import EDITED_MODELS

# The content and the site's information pages (their text is public and edited like the record).
HISTORY_MODELS = EDITED_MODELS
# Many-to-many links kept with each historical row of their model (the speakers of the agenda).
HISTORY_M2M_FIELDS = {"participants.Participant": ["agenda_items"]}


class KeptHistoryDescriptor(HistoryDescriptor):
    """simple-history's `Model.history` (and a historical row's many-to-many links), with the
    manager class built once: simple-history builds a new class (`from_queryset`) at every
    access, and every save of a recorded row reads it (measured 2026-12-08: a tenth of the CPU
    of writing a factory edition, 0.4 ms a row)."""

    def __init__(self, descriptor):
        super().__init__(descriptor.model, descriptor.manager_class, descriptor.queryset_class)
        self.manager = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self.manager(self.model, instance)


def keep_managers(owner):
    """Put `KeptHistoryDescriptor`s in place of the `HistoryDescriptor`s set on `owner`."""
    for name, value in list(vars(owner).items()):
        if type(value) is HistoryDescriptor:
            setattr(owner, name, KeptHistoryDescriptor(value))


class EditionHistoricalRecords(HistoricalRecords):
    """simple-history's records, with links changed from the other side recorded too.

    simple-history records a many-to-many change only from the side that declares the field
    (`participant.agenda_items.add(item)`); from the other side (`item.speakers.add(person)`)
    it would build a history row of the agenda item from the participant's fields and fail.
    Here each participant whose links changed gets its row, with its links, either way.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = vars(sender).get(self.manager_name)
        if isinstance(descriptor, HistoryDescriptor):
            keep_managers(sender)
            keep_managers(descriptor.model)  # the historical rows' many-to-many links

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":
            field = self.cls._meta.get_field(attr)
            owners = self.cls._base_manager.filter(**{field.name: instance}).values("pk")
            instance._history_cleared = {row["pk"] for row in owners}
            return None
        if action == "post_clear":
            pk_set = getattr(instance, "_history_cleared", set())
        elif action not in ("post_add", "post_remove"):
            return None
        for owner in self.cls._base_manager.filter(pk__in=pk_set or ()):
            super().m2m_changed(owner, action, attr, pk_set, False, **kwargs)
        return None


def virtual_translation_fields(model):
    """modeltranslation's bare fields of `model` (`theme` beside `theme_ja`, `theme_zh_hans`)."""
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return []
    return sorted(options.all_fields)


def register_models():
    from simple_history.models import registered_models

    for label in HISTORY_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in registered_models:
            continue
        simple_history.register(
            model,
            app="safety",
            records_class=EditionHistoricalRecords,
            excluded_fields=virtual_translation_fields(model),
            m2m_fields=HISTORY_M2M_FIELDS.get(label, ()),
        )
    pre_create_historical_record.connect(
        _one_time_per_request, dispatch_uid="safety_one_time_per_request"
    )


# Why records were written, when not by a person's edit (kept in `history_change_reason`).
# rows written outside the history (loaddata, raw SQL): seminars.record.history_record
RECORDED = "recorded"
TRASH_RESTORE = "trash-restore"  # the edition brought back from the trash
RESTORE_PREFIX = "restore:"  # + the ISO time of the point restored


def restore_reason(when):
    return f"{RESTORE_PREFIX}{when.isoformat()}"


def restored_point(reason):
    """The time of the point a restore's records brought back, or None for any other reason."""
    if not reason or not reason.startswith(RESTORE_PREFIX):
        return None
    try:
        return datetime.datetime.fromisoformat(reason.removeprefix(RESTORE_PREFIX))
    except ValueError:
        return None


# The time shared by the records of the current `one_point()` block, if any, and its reason.
_point = contextvars.ContextVar("history_point", default=None)


@contextlib.contextmanager
def one_point(reason=None):
    """Every history record written inside the block carries the time of its first one (and
    `reason`, if given)."""
    token = _point.set({"reason": reason})
    try:
        yield
    finally:
        _point.reset(token)


def point_time():
    """The time of the current `one_point()` block (or request), fixed by its first record or
    by this call; now outside either."""
    shared = _point.get()
    if shared is None:
        request = getattr(HistoricalRecords.context, "request", None)
        if request is None:
            return timezone.now()
        shared = request.__dict__.setdefault("_history_point", {})
    return shared.setdefault("when", timezone.now())


def _one_time_per_request(sender, instance, history_instance, **kwargs):
    """The records of one request (or `one_point()` block) share its first record's time; a
    time set on the instance (`_history_date`) is kept."""
    shared = _point.get()
    if shared is not None and shared.get("reason"):
        history_instance.history_change_reason = shared["reason"]
    if hasattr(instance, "_history_date"):
        return
    if shared is None:
        request = getattr(HistoricalRecords.context, "request", None)
        if request is None:
            return
        shared = request.__dict__.setdefault("_history_point", {})
    history_instance.history_date = shared.setdefault("when", history_instance.history_date)
