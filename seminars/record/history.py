"""The history of one edition, as staff read it, and what a restore to one of its points changes.

One timeline covers the edition's own fields and everything that is part of it: organizers,
agenda items, photos, delegations and their participants (with their speaker links). It is read
from the historical tables (safety/), each fetched once for the edition. Every request that
wrote is one entry (seminars.record.history_tables gives its records one time): who, when in local
time, and
what changed, with field names, choice labels, language names and local dates in the staff
language. Entries where nothing changed are left out. People are named by their full name where
their account has one. A reorder is one line; the edition's move to the trash, its restore from
there and the first record of rows loaded outside the history (seminars.record.history_record) are
one line
each; a restore's entry says which point it restored (its records' reason,
seminars.record.history_tables).

A point of the history is the state just after one entry. `restore_plan()` compares that state
with the rows as they are now; seminars.record.services.restore_edition() carries the plan out. A
row
the trash brought back (recorded since seminars.record.history_record; found by `record_history`
for older round
trips) is part of every point after its return; a point where the edition itself was in the
trash restores nothing.
"""

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.formats import date_format, time_format
from django.utils.text import Truncator, capfirst
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, Organizer, Photo, Seminar
from seminars.record import history_tables as recorded
from seminars.record.completeness import languages
from seminars.record.permissions import AUTOMATIC_FIELDS, PUBLICATION_FIELDS
from seminars.record.versions import staff_name

CREATED, CHANGED, DELETED, FIRST = "created", "changed", "deleted", "first"
# One line for many rows: a reorder; the edition put in or back from the trash; a first record.
REORDERED, TRASHED, UNTRASHED, RECORDED = "reordered", "trashed", "untrashed", "recorded"
SPEAKER_LINKS = "agenda_items"  # Participant's many-to-many field, recorded with each row


@dataclass(frozen=True)
class Kind:
    """A model whose rows belong to an edition: directly (parent "seminar") or via a delegation."""

    key: str
    model: type
    parent: str | None = None
    name_field: str | None = None

    @property
    def history(self):
        return self.model.history.model


# In the order rows are created; deleted in the reverse order.
KINDS = [
    Kind("seminar", Seminar),
    Kind("organizer", Organizer, "seminar"),
    Kind("delegation", Delegation, "seminar"),
    Kind("agendaitem", AgendaItem, "seminar", "title"),
    Kind("photo", Photo, "seminar", "caption"),
    Kind("participant", Participant, "delegation", "name"),
]
KIND = {kind.key: kind for kind in KINDS}


def tracked_fields(kind):
    """The fields a history row keeps and a restore sets (not the id, not `updated_at`)."""
    return [
        f
        for f in kind.history.tracked_fields
        if not f.primary_key and f.name not in AUTOMATIC_FIELDS
    ]


# --- reading the tables ---


@dataclass
class Records:
    """Every historical row of an edition and of what was ever part of it, oldest first."""

    seminar: Seminar
    rows: dict  # kind key → [historical row]
    links: dict  # participant history_id → {agenda item id}


def _delegation_ids(seminar):
    ever = KIND["delegation"].history.objects.filter(seminar_id=seminar.pk).values("id")
    now = Delegation._base_manager.filter(seminar_id=seminar.pk).values("id")
    return models.Q(delegation_id__in=ever) | models.Q(delegation_id__in=now)


def fetch(seminar):
    """One query per historical table, one for the speaker links."""
    rows = {}
    for kind in KINDS:
        history = kind.history.objects
        if kind.parent is None:
            queryset = history.filter(id=seminar.pk)
        elif kind.parent == "seminar":
            queryset = history.filter(id__in=history.filter(seminar_id=seminar.pk).values("id"))
        else:
            queryset = history.filter(id__in=history.filter(_delegation_ids(seminar)).values("id"))
        rows[kind.key] = list(
            queryset.select_related("history_user").order_by("history_date", "history_id")
        )
    link_history = KIND["participant"].history.agenda_items.model
    participant_ids = [row.history_id for row in rows["participant"]]
    links = {history_id: set() for history_id in participant_ids}
    if participant_ids:
        for history_id, item_id in link_history.objects.filter(
            history_id__in=KIND["participant"]
            .history.objects.filter(_delegation_ids(seminar))
            .values("history_id")
        ).values_list("history_id", "agendaitem_id"):
            links.setdefault(history_id, set()).add(item_id)
    return Records(seminar, rows, links)


