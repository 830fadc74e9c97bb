"""The editorial roles (groups made by editorial/migrations/0002_roles.py) and what they limit.

Translators may change only translated text: every other field is read-only for them, in the
model's own admin and in the inlines of the seminar page, and they cannot add or delete.
"""

from functools import cache

from modeltranslation.translator import NotRegistered, translator

EDITORS = "Editors"
TRANSLATORS = "Translators"
DATA_STEWARDS = "Data stewards"
PUBLISHERS = "Publishers"
PUBLISH_PERMISSION = "editorial.publish_seminar"


def is_translator_only(user):
    """In Translators, and neither a superuser nor also an editor."""
    if not user.is_active or user.is_superuser:
        return False
    names = set(user.groups.values_list("name", flat=True))
    return TRANSLATORS in names and EDITORS not in names


def _translated_names(model):
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return set()
    names = set()
    for field_name, localized in options.all_fields.items():
        names.add(field_name)
        names.update(field.name for field in localized)
    return names


def untranslated_field_names(model, parent_model=None):
    """The editable fields that are not translated text (the parent's foreign key left out)."""
    translated = _translated_names(model)
    names = []
    for field in model._meta.get_fields():
        editable = (field.concrete or field.many_to_many) and field.editable
        if not editable or field.auto_created or field.primary_key or field.name in translated:
            continue
        if parent_model is not None and field.is_relation and field.related_model is parent_model:
            continue
        names.append(field.name)
    return names


def _cached_translator_only(request):
    if not hasattr(request, "_editorial_translator_only"):
        request._editorial_translator_only = is_translator_only(request.user)
    return request._editorial_translator_only


class TranslatorRestrictionMixin:
    """For a ModelAdmin: translators see untranslated fields read-only, cannot add or delete."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if _cached_translator_only(request):
            fields += [f for f in untranslated_field_names(self.model) if f not in fields]
        return fields

    def has_add_permission(self, request, *args, **kwargs):
        if _cached_translator_only(request):
            return False
        return super().has_add_permission(request, *args, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if _cached_translator_only(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if _cached_translator_only(request):
            return [translator_inline(inline) for inline in inlines]
        return inlines


class TranslatorInlineMixin:
    """The same limits for an inline on a parent's page."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        untranslated = untranslated_field_names(self.model, self.parent_model)
        return fields + [f for f in untranslated if f not in fields]

    def has_add_permission(self, request, obj):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@cache
def translator_inline(inline_class):
    return type(f"Translator{inline_class.__name__}", (TranslatorInlineMixin, inline_class), {})
