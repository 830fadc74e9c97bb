"""Admin forms of the record: the edition-wide lock, photo uploads, messages that name labels,
and the agenda rows with their speakers."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from seminars.admin.agenda_rows import (
    AgendaItemInlineForm,
    AgendaItemRowForm,
    AgendaRowsMixin,
    SessionField,
    _participants,
    new_row_choices,
    new_row_label,
)
from seminars.media.uploads import PhotoUploadForm
from seminars.record.versions import VERSION_FIELD, EditionVersionForm

__all__ = [
    "VERSION_FIELD",
    "AgendaItemInlineForm",
    "AgendaItemInlineFormSet",
    "AgendaItemRowForm",
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


class AgendaItemInlineFormSet(AgendaRowsMixin, LabelledInlineFormSet):
    """The speakers' and sessions' choices: the edition's named people and its own top-level
    items (a session is never a part), each read once for every row; a new row of the same
    save can be chosen as a session too (seminars.admin.agenda_rows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = _participants().objects.all()
        if self.instance.pk is None:  # a new edition has no people yet
            people = people.none()
        else:
            people = people.filter(delegation__seminar=self.instance)
        self._people = people.select_related("delegation").order_by(
            "-delegation__side", "order", "pk"
        )
        self._choices = None
        self._session_choices = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.agenda_rows = self
        self._limit_sessions(form)
        field = form.fields.get("speakers")
        if field is None or self.instance.pk is None:
            return
        if self._choices is None:
            self._choices = [(p.pk, str(p)) for p in self._people]
        field.queryset = self._people
        field.widget.choices = self._choices

    def _limit_sessions(self, form):
        field = form.fields.get("session")
        if field is None:
            return
        sessions = self.model.objects.none()
        if self.instance.pk is not None:
            sessions = self.model.objects.filter(seminar=self.instance, session__isnull=True)
        sessions = sessions.order_by("date", "order", "pk")
        if self._session_choices is None:
            # The item's own title: the edition is the page's, the row is short.
            self._session_choices = (
                [("", "---------")]
                + [(item.pk, item.title) for item in sessions]
                + new_row_choices(self)
            )
        # No add/change links in a row (the admin's wrapper goes); a new row may be chosen.
        form.fields["session"] = SessionField(
            queryset=sessions,
            required=False,
            label=field.label,
            help_text=field.help_text,
            widget=forms.Select(
                attrs={
                    "class": "agenda-session",
                    "data-new-row-label": new_row_label("%(title)s"),
                }
            ),
        )
        form.fields["session"].widget.choices = self._session_choices