# --- how values read ---


def language_name(code):
    return str(dict(settings.LANGUAGES).get(code, code))


def field_label(model_field):
    """ "テーマ（簡体字中国語）" for theme_zh_hans; the verbose name for any other field."""
    base = getattr(model_field, "translated_field", None)
    if base is None:
        return capfirst(str(model_field.verbose_name))
    return _("%(field)s (%(language)s)") % {
        "field": capfirst(str(base.verbose_name)),
        "language": language_name(model_field.language),
    }


def raw(row, model_field):
    """The stored value; empty text and NULL alike."""
    value = getattr(row, model_field.attname)
    value = getattr(value, "name", value) if isinstance(model_field, models.FileField) else value
    return None if value == "" else value


def _plain(model_field, value):
    if isinstance(model_field, models.DateTimeField):
        return date_format(localtime(value), "DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    if isinstance(model_field, models.TimeField):
        return time_format(value, "TIME_FORMAT")
    if isinstance(model_field, models.FileField):
        return PurePath(value).name
    return Truncator(str(value)).chars(80)


class Names:
    """Names of the rows a value or an entry points at, looked up once per related model."""

    def __init__(self, records):
        self.records = records
        self.latest = {(key, row.id): row for key, rows in records.rows.items() for row in rows}
        self.others = {}
        wanted = {}
        for kind in KINDS:
            for model_field in tracked_fields(kind):
                target = model_field.related_model
                if model_field.is_relation and not any(k.model is target for k in KINDS):
                    ids = wanted.setdefault(target, set())
                    ids.update(raw(row, model_field) for row in records.rows[kind.key])
        for target, ids in wanted.items():
            found = target._base_manager.in_bulk([i for i in ids if i is not None])
            self.others[target] = {pk: str(obj) for pk, obj in found.items()}

    def of(self, target, pk):
        for kind in KINDS:
            if kind.model is target:
                row = self.latest.get((kind.key, pk))
                return self.row_name(kind, row) if row is not None else f"#{pk}"
        return self.others.get(target, {}).get(pk, f"#{pk}")

    def row_name(self, kind, row):
        if kind.key == "seminar":
            return str(self.records.seminar)
        if kind.key == "organizer":
            organization = self.others.get(
                Organizer._meta.get_field("organization").related_model, {}
            ).get(row.organization_id, f"#{row.organization_id}")
            return f"{Organizer.Role(row.role).label}: {organization}"
        if kind.key == "delegation":
            return str(dict(Delegation._meta.get_field("side").flatchoices).get(row.side, row.side))
        return localized_text(row, kind.name_field)

    def label(self, kind, row):
        """ "プログラム項目「開会」" / "日程项目“开幕”"; the edition's own fields by name."""
        if kind.key == "seminar":
            return _("Edition details")
        return _("%(kind)s “%(name)s”") % {
            "kind": capfirst(str(kind.model._meta.verbose_name)),
            "name": self.row_name(kind, row),
        }

    def value(self, model_field, value):
        if value is None:
            return _("(empty)")
        if model_field.is_relation:
            return self.of(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return _plain(model_field, value)


def localized_text(row, name):
    """The text in the staff language, else in the first language that has it."""
    current = get_language()
    order = [current] + [code for code in languages() if code != current]
    for code in order:
        if code in languages():
            text = getattr(row, build_localized_fieldname(name, code), None)
            if text:
                return text
    return ""


# --- the timeline ---


@dataclass
class Change:
    label: str
    action: str
    fields: list = field(default_factory=list)  # [(label, before, after)]
    kind: Kind | None = None

    @property
    def verb(self):
        return {
            CREATED: _("added"),
            CHANGED: _("changed"),
            DELETED: _("deleted"),
            FIRST: _("saved (the history starts here: earlier values are not known)"),
            REORDERED: _("reordered"),
            TRASHED: _("deleted (kept among the deleted editions: a publisher can restore it)"),
            UNTRASHED: _("restored from the deleted editions"),
            RECORDED: _("recorded as it was (the history starts here)"),
        }[self.action]


def reason_label(reason):
    """Why a history record was written, in the staff language ("" for a person's own edit)."""
    if reason == RECORDED:
        return Change("", RECORDED).verb
    if reason == recorded.TRASH_RESTORE:
        return Change("", UNTRASHED).verb
    if recorded.restored_point(reason) is not None:
        return _("restored to %(when)s") % {"when": format_time(recorded.restored_point(reason))}
    return ""


@dataclass
class Entry:
    when: object
    user: str
    changes: list
    point: str
    restored: object = None  # the time of the point this entry restored, if it is a restore
    restorable: bool = True  # False where the edition was in the trash just after it

    @property
    def local_time(self):
        return format_time(self.when)

    @property
    def note(self):
        if self.restored is None:
            return ""
        return _("Restore of %(when)s") % {"when": format_time(self.restored)}


def format_time(when):
    when = localtime(when)
    return f"{date_format(when, 'DATE_FORMAT')} {time_format(when, 'H:i:s')}"


def point_of(kind, row):
    """The URL token of a point: a seminar row's id as is, any other row as "<kind>-<id>"."""
    return str(row.history_id) if kind.key == "seminar" else f"{kind.key}-{row.history_id}"


def field_changes(kind, before, after, names, links):
    changes = []
    for model_field in tracked_fields(kind):
        old, new = raw(before, model_field), raw(after, model_field)
        if old != new:
            changes.append(
                (
                    field_label(model_field),
                    names.value(model_field, old),
                    names.value(model_field, new),
                )
            )
    if kind.key == "participant":
        old, new = links.get(before.history_id, set()), links.get(after.history_id, set())
        if old != new:
            items = Participant._meta.get_field(SPEAKER_LINKS)
            changes.append((field_label(items), _items(old, names), _items(new, names)))
    return changes


def _items(ids, names):
    return ", ".join(sorted(names.of(AgendaItem, pk) for pk in ids)) or _("(empty)")


def describe(kind, before, after, names, links, first=None):
    """What one object's rows within one entry did, or None when nothing changed. `first`: its
    first row within the entry (an addition followed by a change is an addition)."""
    label = names.label(kind, after)
    if after.history_type == "-":
        return Change(label, DELETED, kind=kind)
    if before is None and after.history_change_reason == recorded.RECORDED:
        return Change(label, RECORDED, kind=kind)
    if before is None and first is not None and first.history_type == "+":
        return Change(label, CREATED, kind=kind)
    if before is None and after.history_type == "~":
        # A row older than its history: what a user's save changed is not known; a system
        # write (loaddata recording speaker links, a command) is no edit at all.
        return Change(label, FIRST, kind=kind) if after.history_user_id else None
    if before is None:
        return Change(label, CREATED, kind=kind)
    if before.history_type == "-":
        return Change(label, CREATED, kind=kind)
    changes = field_changes(kind, before, after, names, links)
    return Change(label, CHANGED, changes, kind=kind) if changes else None


def timeline(records, others=()):
    """The entries of an edition's history, newest first; entries that changed nothing left out.
    `others`: entries kept elsewhere (the review's steps and comments), merged in by time."""
    names = Names(records)
    order = {kind.key: index for index, kind in enumerate(KINDS)}
    rows = sorted(
        (
            (row.history_date, order[kind.key], row.history_id, kind, row)
            for kind in KINDS
            for row in records.rows[kind.key]
        ),
        key=lambda item: item[:3],
    )
    previous, entries = {}, []
    seminar_key = ("seminar", records.seminar.pk)
    for (when, _user), group in groupby(rows, key=lambda item: (item[0], item[4].history_user_id)):
        before, first, last = {}, {}, {}
        for *_sort, kind, row in group:
            key = (kind.key, row.id)
            before.setdefault(key, previous.get(key))
            first.setdefault(key, row)
            last[key] = (kind, row)
            previous[key] = row
        changes = [
            change
            for key, (kind, row) in last.items()
            if (change := describe(kind, before[key], row, names, records.links, first[key]))
        ]
        if changes:
            kind, row = next(iter(last.values()))
            reasons = {row.history_change_reason for _kind, row in last.values()}
            changes = _summarized(changes, reasons, before, last, names)
            entry = Entry(when, user_name(row.history_user), changes, point_of(kind, row))
            entry.restored = next(filter(None, map(recorded.restored_point, reasons)), None)
            seminar_then = previous.get(seminar_key)
            entry.restorable = seminar_then is None or seminar_then.history_type != "-"
            entries.append(entry)
    # Entries kept elsewhere (the review's steps and comments: seminars.record.review_history)
    # belong to the same story; the caller hands them in, so this module imports none of them.
    entries = sorted([*entries, *others], key=lambda e: e.when)
    entries.reverse()
    return entries


def _summarized(changes, reasons, before, last, names):
    """One line where the entry moved the whole edition (trash, its restore, a first record),
    and one line per kind of row that was only reordered."""
    whole = _("The edition with everything in it")
    actions = {change.action for change in changes}
    if any(c.kind.key == "seminar" and c.action == DELETED for c in changes):
        return [Change(whole, TRASHED)]
    if recorded.TRASH_RESTORE in reasons and actions <= {CREATED, CHANGED}:
        return [Change(whole, UNTRASHED)]
    if actions == {RECORDED}:
        return [Change(whole, RECORDED)]
    return _reorders_as_one(changes, before, last, names)


def _reorders_as_one(changes, before, last, names):
    """Rows of one kind whose only change is their order (a ↑/↓ or a drag): one line."""
    moved = {}
    for change in changes:
        if change.action == CHANGED and [f[0] for f in change.fields] == [_order_label(change)]:
            moved.setdefault(change.kind.key, []).append(change)
    result = []
    for change in changes:
        group = moved.get(change.kind.key if change.kind else None, [])
        if len(group) < 2 or change not in group:
            result.append(change)
        elif change is group[0]:
            result.append(_reorder(change.kind, before, last, names))
    return result


def _order_label(change):
    names = {f.name for f in change.kind.model._meta.fields}
    return field_label(change.kind.model._meta.get_field("order")) if "order" in names else None


def _reorder(kind, before, last, names):
    rows = [
        (before[key], row)
        for key, (k, row) in last.items()
        if k is kind and before[key] is not None and before[key].order != row.order
    ]

    def sequence(index):
        ordered = sorted(rows, key=lambda pair: (pair[index].order, pair[index].id))
        return ", ".join(names.row_name(kind, pair[1]) for pair in ordered)

    label = capfirst(str(kind.model._meta.verbose_name_plural))
    order = field_label(kind.model._meta.get_field("order"))
    return Change(label, REORDERED, [(order, sequence(0), sequence(1))], kind=kind)


def user_name(user):
    """The person's name as the rest of the admin gives it (佐藤花子, family name first for
    Japanese and Chinese names), else the user name."""
    if user is None:
        return _("the system")
    return staff_name(user)


def find_point(records, point):
    """The historical row a point token names, if it is part of this edition's history."""
    key, _sep, history_id = point.rpartition("-")
    if not history_id.isdigit() or (key or "seminar") not in KIND:
        return None
    kind = KIND[key or "seminar"]
    return next((row for row in records.rows[kind.key] if row.history_id == int(history_id)), None)


# --- a point of the history, compared with now ---

ABSENT = "absent"  # not part of the edition at that point
UNKNOWN = "unknown"  # part of it, but its history starts later: its values then are not known
RECREATE, UPDATE, DELETE = "recreate", "update", "delete"


def state_at(records, when):
    """kind key → {id: its row at `when`, ABSENT or UNKNOWN}, for every object with a history."""
    state = {}
    for kind in KINDS:
        objects = {}
        for row in records.rows[kind.key]:
            first, at, alive, after = objects.get(row.id, (row, None, None, None))
            if row.history_date <= when:
                at = row
                alive = row if row.history_type != "-" else alive
            elif after is None:
                after = row
            objects[row.id] = (first, at, alive, after)
        state[kind.key] = {
            pk: _then(kind, first, at, alive, after, records.seminar, state)
            for pk, (first, at, alive, after) in objects.items()
        }
    return state


def _created(row):
    """Whether the record is the row's creation (not a row found by `record_history`)."""
    return row.history_type == "+" and row.history_change_reason != recorded.RECORDED


def _then(kind, first, at, alive, after, seminar, state):
    if at is None:  # before its first record: absent if that record is its creation
        return ABSENT if _created(first) else UNKNOWN
    if at.history_type == "-" and after is not None and not _created(after):
        # It came back without a record (the trash's restore, before it wrote them; found
        # by `record_history` or by a later save): the trash brings rows back exactly, so it
        # is taken as it was when deleted.
        at = alive
        if at is None:
            return UNKNOWN
    if at.history_type == "-":
        return ABSENT
    if kind.parent == "seminar" and at.seminar_id != seminar.pk:
        return ABSENT
    if kind.parent == "delegation" and state["delegation"].get(at.delegation_id) == ABSENT:
        return ABSENT
    return at


@dataclass
class Step:
    kind: Kind
    action: str
    pk: int
    label: str
    values: dict = field(default_factory=dict)  # attname → value, for RECREATE and UPDATE
    fields: list = field(default_factory=list)  # [(label, now, then)], for UPDATE


@dataclass
class Plan:
    """What restoring the edition to `when` writes, and what it leaves as it is."""

    when: object
    seminar_values: dict = field(default_factory=dict)
    seminar_fields: list = field(default_factory=list)  # [(label, now, then)]
    steps: list = field(default_factory=list)
    links: dict = field(default_factory=dict)  # participant id → {agenda item id}
    link_labels: list = field(default_factory=list)
    unknown: int = 0
    seminar_unknown: bool = False
    without_file: list = field(default_factory=list)
    not_restorable: list = field(default_factory=list)
    publication_then: tuple | None = None  # (status, published_at) when they differ from now
    in_trash: bool = False  # the edition was in the trash at that point: nothing to restore

    @property
    def is_empty(self):
        return not (self.seminar_values or self.steps or self.links)

    def of(self, action):
        return [step for step in self.steps if step.action == action]

    @property
    def recreated(self):
        return self.of(RECREATE)

    @property
    def updated(self):
        return self.of(UPDATE)

    @property
    def deleted(self):
        return self.of(DELETE)


def restore_plan(seminar, when, keep_publication=True, records=None):
    """Compare the edition at `when` (a point of its history) with its rows now."""
    records = records or fetch(seminar)
    names = Names(records)
    state = state_at(records, when)
    if state["seminar"].get(seminar.pk) == ABSENT:
        return Plan(when, in_trash=True)
    current = {kind.key: kind.model._base_manager.in_bulk(list(state[kind.key])) for kind in KINDS}
    plan = Plan(when)
    _plan_seminar(plan, state, current, names, keep_publication)
    delegations_now = set(
        Delegation._base_manager.filter(seminar_id=seminar.pk).values_list("pk", flat=True)
    )
    for kind in KINDS[1:]:
        if kind.parent == "seminar":
            belongs = lambda obj: obj.seminar_id == seminar.pk  # noqa: E731
        else:
            belongs = lambda obj: obj.delegation_id in delegations_now  # noqa: E731
        _plan_rows(plan, kind, state, current, names, belongs)
    _plan_links(plan, seminar, state, names, records.links)
    plan.steps.sort(key=_write_order)
    return plan


def _write_order(step):
    """Deletions first, children's kinds before their parents' (a part whose session goes has
    gone with it: services skips it); then the rest, parents first (a session before its
    parts)."""
    rank = KINDS.index(step.kind)
    part = step.kind.key == "agendaitem" and step.values.get("session_id") is not None
    if step.action == DELETE:
        return (0, -rank, 0)
    return (1, rank, int(part))


def _plan_seminar(plan, state, current, names, keep_publication):
    kind, seminar = KIND["seminar"], next(iter(current["seminar"].values()), None)
    then = state["seminar"].get(getattr(seminar, "pk", None), UNKNOWN)
    if seminar is None or then in (UNKNOWN, ABSENT):
        plan.seminar_unknown = True
        return
    if any(
        raw(then, f) != raw(seminar, f)
        for f in tracked_fields(kind)
        if f.name in PUBLICATION_FIELDS
    ):
        plan.publication_then = (then.status, then.published_at)
    skip = PUBLICATION_FIELDS if keep_publication else set()
    values, changes = _differences(kind, then, seminar, names, plan, skip)
    plan.seminar_values, plan.seminar_fields = values, changes


def _differences(kind, then, now, names, plan, skip=()):
    """attname → value of then for each field that differs; with (label, now, then) to show."""
    values, changes = {}, []
    for model_field in tracked_fields(kind):
        if model_field.name in skip or raw(then, model_field) == raw(now, model_field):
            continue
        value = raw(then, model_field)
        if not _target_exists(model_field, value, names):
            plan.not_restorable.append(f"{names.label(kind, then)}: {field_label(model_field)}")
            continue
        values[model_field.attname] = getattr(then, model_field.attname)
        changes.append(
            (
                field_label(model_field),
                names.value(model_field, raw(now, model_field)),
                names.value(model_field, value),
            )
        )
    return values, changes


def _target_exists(model_field, value, names):
    target = model_field.related_model
    if value is None or not model_field.is_relation or target not in names.others:
        return True
    return value in names.others[target]


def _plan_rows(plan, kind, state, current, names, belongs):
    for pk, then in state[kind.key].items():
        now = current[kind.key].get(pk)
        in_edition = now is not None and belongs(now)
        if then == UNKNOWN:
            plan.unknown += int(in_edition)
        elif then == ABSENT:
            if in_edition:
                label = names.label(kind, names.latest[kind.key, pk])
                plan.steps.append(Step(kind, DELETE, pk, label))
        elif now is None:
            _plan_recreate(plan, kind, pk, then, names)
        else:
            values, changes = _differences(kind, then, now, names, plan)
            if values:
                _check_file(plan, kind, then, values, names)
                plan.steps.append(Step(kind, UPDATE, pk, names.label(kind, then), values, changes))


def _plan_recreate(plan, kind, pk, then, names):
    label = names.label(kind, then)
    values = {f.attname: getattr(then, f.attname) for f in tracked_fields(kind)}
    for model_field in tracked_fields(kind):
        if not _target_exists(model_field, raw(then, model_field), names):
            plan.not_restorable.append(label)
            return
    _check_file(plan, kind, then, values, names)
    plan.steps.append(Step(kind, RECREATE, pk, label, values))


def _check_file(plan, kind, then, values, names):
    """A photo whose file is gone from storage comes back without it (and says so)."""
    attname = "image"
    if kind.key != "photo" or not values.get(attname):
        return
    if not default_storage.exists(values[attname]):
        values[attname] = ""
        plan.without_file.append(names.label(kind, then))


def _plan_links(plan, seminar, state, names, links):
    deleted = {step.pk for step in plan.of(DELETE) if step.kind.key == "agendaitem"}
    recreated = {step.pk for step in plan.of(RECREATE) if step.kind.key == "agendaitem"}
    agenda = set(
        AgendaItem._base_manager.filter(seminar_id=seminar.pk).values_list("pk", flat=True)
    )
    agenda = (agenda - deleted) | recreated
    restored = {
        pk: then for pk, then in state["participant"].items() if then not in (ABSENT, UNKNOWN)
    }
    through = Participant._meta.get_field(SPEAKER_LINKS).remote_field.through
    now = {pk: set() for pk in restored}
    for participant_id, item_id in through.objects.filter(
        participant_id__in=list(restored)
    ).values_list("participant_id", "agendaitem_id"):
        now[participant_id].add(item_id)
    for pk, then in restored.items():
        target = links.get(then.history_id, set()) & agenda
        if target != now[pk] - deleted:
            plan.links[pk] = target
            plan.link_labels.append(names.label(KIND["participant"], then))
