"""Optimistic locking for admin change forms: a second, stale save is refused, not merged."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOCK_FIELD = "loaded_updated_at"


def _token(value):
    return value.isoformat() if value else ""


class OptimisticLockFormMixin:
    """Carries the row's `updated_at` as loaded; refuses the save if the row changed since.

    The admin runs the whole change view in a transaction, so the row read here with
    select_for_update stays locked until this save commits: no one can slip in between.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            # The row as it is now: the instance may be an older version (history's revert form).
            self.fields[LOCK_FIELD].initial = _token(self._current_updated_at())

    def _current_updated_at(self, lock=False):
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if lock:
            rows = rows.select_for_update()
        return rows.values_list("updated_at", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        current = self._current_updated_at(lock=True)
        if _token(current) != (self.data.get(self.add_prefix(LOCK_FIELD)) or ""):
            raise ValidationError(
                _(
                    "Someone else saved this record after you opened it. Your changes were "
                    "not saved: reload the page to see their version, then make your changes again."
                ),
                code="stale",
            )
        return cleaned_data


class OptimisticLockAdminMixin:
    """For ModelAdmins of models with an auto_now `updated_at` (no schema change needed)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.pop("form", None) or self.form
        lock_field = forms.CharField(widget=forms.HiddenInput, required=False)
        kwargs["form"] = type(
            f"Locked{base.__name__}", (OptimisticLockFormMixin, base), {LOCK_FIELD: lock_field}
        )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [*options.get("fields", ()), LOCK_FIELD]
        return [(name, {**options, "fields": fields}), *rest]


def patch_autocomplete_widgets():
    """Make the admin's autocomplete widgets survive a malformed submitted id.

    On a form error the admin renders the widget again with the submitted value, and Django's
    AutocompleteMixin.optgroups() queries `pk__in=[value]` unchecked: "abc" raised a ValueError
    (a 500) instead of showing the field's "Select a valid choice" error. Values the target field
    cannot hold are dropped before that query; the form field still reports them.
    """
    from django.contrib.admin.widgets import AutocompleteMixin

    original = AutocompleteMixin.optgroups
    if getattr(original, "safety_patched", False):
        return

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        return original(self, name, [v for v in value if _holds(target, v)], attr)

    optgroups.safety_patched = True
    AutocompleteMixin.optgroups = optgroups


def _holds(field, value):
    try:
        field.run_validators(field.to_python(value))  # includes the database's integer range
    except ValidationError:
        return False
    return True
