"""The agenda rows of the edition page, saved with the edition in one go.

- The programme moves with the edition: when a save changes the start date, every stored row
  whose date was not typed in that save keeps its day offset from the start (a copied programme
  lands on the new dates; the dates may be shorter, and rows that would then fall outside are
  named, unless they are marked for deletion).
- Rows marked for deletion are never checked (their own fields, their dates, their sessions).
- A part may name a session typed on a new row of the same save ("new-<form index>"): the
  session is saved first, then its parts.

The order of the writes (the database refuses an agenda day outside the edition's dates at every
write) is the admin's: it frees the stored dates, saves the rows, then saves the edition
(seminars.record.services.free_agenda_dates).
"""

import datetime

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from seminars.record.completeness import languages

NEW_ROW = "new-"


class NewRow:
    """A session typed on a new row of the same save: that row's form index."""

    def __init__(self, index):
        self.index = index

    def __eq__(self, other):
        return isinstance(other, NewRow) and other.index == self.index

    def __hash__(self):
        return hash(("new-row", self.index))

    def __str__(self):
        return f"{NEW_ROW}{self.index}"


class SessionField(forms.ModelChoiceField):
    """A saved top-level item of the edition, or a new row of the same save ("new-3")."""

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(NEW_ROW):
            index = value[len(NEW_ROW) :]
            if index.isdigit() and len(index) < 5:
                return NewRow(int(index))
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, NewRow):
            return str(value)
        return super().prepare_value(value)

    def validate(self, value):
        if not isinstance(value, NewRow):  # the formset checks the row it names
            super().validate(value)


class AgendaItemRowForm(forms.ModelForm):
    """An agenda row: moved with the edition's start date, unchecked when marked for deletion,
    and its session possibly a new row of the same save (`new_session`)."""

    agenda_rows = None  # the formset, set when the form is added to it
    new_session = None

    class Media:
        js = ["admin_extra/agenda_sessions.js"]

    def clean(self):
        cleaned_data = super().clean()
        rows = self.agenda_rows
        if rows is None or self._marked_for_deletion():
            return cleaned_data
        day = cleaned_data.get("date")
        if self.instance.pk and day and "date" in self.fields and "date" not in self.changed_data:
            moved = rows.moved(day)
            if moved != day:
                cleaned_data["date"] = moved
                self.changed_data.append("date")  # saved even when nothing else changed
        session = cleaned_data.get("session")
        if isinstance(session, NewRow):
            self.new_session = session
            cleaned_data["session"] = None  # set when the new row is saved
        elif session is not None:
            final = rows.final_date(session.pk)
            if final is not None:  # the session's date after this save (moved or typed)
                session.date = final
        return cleaned_data

    def _marked_for_deletion(self):
        return bool(getattr(self, "cleaned_data", {}).get(DELETION_FIELD_NAME))

    def _post_clean(self):
        if self._marked_for_deletion():
            return  # a row marked for deletion is never checked: it goes
        super()._post_clean()


class AgendaItemInlineForm(AgendaItemRowForm):
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


def _day(day):
    return date_format(day, "DATE_FORMAT")


