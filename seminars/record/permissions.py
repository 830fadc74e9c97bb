"""The one permission decision for every way of writing the record.

`refusal(user, instance, action)` answers None (allowed) or the reason, in the staff language.
The write guard (seminars.record.guards) asks it before every save, delete and many-to-many change
of a
content model, whatever started the write: a change form, an inline, a list action, the history
revert, delete, an import or a service. The admin asks the same function to decide what it shows.

The acting user is the signed-in user of the current request (set by
config.middleware.ActingUserMiddleware); code outside a request (migrations, loaddata, management
commands) acts as the system and is not limited.
"""

import contextlib
import contextvars

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from seminars.record.fields import translated_field_names, untranslated_field_names
from seminars.record.roles import EDITORS, PUBLISH_PERMISSION, TRANSLATORS

ADD, CHANGE, DELETE, VIEW = "add", "change", "delete", "view"
# Their own permissions (settings.IMPORT_EXPORT_*_PERMISSION_CODE), for the delegations.
IMPORT, EXPORT = "import", "export"
# Fields only a publisher may change, by whatever path.
PUBLICATION_FIELDS = {"status", "published_at"}
# Kept by the database itself, never a decision of the person saving.
AUTOMATIC_FIELDS = {"updated_at"}

# A function giving the acting user: a request's user is looked up only when something is
# written, so public pages cost no session query.
_acting_user = contextvars.ContextVar("acting_user", default=lambda: None)


class WriteRefused(PermissionDenied):
    """A write the acting user may not make; str() is the reason in the staff language."""


def acting_user():
    user = _acting_user.get()()
    return user if user is not None and user.is_authenticated else None


@contextlib.contextmanager
def acting_as(user):
    """Writes inside the block are decided for `user` (None: the system)."""
    token = _acting_user.set(lambda: user)
    try:
        yield
    finally:
        _acting_user.reset(token)


@contextlib.contextmanager
def acting_for_request(request):
    """Writes inside the block are decided for the request's user, looked up on first need."""
    token = _acting_user.set(lambda: getattr(request, "user", None))
    try:
        yield
    finally:
        _acting_user.reset(token)


def _permission(model, action):
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _comparable(field, value):
    """The value as the database would store it; empty text and NULL alike."""
    if isinstance(value, FieldFile):
        value = value.name
    if value is None or value == "":
        return None
    try:
        return field.to_python(value)
    except ValidationError:
        return value


def changed_fields(instance):
    """The names of the concrete fields whose value differs from the stored row."""
    model = type(instance)._meta.concrete_model
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stored = model._base_manager.filter(pk=instance.pk).values(*[f.attname for f in fields])
    row = stored.first()
    if row is None:
        return {f.name for f in fields}
    changed = set()
    for field in fields:
        new = _comparable(field, getattr(instance, field.attname))
        if new != _comparable(field, row[field.attname]):
            changed.add(field.name)
    return changed - AUTOMATIC_FIELDS


def refusal(user, instance, action, fields=None):
    """None when `user` may `action` (add/change/delete) `instance`; otherwise why not.

    `fields`: for a change, the fields it changes (default: compared with the stored row).
    """
    model = type(instance)._meta.concrete_model
    if user is None:  # the system: migrations, loaddata, restore, management commands
        return None
    if action == DELETE and getattr(instance, "is_published", False):
        return _("A published edition cannot be deleted. Unpublish it first (publishers only).")
    if user.is_superuser and user.is_active:
        return None
    if action == CHANGE:
        if fields is None:
            fields = changed_fields(instance)
        if fields and fields <= PUBLICATION_FIELDS:
            # Publishing is its own permission: publishers need no change permission for it.
            if may_publish(user):
                return None
            return _("Only publishers may publish or unpublish an edition.")
    reason = model_refusal(user, model, action)
    if reason or action != CHANGE:
        return reason
    if fields & PUBLICATION_FIELDS and not user.has_perm(PUBLISH_PERMISSION):
        return _("Only publishers may publish or unpublish an edition.")
    if is_translator_only(user):
        untranslated = fields - translated_field_names(model)
        if untranslated:
            labels = sorted(_label(model, name) for name in untranslated)
            return _("Translators change translated text only, not: %(fields)s.") % {
                "fields": ", ".join(labels)
            }
    return None


def model_refusal(user, model, action):
    """None when `user` may `action` (add/change/delete/view) rows of `model` at all; else why
    not. What the admin asks before it offers a button, an inline row or a page."""
    if user is None:
        return None
    if not user.is_active:
        return _REFUSED_ACTIONS[action]() % {"model": model._meta.verbose_name_plural}
    if user.is_superuser:
        return None
    if not user.has_perm(_permission(model, action)):
        return _REFUSED_ACTIONS[action]() % {"model": model._meta.verbose_name_plural}
    if action in (ADD, DELETE) and is_translator_only(user):
        return _("Translators change translated text only; they cannot add or delete.")
    return None


