"""An edition's translatable text as the translator's workbench and the offline files see it.

Every translated field (modeltranslation's registry, so a new field appears without code) of the
edition, its host city, its organizers' organizations, agenda (sessions with their parts),
delegations with their people and photo captions, grouped as the public page shows them. Each
string has a stable id (`model.pk.field`), the source and target text and the target's state.
Read in a fixed number of queries; written by `save_translations`, one transaction through the
write guard, the edition's version, history and page-cache rules like every other write.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname

from seminars.models import Seminar
from seminars.record import permissions, translation_state, versions
from seminars.record.completeness import languages, translated_fields, with_translation_prefetch
from seminars.record.permissions import AUTOMATIC_FIELDS

MISSING, STALE, DONE, UNUSED = "missing", "stale", "done", "unused"
FILTERS = ("missing", "stale", "all")

SECTIONS = {
    "edition": gettext_lazy("Edition"),
    "organizers": gettext_lazy("Organizers"),
    "programme": gettext_lazy("Programme"),
    "delegations": gettext_lazy("Delegations"),
    "photos": gettext_lazy("Photos"),
}


@dataclass
class String:
    """One translated field of one object, seen from a source language."""

    key: str
    obj: object
    field: str
    owner: str
    label: str
    source: str
    target: str
    state: str
    old_source: str = ""
    max_length: int | None = None
    multiline: bool = False
    errors: list = field(default_factory=list)

    @property
    def input_name(self):
        return f"t-{self.key}"

    def shown(self, show):
        return show == "all" or self.state == show


def string_key(obj, field_name):
    return f"{obj._meta.model_name}.{obj.pk}.{field_name}"


def _owners(seminar):
    """(section, owner label, object) in the order of the public page."""
    yield "edition", str(_("Edition")), seminar
    yield "edition", str(_("Host city")), seminar.city
    seen = set()
    for organizer in seminar.organizers.all():
        if organizer.organization_id not in seen:
            seen.add(organizer.organization_id)
            role = organizer.get_role_display()
            yield "organizers", str(role), organizer.organization
    items = list(seminar.agenda_items.all())
    number = 0
    for item in items:
        if item.session_id is not None:
            continue
        number += 1
        yield "programme", _("Agenda item %(number)s") % {"number": number}, item
        parts = [part for part in items if part.session_id == item.pk]
        for position, part in enumerate(parts, start=1):
            label = _("Agenda item %(number)s.%(part)s") % {"number": number, "part": position}
            yield "programme", label, part
    for delegation in seminar.delegations.all():
        yield "delegations", str(delegation.get_side_display()), delegation
        for person in delegation.participants.all():
            yield "delegations", str(_("Participant")), person
    for number, photo in enumerate(seminar.photos.all(), start=1):
        yield "photos", _("Photo %(number)s") % {"number": number}, photo


def load(seminar_id):
    """The edition with everything the strings read (a fixed number of queries), or None."""
    queryset = with_translation_prefetch(Seminar.objects.filter(pk=seminar_id))
    return queryset.first()


def edition_strings(seminar, source):
    """[(section key, section title, [String])] of `seminar`, translating from `source`."""
    target = translation_state.other_language(source)
    owners = list(_owners(seminar))
    states = translation_state.states_of([obj for _s, _o, obj in owners])
    sections = {}
    for section, owner, obj in owners:
        for name in translated_fields(type(obj)):
            sections.setdefault(section, []).append(
                _string(obj, owner, name, source, target, states)
            )
    return [(key, SECTIONS[key], sections[key]) for key in SECTIONS if key in sections]


def _string(obj, owner, name, source, target, states):
    model_field = type(obj)._meta.get_field(name)
    source_text = getattr(obj, build_localized_fieldname(name, source)) or ""
    target_text = getattr(obj, build_localized_fieldname(name, target)) or ""
    row = states.get(translation_state.state_key(obj, name, target))
    old_source = ""
    if not target_text.strip():
        state = MISSING if source_text.strip() else UNUSED
    elif row is not None and row.state == translation_state.STALE:
        state, old_source = STALE, row.source_text_at_translation
    else:
        state = DONE
    return String(
        key=string_key(obj, name),
        obj=obj,
        field=name,
        owner=owner,
        label=str(model_field.verbose_name),
        source=source_text,
        target=target_text,
        state=state,
        old_source=old_source,
        max_length=getattr(model_field, "max_length", None),
        multiline=model_field.get_internal_type() == "TextField",
    )


def all_strings(sections):
    return [string for _key, _title, strings in sections for string in strings]


def progress(seminar):
    """[{language, done, total, percent}]: the fields used in any language that have text in
    that language, not stale."""
    first = languages()[0]
    strings = all_strings(edition_strings(seminar, first))
    reverse = {s.key: s for s in all_strings(edition_strings(seminar, languages()[1]))}
    used = [s for s in strings if s.state != UNUSED]
    result = []
    for language in languages():
        done = 0
        for string in used:
            seen = reverse[string.key] if language == first else string
            done += seen.state == DONE
        total = len(used)
        percent = round(100 * done / total) if total else 100
        result.append({"language": language, "done": done, "total": total, "percent": percent})
    return result


# --- writing ---------------------------------------------------------------------------------


class TranslationsRefused(Exception):
    """Nothing was saved; `messages` say why (in the staff language)."""

    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


def save_refusal(user):
    """None when `user` may save on the workbench (edit an edition's text); else why not."""
    return permissions.model_refusal(user, Seminar, permissions.CHANGE)


def length_error(string, text):
    if string.max_length and len(text) > string.max_length:
        return _("%(field)s of %(owner)s: at most %(max)d characters (this has %(count)d).") % {
            "field": string.label,
            "owner": string.owner,
            "max": string.max_length,
            "count": len(text),
        }
    return None


def _grouped_changes(by_key, changes, target):
    """{object: {localized column: text}} for the changed strings; refuses unknown ids and
    texts over the field's length."""
    grouped, errors = {}, []
    for key, text in changes.items():
        string = by_key.get(key)
        if string is None:
            errors.append(_("Unknown text id: %(id)s.") % {"id": key})
            continue
        error = length_error(string, text)
        if error:
            errors.append(error)
        column = build_localized_fieldname(string.field, target)
        grouped.setdefault(string.obj, {})[column] = text
    if errors:
        raise TranslationsRefused(errors)
    return grouped


def save_translations(seminar, source, changes, loaded_version, user, confirm=()):
    """Write the target texts `changes` {key: text} and confirm the stale ones in `confirm`
    ("still correct"), in one transaction: refused as a whole (TranslationsRefused, or the
    edition's stale ValidationError) when the edition moved on since `loaded_version`, when
    the user may not write one of them, or a text is too long. Returns the number of fields
    written and confirmed."""
    target = translation_state.other_language(source)
    reason = save_refusal(user)
    if reason:
        raise TranslationsRefused([reason])
    by_key = {s.key: s for s in all_strings(edition_strings(seminar, source))}
    grouped = _grouped_changes(by_key, changes, target)
    confirmed = [by_key[key] for key in confirm if key in by_key]
    with transaction.atomic(), versions.bumps_once():
        versions.check_current(seminar.pk, loaded_version)
        refusals = []
        for obj, columns in grouped.items():
            refusal = permissions.refusal(user, obj, permissions.CHANGE, set(columns))
            if refusal:
                refusals.append(refusal)
        for string in confirmed:
            column = build_localized_fieldname(string.field, target)
            refusal = permissions.refusal(user, string.obj, permissions.CHANGE, {column})
            if refusal:
                refusals.append(refusal)
        if refusals:
            raise TranslationsRefused(list(dict.fromkeys(refusals)))
        with permissions.acting_as(user), translation_state.translating(source):
            for obj, columns in grouped.items():
                for column, text in columns.items():
                    setattr(obj, column, text)
                automatic = [
                    f.name for f in obj._meta.concrete_fields if f.name in AUTOMATIC_FIELDS
                ]
                obj.save(update_fields=[*columns, *automatic])
            for string in confirmed:
                translation_state.still_correct(string.obj, string.field, target)
            if grouped or confirmed:  # one step, also for a city's or an organization's text
                versions.bump(seminar.pk, user)
    return sum(len(columns) for columns in grouped.values()) + len(confirmed)


def changed_targets(strings, data):
    """{key: text} of the strings whose posted target differs from the stored one."""
    changes = {}
    for string in strings:
        if string.input_name not in data:
            continue
        text = data[string.input_name].replace("\r\n", "\n")
        if text.strip() != string.target.strip():
            changes[string.key] = text.strip()
    return changes


def stale_version_message(error):
    """The edition's stale refusal (a ValidationError) as messages."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]
