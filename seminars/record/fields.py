"""Which fields of a content model hold translated text: what a translator may change.

Asked by seminars.record.permissions (the write guard and the admin's read-only fields); the roles
themselves (the groups) are defined in seminars.record.roles.
"""

from modeltranslation.translator import NotRegistered, translator


def translated_field_names(model):
    """Every column of translated text: the field and its per-language columns."""
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
    translated = translated_field_names(model)
    names = []
    for field in model._meta.get_fields():
        editable = (field.concrete or field.many_to_many) and field.editable
        if not editable or field.auto_created or field.primary_key or field.name in translated:
            continue
        if parent_model is not None and field.is_relation and field.related_model is parent_model:
            continue
        names.append(field.name)
    return names
