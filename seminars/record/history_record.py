"""History records for rows written outside the history, so that its latest point is always now.

django-simple-history records what goes through the ORM's signals. `loaddata` saves raw (no
record), so do the trash's restore and raw SQL: without a record, the first edit of a seed
edition would be the first point of its history (the state before it lost), and a row brought
back from the trash would still count as deleted. `record()` compares every row with its latest
record and writes one where they differ ("+" where there is none or the latest says deleted; "~"
where a value or a link differs; "-" for a row gone without one), all at one time, by one user,
with one reason: one point of the history. Run by `manage.py record_history` after loaddata
(`make seed`) and by the trash's restore.
"""

from django.apps import apps
from django.db.models.fields.files import FieldFile

from seminars.record.history_tables import HISTORY_M2M_FIELDS, HISTORY_MODELS, RECORDED, point_time

# Never a person's decision: a difference here alone is no change worth a record.
IGNORED = {"updated_at"}


def _value(obj, attname):
    value = getattr(obj, attname)
    if isinstance(value, FieldFile):
        value = value.name
    return None if value == "" else value


def _latest(history, pks):
    latest = {}
    for row in history.objects.filter(id__in=pks).order_by("history_date", "history_id"):
        latest[row.id] = row
    return latest


def _links_now(model, field_names, objects):
    """{pk: {field name: {linked pk: link row id}}} for `objects`, one query per field."""
    links = {obj.pk: {name: {} for name in field_names} for obj in objects}
    for name in field_names:
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        for link_id, pk, other in through.objects.filter(
            **{f"{source}__in": list(links)}
        ).values_list("id", source, target):
            links[pk][name][other] = link_id
    return links


def _links_recorded(history, field_names, rows):
    links = {row.history_id: {name: set() for name in field_names} for row in rows}
    for name in field_names:
        link_history = getattr(history, name).model
        target = history.instance_type._meta.get_field(name).m2m_reverse_field_name() + "_id"
        for history_id, other in link_history.objects.filter(
            history_id__in=list(links)
        ).values_list("history_id", target):
            links[history_id][name].add(other)
    return links


def record(objects=None, user=None, reason=RECORDED, when=None):
    """Write a record for each row that differs from its latest one; returns how many were written.

    `when`: by default the time of the current `one_point()` block or request
    (seminars.record.history_tables).

    `objects`: {model: rows} to compare (their deletions are not looked for); None compares every
    row of every model with a history, and records as deleted the rows gone without a record.
    """
    when = when or point_time()
    written = 0
    everything = objects is None
    if everything:
        objects = {
            apps.get_model(label): apps.get_model(label)._base_manager.all()
            for label in HISTORY_MODELS
        }
    for model, rows in objects.items():
        written += _record_model(model, list(rows), user, reason, when, everything)
    return written


def _record_model(model, rows, user, reason, when, deletions):
    history = model.history.model
    fields = [f for f in history.tracked_fields if f.attname not in IGNORED]
    m2m = HISTORY_M2M_FIELDS.get(model._meta.label, [])
    latest = _latest(history, [obj.pk for obj in rows])
    if deletions:
        latest_all = _latest(history, history.objects.values("id"))
        present = {obj.pk for obj in rows}
        gone = [row for pk, row in latest_all.items() if pk not in present]
        latest.update(latest_all)
    else:
        gone = []
    now_links = _links_now(model, m2m, rows)
    then_links = _links_recorded(history, m2m, [latest[obj.pk] for obj in rows if obj.pk in latest])
    new, links = [], []
    for obj in rows:
        last = latest.get(obj.pk)
        if last is None or last.history_type == "-":
            kind = "+"
        elif (
            any(_value(obj, f.attname) != _value(last, f.attname) for f in fields)
            or {name: set(others) for name, others in now_links[obj.pk].items()}
            != then_links[last.history_id]
        ):
            kind = "~"
        else:
            continue
        new.append(_row(history, obj, kind, user, reason, when))
        links.append(now_links[obj.pk])
    for last in gone:
        if last.history_type != "-":
            new.append(_row(history, last, "-", user, reason, when))
            links.append({name: {} for name in m2m})
    for row in new:  # one by one: each one's id names its links
        row.save()
    for row, row_links in zip(new, links, strict=True):
        for name, others in row_links.items():
            link_history = getattr(history, name).model
            target = model._meta.get_field(name).m2m_reverse_field_name()
            source = model._meta.get_field(name).m2m_field_name()
            link_history.objects.bulk_create(
                link_history(
                    id=link_id, history=row, **{f"{source}_id": row.id, f"{target}_id": other}
                )
                for other, link_id in others.items()
            )
    return len(new)


def _row(history, obj, kind, user, reason, when):
    return history(
        history_date=when,
        history_type=kind,
        history_user=user,
        history_change_reason=reason,
        **{f.attname: getattr(obj, f.attname) for f in history.tracked_fields},
    )
