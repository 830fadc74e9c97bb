"""Which translations are stale: their source text changed after they were saved.

A translated field has a direction once it is translated: the text in one language was made from
the other's. `TranslationState` keeps, per object, field and language of the translation, the
source text it was made from and whether that source has changed since (stale).

The signal `_before_save` (connected for every translated model the record edits, after the write
guard, so a refused write records nothing) is the safety net every write path passes: the change
form, inlines, the workbench, an import, a restore or a command. For a save that changes the
text of language A of a field while B's stays:

- A is a translation of B when the workbench or an import says so (`translating(B)`), when A was
  empty before, when A is already known as B's translation, or — unless B is known as A's
  translation — when the writer changes text only (a translator) or, with no direction known
  yet, when A is not the first language (Japanese is written first): A's state becomes current,
  made from B's text as it is now;
- otherwise A is a source: B, when it has text, becomes stale, keeping what A was when B was
  translated (the old text of A, unless B's state already knows it).

The record has two languages (ja, zh-hans): "the other language" is the one that is not A.
"""

import contextlib
import contextvars

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete, pre_save
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from seminars.models import TranslationState
from seminars.record import permissions, versions
from seminars.record.completeness import languages, translated_fields
from seminars.record.content import edited_models

CURRENT, STALE = TranslationState.State.CURRENT, TranslationState.State.STALE

_declared_source = contextvars.ContextVar("translation_source", default=None)


@contextlib.contextmanager
def translating(source_language):
    """Writes inside the block translate from `source_language` (the workbench, an import)."""
    token = _declared_source.set(source_language)
    try:
        yield
    finally:
        _declared_source.reset(token)


def other_language(language):
    return next(code for code in languages() if code != language)


def _text(value):
    return (value or "").strip()


def _is_translated_model(model):
    try:
        translator.get_options_for_model(model)
    except NotRegistered:
        return False
    return True


# --- reading ---------------------------------------------------------------------------------


def state_key(obj, field, language):
    return (ContentType.objects.get_for_model(obj).pk, obj.pk, field, language)


def states_of(objects):
    """{(content type id, pk, field, language): TranslationState} of `objects`, one query."""
    wanted = {}
    for obj in objects:
        wanted.setdefault(ContentType.objects.get_for_model(obj).pk, set()).add(obj.pk)
    if not wanted:
        return {}
    condition = Q()
    for content_type_id, pks in wanted.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=pks)
    return {
        (row.content_type_id, row.object_id, row.field, row.language): row
        for row in TranslationState.objects.filter(condition)
    }


def stale_counts(seminar_ids=None):
    """{seminar id: number of stale translations of the edition's own rows}, one query."""
    from django.db.models import Count

    rows = TranslationState.objects.filter(state=STALE, seminar__isnull=False)
    if seminar_ids is not None:
        rows = rows.filter(seminar_id__in=list(seminar_ids))
    counts = rows.values("seminar_id").annotate(n=Count("pk")).values_list("seminar_id", "n")
    return dict(counts)


def stale_count_of_edition():
    """An annotation: the number of stale translations of the edition's own rows."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    rows = (
        TranslationState.objects.filter(seminar=OuterRef("pk"), state=STALE)
        .order_by()
        .values("seminar")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


# --- writing ---------------------------------------------------------------------------------


def _stored_texts(instance, names):
    model = type(instance)._meta.concrete_model
    return model._base_manager.filter(pk=instance.pk).values(*names).first() or {}


def _set(instance, rows, field, language, **values):
    """Create or update the state of (`field`, `language`) of `instance`."""
    row = rows.get((field, language))
    if row is None:
        row = TranslationState(
            content_type=ContentType.objects.get_for_model(instance),
            object_id=instance.pk,
            field=field,
            language=language,
            seminar_id=versions.edition_id_of(instance),
        )
        rows[(field, language)] = row
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


def _drop(rows, field, language):
    row = rows.pop((field, language), None)
    if row is not None and row.pk is not None:
        row.delete()


def _is_translation_edit(rows, field, language, old_text, source):
    """Whether a change of `language`'s text edits a translation of `source` (or the source)."""
    if _declared_source.get() == source:
        return True
    if not old_text or (field, language) in rows:
        return True
    if (field, source) in rows:  # the other text was translated from this one: a source edit
        return False
    if permissions.edits_text_only(permissions.acting_user()):
        return True
    # No direction known yet (text entered before the workbench): the record is written in
    # Japanese first, so the first language is the source.
    return language != languages()[0]


