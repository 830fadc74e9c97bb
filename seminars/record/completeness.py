"""Which translated fields of an edition (and of what its page shows) are empty in a language.

A field counts as missing in a language when it is empty there and either filled in another
language or required (an optional field empty in every language is simply unused). A draft's theme
counts as required (the title is optional: the page then uses the theme), so a fresh copy with
an empty theme is not "complete".
Fields come from modeltranslation's registry; suffixed names from its helper.
"""

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Organizer, Photo, Seminar

# Text a draft must have in every language before it is complete (optional once published:
# the first edition had no theme).
DRAFT_REQUIRED = {Seminar: {"theme"}}


def languages():
    return [code for code, _name in settings.LANGUAGES]


def language_name(code):
    """The language's name in the staff language (日本語, 简体中文), never its code."""
    return str(dict(settings.LANGUAGES).get(code, code))


def translated_fields(model):
    """The model's translated fields in declaration order (the registry's order is not fixed)."""
    registered = set(translator.get_options_for_model(model).fields)
    return [f.name for f in model._meta.get_fields() if f.name in registered]


def _is_required(model, field_name, instance=None):
    if not model._meta.get_field(field_name).blank:
        return True
    if field_name in DRAFT_REQUIRED.get(model, ()):
        return instance is not None and instance.status == Seminar.Status.DRAFT
    return False


def _required_q(model, field_name, prefix):
    """The database condition "this field is required" (None: never)."""
    if not model._meta.get_field(field_name).blank:
        return Q()
    if field_name in DRAFT_REQUIRED.get(model, ()):
        return Q(**{f"{prefix}status": Seminar.Status.DRAFT})
    return None


def _empty(name):
    return Q(**{name: ""}) | Q(**{f"{name}__isnull": True})


def field_missing_q(model, field_name, language, prefix=""):
    """The database condition "this field is missing in this language"."""
    localized = build_localized_fieldname(field_name, language)
    required = _required_q(model, field_name, prefix)
    if required is not None and not required:  # always required
        return _empty(prefix + localized)
    filled = Q()
    for other in languages():
        other_name = build_localized_fieldname(field_name, other)
        if other_name != localized:
            filled |= ~_empty(prefix + other_name)
    if required is not None:
        filled |= required
    return _empty(prefix + localized) & filled


def model_missing_q(model, language, prefix=""):
    condition = Q()
    for field_name in translated_fields(model):
        condition |= field_missing_q(model, field_name, language, prefix)
    return condition


# Children of an edition reached through a seminar foreign key: (model, path to the seminar).
CHILDREN = [
    (Organizer, "seminar", "organization__"),
    (AgendaItem, "seminar", ""),
    (Photo, "seminar", ""),
    (Delegation, "seminar", ""),
    (Participant, "delegation__seminar", ""),
]


def seminar_missing_q(language):
    """Seminars with at least one missing field in `language`, as one database condition."""
    condition = model_missing_q(Seminar, language) | model_missing_q(City, language, "city__")
    for model, seminar_path, prefix in CHILDREN:
        target = Organization if model is Organizer else model
        rows = model.objects.filter(**{seminar_path: OuterRef("pk")}).filter(
            model_missing_q(target, language, prefix)
        )
        condition |= Q(Exists(rows))
    return condition


def seminar_complete_q():
    condition = Q()
    for language in languages():
        condition &= ~seminar_missing_q(language)
    return condition


def with_translation_prefetch(queryset):
    """Everything `missing_fields` reads, in a fixed number of queries."""
    return queryset.select_related("city").prefetch_related(
        Prefetch("organizers", queryset=Organizer.objects.select_related("organization")),
        Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("date", "order", "pk")),
        Prefetch("photos", queryset=Photo.objects.order_by("order", "pk")),
        Prefetch(
            "delegations",
            queryset=Delegation.objects.order_by("side").prefetch_related(
                Prefetch("participants", queryset=Participant.objects.order_by("order", "pk"))
            ),
        ),
    )


@dataclass(frozen=True)
class Missing:
    """One empty field of one object in one language."""

    label: str
    field: str
    language: str
    # The change page's tab of the field ("tab_id_theme_zh_hans"); empty for other objects.
    anchor: str = ""
    # The object and the untranslated field name, for links to the field (the dashboard).
    obj: object = dataclasses.field(default=None, compare=False, repr=False)
    field_name: str = ""

    def __str__(self):
        return _("%(label)s: %(field)s (%(language)s)") % {
            "label": self.label,
            "field": self.field,
            "language": language_name(self.language),
        }


def _value_missing(instance, field_name, language):
    values = {
        lang: getattr(instance, build_localized_fieldname(field_name, lang)) or ""
        for lang in languages()
    }
    if values[language].strip():
        return False
    if _is_required(type(instance), field_name, instance):
        return True
    return any(value.strip() for lang, value in values.items() if lang != language)


def _text_of(instance):
    """The object's own words, in the first language that has them."""
    for field_name in translated_fields(type(instance)):
        for language in languages():
            value = getattr(instance, build_localized_fieldname(field_name, language)) or ""
            if value.strip():
                return value.strip()[:40]
    return ""


def _label(kind, instance, number=None):
    text = _text_of(instance)
    head = f"{kind} {number}" if number is not None else str(kind)
    return f"{head} “{text}”" if text else head


def _labelled_objects(seminar):
    yield str(_("Seminar")), seminar
    yield _label(_("Host city"), seminar.city), seminar.city
    seen = set()
    for organizer in seminar.organizers.all():
        if organizer.organization_id not in seen:
            seen.add(organizer.organization_id)
            yield _label(_("Organization"), organizer.organization), organizer.organization
    for number, item in enumerate(seminar.agenda_items.all(), start=1):
        yield _label(_("Agenda item"), item, number), item
    for delegation in seminar.delegations.all():
        yield str(delegation.get_side_display()), delegation
        for person in delegation.participants.all():
            yield _label(_("Participant"), person), person
    for number, photo in enumerate(seminar.photos.all(), start=1):
        yield _label(_("Photo"), photo, number), photo


def missing_fields(seminar, language=None):
    """Every missing field of the edition, optionally in one language only."""
    wanted = [language] if language else languages()
    found = []
    for label, instance in _labelled_objects(seminar):
        model = type(instance)
        for field_name in translated_fields(model):
            for lang in wanted:
                if _value_missing(instance, field_name, lang):
                    verbose = str(model._meta.get_field(field_name).verbose_name)
                    anchor = ""
                    if instance is seminar:
                        anchor = f"tab_id_{build_localized_fieldname(field_name, lang)}"
                    found.append(Missing(label, verbose, lang, anchor, instance, field_name))
    return found


def missing_counts(seminar):
    """{language: number of missing fields}."""
    counts = dict.fromkeys(languages(), 0)
    for missing in missing_fields(seminar):
        counts[missing.language] += 1
    return counts