def may(user, model, action):
    """True when `user` may `action` (add/change/delete/view) rows of `model` at all."""
    return model_refusal(user, model, action) is None


def may_view_or_change(user, model):
    """The admin's list and form are open to `user` (to read, or to edit): view or change."""
    return may(user, model, VIEW) or may(user, model, CHANGE)


def import_refusal(user, model):
    """None when `user` may import rows of `model` from a file; else why not. An import adds and
    changes rows: it needs those permissions as well as its own."""
    if not _has(user, _permission(model, IMPORT)):
        return _("You may not import %(model)s.") % {"model": model._meta.verbose_name_plural}
    return model_refusal(user, model, ADD) or model_refusal(user, model, CHANGE)


def may_import(user, model):
    return import_refusal(user, model) is None


def export_refusal(user, model):
    """None when `user` may export rows of `model` to a file; else why not."""
    if not _has(user, _permission(model, EXPORT)):
        return _("You may not export %(model)s.") % {"model": model._meta.verbose_name_plural}
    return None


def may_export(user, model):
    return export_refusal(user, model) is None


def may_view_dashboard(user):
    """The admin home's list of what needs work: for whoever may see editions."""
    return _has(user, "seminars.view_seminar")


def read_only_fields(user, model, parent_model=None):
    """The fields of `model` that `user` may not change, by any path: everything but translated
    text for translators, the publication fields for all but publishers. `parent_model`: the
    edited row is an inline of it (its foreign key to the parent is left out)."""
    fields = []
    if is_translator_only(user):
        fields += untranslated_field_names(model, parent_model)
    if not may_publish(user):
        names = {field.name for field in model._meta.get_fields()}
        fields += sorted(PUBLICATION_FIELDS & names)
    return list(dict.fromkeys(fields))


def edits_text_only(user):
    """The user changes translated text and nothing else (a translator): no speakers to pick,
    no rows to add or delete."""
    return is_translator_only(user)


_REFUSED_ACTIONS = {
    ADD: lambda: _("You may not add %(model)s."),
    CHANGE: lambda: _("You may not change %(model)s."),
    DELETE: lambda: _("You may not delete %(model)s."),
    VIEW: lambda: _("You may not view %(model)s."),
}


def _label(model, name):
    field = model._meta.get_field(name)
    if hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(field.related_model._meta.verbose_name_plural)  # the reverse side of a link


def check(instance, action, fields=None, user=None):
    """Raise WriteRefused unless the acting user (or `user`) may make this write."""
    reason = refusal(user if user is not None else acting_user(), instance, action, fields)
    if reason:
        raise WriteRefused(reason)


def may_publish(user):
    """True when `user` may publish and unpublish editions (the publishers)."""
    return _has(user, PUBLISH_PERMISSION)


def _has(user, permission):
    return user is not None and user.is_active and user.has_perm(permission)


def is_translator_only(user):
    """In Translators, and neither a superuser nor also an editor. Outside this module ask
    `edits_text_only`, `read_only_fields` or `may` instead."""
    if user is None or not user.is_active or user.is_superuser:
        return False
    if not hasattr(user, "_translator_only"):
        names = set(user.groups.values_list("name", flat=True))
        user._translator_only = TRANSLATORS in names and EDITORS not in names
    return user._translator_only


def restore_refusal(user):
    """None when `user` may restore or purge deleted editions (the publishers); else why not."""
    if may_publish(user):
        return None
    return _("Only publishers may restore or purge deleted editions.")


# --- review before publishing (seminars.record.review) ---
SUBMIT_FOR_REVIEW, DECIDE_REVIEW = "submit_for_review", "decide_review"


def review_refusal(user, step):
    """None when `user` may take this kind of review step; else why not. Editors (who change
    the whole edition, not text only) mark a draft ready for review or take it back; publishers
    approve, request changes and set the publication schedule."""
    if user is None:  # the system: the scheduled publication command
        return None
    if step == SUBMIT_FOR_REVIEW:
        if may(user, _seminar_model(), CHANGE) and not is_translator_only(user):
            return None
        return _("Only editors may mark an edition ready for review or take it back.")
    if may_publish(user):
        return None
    return _("Only publishers may approve, request changes or schedule the publication.")


def _seminar_model():
    from django.apps import apps

    return apps.get_model("seminars", "Seminar")


def users_who_may_publish():
    """Active staff with the publish permission of their own or by a group (the publishers;
    superusers without it are not counted): whom a review request is sent to."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, codename = PUBLISH_PERMISSION.split(".")
    wanted = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=app_label,
    )
    return get_user_model().objects.filter(wanted, is_active=True).distinct()