class AgendaRowsMixin:
    """The agenda formset's part in one save: the move, the checks, the order of the writes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored_dates = None
        self._final_dates = None
        self._after_new = []
        self._going = None
        if self.instance.pk is not None:
            # The edition's own check of its agenda days is this formset's (it knows the
            # rows marked for deletion and the move): see Seminar.clean().
            self.instance.agenda_rows = self

    # --- the move ---

    def stored_dates(self):
        if self._stored_dates is None:
            stored = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("start_date", "end_date")
                .first()
            )
            self._stored_dates = stored or (None, None)
        return self._stored_dates

    def shift(self):
        """How far the edition's start moves in this save (zero when either date is empty)."""
        if self.instance.pk is None:
            return datetime.timedelta(0)
        before, now = self.stored_dates()[0], self.instance.start_date
        if before is None or now is None:
            return datetime.timedelta(0)
        return now - before

    def moved(self, day):
        return day + self.shift()

    def final_date(self, pk):
        """The date the stored item `pk` has after this save (None: unknown or deleted)."""
        if self._final_dates is None:
            self._final_dates = {}
            for form in self.initial_forms:
                if form.instance.pk is not None and "date" in form.fields:
                    self._final_dates[form.instance.pk] = self._date_after_save(form)
        return self._final_dates.get(pk)

    def _date_after_save(self, form):
        field, bound = form.fields["date"], form["date"]
        if bound.html_name not in form.data:  # a row shown read-only: it stays where it is
            return form.initial.get("date")
        try:
            typed = field.clean(bound.data)
        except ValidationError:
            return None
        stored = form.initial.get("date")  # the instance may hold the moved date already
        return self.moved(stored) if typed == stored else typed

    # --- the checks ---

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if hasattr(f, "cleaned_data") and not self._goes(f)]
        self._check_new_sessions(kept)
        self._check_deleted_sessions(kept)
        self._check_dates(kept)

    def _goes(self, form):
        return self.can_delete and self._should_delete_form(form)

    def _check_new_sessions(self, kept):
        for form in kept:
            ref = form.new_session
            if ref is None:
                continue
            target = self.forms[ref.index] if ref.index < len(self.forms) else None
            problem = self._new_session_problem(form, target)
            if problem:
                form.add_error("session", problem)

    def _new_session_problem(self, form, target):
        if (
            target is None
            or target is form
            or target in self.initial_forms
            or not target.has_changed()
            or self._goes(target)
        ):
            return _("Choose a session among the rows of this page.")
        if target.new_session is not None or target.cleaned_data.get("session"):
            return _("A session cannot be part of another session.")
        if target.cleaned_data.get("date") != form.cleaned_data.get("date", form.instance.date):
            return _("The session must be of the same seminar and on the same day.")
        return None

    def _check_deleted_sessions(self, kept):
        going = {f.instance.pk for f in self.initial_forms if self._goes(f)}
        for form in kept:
            session = form.cleaned_data.get("session")
            if session is not None and session.pk in going:
                form.add_error(
                    "session",
                    _(
                        "This session is marked for deletion: mark its parts too, or choose "
                        "another session."
                    ),
                )

    def _check_dates(self, kept):
        """Name every kept row whose date (after the move) falls outside the edition's dates."""
        seminar = self.instance
        outside = []
        for index, form in enumerate(self.forms):
            if form not in kept:
                continue
            if form.instance.pk is not None and "date" in form.fields:
                day = self._date_after_save(form)
            else:
                day = form.cleaned_data.get("date", form.instance.date)
            if day is not None and not seminar.allows_agenda_date(day):
                row = {"row": _row_name(form, index), "date": _day(day)}
                outside.append(_("%(row)s (%(date)s)") % row)
        if outside:
            raise ValidationError(
                _(
                    "These agenda items would fall outside these dates: %(rows)s. Change their "
                    "dates, or tick Delete on their rows."
                ),
                code="agenda_outside_dates",
                params={"rows": get_text_list(outside, _("and"))},
            )

    # --- the writes ---

    def delete_existing(self, obj, commit=True):
        if self._going is None:  # read before the first delete (a deleted row has no pk)
            self._going = {f.instance.pk for f in self.deleted_forms} - {None}
        if obj.session_id is not None and obj.session_id in self._going:
            return  # deleted with its session (one history record, not two)
        super().delete_existing(obj, commit=commit)

    def save_existing(self, form, obj, commit=True):
        if form.new_session is not None and commit:
            self._after_new.append(form)  # its session is saved with the new rows
            return obj
        return super().save_existing(form, obj, commit=commit)

    def save_new_objects(self, commit=True):
        self.new_objects = []
        # Sessions typed on new rows before the parts that name them.
        for form in sorted(self.extra_forms, key=lambda f: f.new_session is not None):
            if not form.has_changed() or (self.can_delete and self._should_delete_form(form)):
                continue
            self.new_objects.append(self.save_new(form, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        for form in self._after_new:
            super().save_existing(form, self._with_session(form), commit=commit)
        return self.new_objects

    def save_new(self, form, commit=True):
        self._with_session(form)
        return super().save_new(form, commit=commit)

    def _with_session(self, form):
        if form.new_session is not None:
            form.instance.session = self.forms[form.new_session.index].instance
        return form.instance


def _row_name(form, index):
    """The row's title as typed (in any language), else its number on the page."""
    data = getattr(form, "cleaned_data", {})
    for language in _staff_language_first():
        title = data.get(build_localized_fieldname("title", language))
        if title:
            return _("“%(title)s”") % {"title": title}
    title = form.instance.title if form.instance.pk else ""
    if title:
        return _("“%(title)s”") % {"title": title}
    return _("row %(number)s") % {"number": index + 1}


def _staff_language_first():
    active = get_language()
    return sorted(languages(), key=lambda language: language != active)


def new_row_choices(formset):
    """`new-<index>` choices for the new rows typed on a refused save (the page script adds them
    while typing), labelled with the row's title."""
    if not formset.is_bound:
        return []
    choices = []
    try:
        total = min(int(formset.data.get(f"{formset.prefix}-TOTAL_FORMS", 0)), 1000)
        initial = int(formset.data.get(f"{formset.prefix}-INITIAL_FORMS", 0))
    except (TypeError, ValueError):
        return []
    for index in range(max(initial, 0), total):
        for language in _staff_language_first():
            name = build_localized_fieldname("title", language)
            title = formset.data.get(f"{formset.prefix}-{index}-{name}", "").strip()
            if title:
                choices.append((f"{NEW_ROW}{index}", new_row_label(title)))
                break
    return choices


def new_row_label(title):
    return _("%(title)s (new row)") % {"title": title}
