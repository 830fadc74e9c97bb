"""Admin forms of the record: the edition-wide lock, photo uploads, messages that name labels."""

from django.forms.models import BaseInlineFormSet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from .uploads import PhotoUploadForm
from .versions import VERSION_FIELD, EditionVersionForm

__all__ = [
    "VERSION_FIELD",
    "EditionVersionForm",
    "LabelledInlineFormSet",
    "PhotoUploadForm",
    "SeminarAdminForm",
]


class SeminarAdminForm(EditionVersionForm):
    """The edition's change form: refused when the edition or any part of it moved on."""


class LabelledInlineFormSet(BaseInlineFormSet):
    """Duplicate-row errors name the fields by their labels, in the staff language."""

    def get_unique_error_message(self, unique_check):
        labels = [str(self.model._meta.get_field(name).verbose_name) for name in unique_check]
        return _("Please correct the duplicate data for %(field)s, which must be unique.") % {
            "field": get_text_list(labels, _("and"))
        }
