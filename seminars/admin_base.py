"""What every admin of the record shares: role-aware fields and buttons, refusals shown as
messages, the history revert made safe. The decisions themselves live in seminars.permissions;
these classes only show them (read-only fields, hidden buttons) and report a refusal.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from . import permissions
from .forms import LabelledInlineFormSet
from .roles import is_translator_only, untranslated_field_names


def _untranslated(model, parent_model=None):
    return untranslated_field_names(model, parent_model)


class RecordAdminMixin:
    """For the ModelAdmin of every content model; list it first among the bases."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if getattr(request, "_history_read_only", False):
            return [*fields, *flatten_fieldsets(self.get_fieldsets(request, obj))]
        if is_translator_only(request.user):
            fields += [f for f in _untranslated(self.model) if f not in fields]
        if not permissions.may_publish(request.user):
            model_fields = {f.name for f in self.model._meta.get_fields()}
            fields += [
                f for f in sorted(permissions.PUBLICATION_FIELDS & model_fields) if f not in fields
            ]
        return fields

    def has_add_permission(self, request, *args, **kwargs):
        if is_translator_only(request.user):
            return False
        return super().has_add_permission(request, *args, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return not is_translator_only(request.user)
        return permissions.refusal(request.user, obj, permissions.DELETE) is None

    # --- refusals of the write guard, as messages rather than error pages ---

    def _refused(self, request, refusal, url):
        self.message_user(request, str(refusal), messages.ERROR)
        return HttpResponseRedirect(url)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except permissions.WriteRefused as refusal:
            return self._refused(request, refusal, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_or_change_permission(request, obj):
            reason = permissions.refusal(request.user, obj, permissions.DELETE)
            if reason and self._only_refused_by_rule(request, obj):
                return self._refused(request, reason, self._change_url(obj))
        try:
            return super().delete_view(request, object_id, extra_context)
        except permissions.WriteRefused as refusal:
            return self._refused(request, refusal, request.get_full_path())

    def _only_refused_by_rule(self, request, obj):
        """Refused although the model permission is there (a published edition)."""
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except permissions.WriteRefused as refusal:
            return self._refused(request, refusal, request.get_full_path())

    def response_action(self, request, queryset):
        # An action writes all its rows or none (a refusal midway rolls back the others).
        with transaction.atomic():
            return super().response_action(request, queryset)

    def get_deleted_objects(self, objs, request):
        """The delete page without Django's frozen, untranslated names of many-to-many links.

        An auto-created link model's name ("Participant-agendaitem relationship") is built once
        at import time, in whatever language was active: its rows are left out of the list and
        counted under a name in the staff language.
        """
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = {
            str(model._meta.verbose_name_plural): model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.auto_created
        }
        prefixes = tuple(f"{capfirst(str(model._meta.verbose_name))}: " for model in links.values())
        counts = {}
        for name, count in model_count.items():
            link = links.get(str(name))
            counts[_link_label(link) if link else name] = count
        return _without(to_delete, prefixes), counts, perms_needed, protected

    def _change_url(self, obj):
        from django.urls import reverse

        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _link_label(model):
    source, target = (field.related_model for field in model._meta.fields if field.is_relation)
    return _("links between %(source)s and %(target)s") % {
        "source": source._meta.verbose_name_plural,
        "target": target._meta.verbose_name_plural,
    }


def _without(nested, prefixes):
    """The delete page's nested list of objects, without the entries starting with `prefixes`."""
    kept = []
    for entry in nested:
        if isinstance(entry, list):
            inner = _without(entry, prefixes)
            if inner:
                kept.append(inner)
        elif not str(entry).startswith(prefixes):
            kept.append(entry)
    return kept


class HistoryRevertMixin:
    """The history's revert page (django-simple-history), as safe as the change form.

    The page saves a whole historical row, fields the form does not show included: the write
    guard compares that row with the stored one, so a revert can change nothing the user could
    not change by hand. It runs in one transaction (the locking form locks the row), answers 404
    for malformed ids, never offers an editable form to view-only users, and says "restored".
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            if request.method == "POST":
                raise permissions.WriteRefused(_("You may not change this record."))
            request._history_read_only = True
        request._reverting = version_id
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except permissions.WriteRefused as refusal:
            return self._refused(request, refusal, request.get_full_path())

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def construct_change_message(self, request, form, formsets, add=False):
        version_id = getattr(request, "_reverting", None)
        if version_id is None:
            return super().construct_change_message(request, form, formsets, add)
        return _("Restored the version of %(when)s.") % {"when": self._version_time(version_id)}

    def response_change(self, request, obj):
        version_id = getattr(request, "_reverting", None)
        if version_id is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _("%(object)s was restored to the version of %(when)s.")
            % {"object": obj, "when": self._version_time(version_id)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(obj))

    def _version_time(self, version_id):
        version = self.model.history.filter(history_id=version_id).first()
        if version is None:
            return ""
        return date_format(localtime(version.history_date), "DATETIME_FORMAT")


class RecordInlineMixin:
    """For every inline of a content model: translators edit text only; labelled duplicates."""

    formset = LabelledInlineFormSet

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_translator_only(request.user):
            untranslated = _untranslated(self.model, self.parent_model)
            fields += [f for f in untranslated if f not in fields]
        return fields

    def has_add_permission(self, request, obj):
        return not is_translator_only(request.user) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if is_translator_only(request.user):
            return False
        return super().has_delete_permission(request, obj)
