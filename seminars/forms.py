"""Admin forms of the record: the edition-wide lock, photo uploads, messages that name labels,
and the agenda rows with their speakers."""

from django import forms
from django.apps import apps
from django.forms.models import BaseInlineFormSet
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .uploads import PhotoUploadForm
from .versions import VERSION_FIELD, EditionVersionForm

__all__ = [
    "VERSION_FIELD",
    "AgendaItemInlineForm",
    "AgendaItemInlineFormSet",
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


class AgendaItemInlineForm(forms.ModelForm):
    """An agenda row of the edition page with its speakers, chosen among the edition's people.

    The links are written through the item's `speakers` relation, so the write guard decides
    them like any other change (a translator cannot change them) and the edition's version
    moves forward.
    """

    speakers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("speakers"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3, "class": "agenda-speakers"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = _participants().objects.none()
        if self.instance.pk is not None:
            self.initial.setdefault("speakers", [p.pk for p in self.instance.speakers.all()])

    def _save_m2m(self):
        super()._save_m2m()
        if "speakers" in self.fields and "speakers" in self.changed_data:
            self.instance.speakers.set(self.cleaned_data["speakers"])


def _participants():
    return apps.get_model("participants", "Participant")


class AgendaItemInlineFormSet(LabelledInlineFormSet):
    """The speakers' and sessions' choices: the edition's named people and its own top-level
    items (a session is never a part), each read once for every row."""

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
        field.queryset = sessions.order_by("date", "order", "pk")
        if self._session_choices is None:
            # The item's own title: the edition is the page's, the row is short.
            self._session_choices = [("", "---------")] + [
                (item.pk, item.title) for item in field.queryset
            ]
        widget = field.widget
        if hasattr(widget, "widget"):  # the admin's wrapper: no add/change links in a row
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
            widget = widget.widget
        widget.choices = self._session_choices
