"""Admin forms of the record: optimistic locking, photo uploads, and messages that name labels."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .uploads import PhotoUploadForm

__all__ = ["LabelledInlineFormSet", "OptimisticLockForm", "PhotoUploadForm", "SeminarAdminForm"]

LOCK_FIELD = "loaded_updated_at"


def _token(value):
    return value.isoformat() if value else ""


class OptimisticLockForm(forms.ModelForm):
    """Carries the row's `updated_at` as loaded; refuses the save if the row changed since.

    The admin runs the change view in a transaction (the history revert too, see
    seminars.admin), so the row read here with select_for_update stays locked until this save
    commits: no one can slip in between.
    """

    loaded_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

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
                gettext_lazy(
                    "Someone else saved this record after you opened it. Your changes were "
                    "not saved: reload the page to see their version, then make your changes again."
                ),
                code="stale",
            )
        return cleaned_data


class SeminarAdminForm(OptimisticLockForm):
    """The edition's change form (fields come from the admin's fieldsets)."""


class LabelledInlineFormSet(BaseInlineFormSet):
    """Duplicate-row errors name the fields by their labels, in the staff language."""

    def get_unique_error_message(self, unique_check):
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return _("Please correct the duplicate data for %(field)s, which must be unique.") % {
            "field": get_text_list(labels, _("and"))
        }