def note_change(instance, field, old, new, rows):
    """Record what one save did to `field` of `instance`: `old`/`new` {language: text}."""
    changed = [lang for lang in languages() if _text(old.get(lang)) != _text(new.get(lang))]
    if len(changed) == len(languages()):  # both at once: only a known direction is kept up
        target = None
        declared = _declared_source.get()
        if declared in languages():
            target = other_language(declared)
        else:
            target = next((lang for lang in languages() if (field, lang) in rows), None)
        if target is not None and _text(new[target]):
            _translated(instance, rows, field, target, new)
        return
    for language in changed:
        source = other_language(language)
        new_text, source_text = _text(new[language]), _text(new[source])
        if (
            new_text
            and source_text
            and _is_translation_edit(rows, field, language, _text(old.get(language)), source)
        ):
            _translated(instance, rows, field, language, new)
        elif source_text:
            _source_changed(instance, rows, field, source, old[language])
        if not new_text:
            _drop(rows, field, language)


def _translated(instance, rows, field, language, texts):
    source = other_language(language)
    _drop(rows, field, source)  # one direction per field
    _set(
        instance,
        rows,
        field,
        language,
        source_language=source,
        source_text_at_translation=_text(texts[source]),
        state=CURRENT,
    )


def _source_changed(instance, rows, field, translation_language, old_source):
    """The text of the other language changed: its translation into `translation_language` is
    stale, keeping the source as it was when it was translated."""
    row = rows.get((field, translation_language))
    kept = row.source_text_at_translation if row is not None else _text(old_source)
    _drop(rows, field, other_language(translation_language))
    _set(
        instance,
        rows,
        field,
        translation_language,
        source_language=other_language(translation_language),
        source_text_at_translation=kept,
        state=STALE,
    )


def _own_rows(instance):
    content_type = ContentType.objects.get_for_model(instance)
    return {
        (row.field, row.language): row
        for row in TranslationState.objects.filter(content_type=content_type, object_id=instance.pk)
    }


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return  # a new row has no translation that could be stale yet
    columns = {
        build_localized_fieldname(field, language): (field, language)
        for field in translated_fields(type(instance))
        for language in languages()
    }
    if update_fields is not None and not set(columns) & set(update_fields):
        return
    stored = _stored_texts(instance, list(columns))
    old, new = {}, {}
    for name, (field, language) in columns.items():
        written = update_fields is None or name in update_fields
        old.setdefault(field, {})[language] = stored.get(name)
        new.setdefault(field, {})[language] = (
            getattr(instance, name) if written else stored.get(name)
        )
    touched = [f for f in old if any(_text(old[f][k]) != _text(new[f][k]) for k in old[f])]
    if touched:
        rows = _own_rows(instance)
        for field in touched:
            note_change(instance, field, old[field], new[field], rows)


def _after_delete(sender, instance, **kwargs):
    content_type = ContentType.objects.get_for_model(instance)
    TranslationState.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def still_correct(instance, field, language):
    """The translation of `field` into `language` stays as it is: made from the source as it is
    now. The caller checks the permission and the edition's version."""
    texts = {
        code: getattr(instance, build_localized_fieldname(field, code)) for code in languages()
    }
    _translated(instance, _own_rows(instance), field, language, texts)


def connect():
    """Called from SeminarsConfig.ready(), after the write guard."""
    for model in edited_models():
        if not _is_translated_model(model):
            continue
        uid = model._meta.label_lower
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"translation_state_{uid}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"translation_gone_{uid}")
