"""Admin forms of the record: the edition-wide lock, photo uploads, messages that name labels,
and the agenda rows with their speakers."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField, construct_instance
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
    "AgendaItemReadRowForm",
    "AgendaItemRecordRowForm",
    "AgendaItemRowForm",
    "EditionVersionForm",
    "LabelledInlineFormSet",
    "PhotoRecordRowForm",
    "PhotoUploadForm",
    "RecordRowForm",
    "SeminarAdminForm",
    "StoredRowChecksMixin",
]


def constraint_fields(model, constraint):
    """The names of the fields a constraint reads, or None when it cannot be told."""
    if isinstance(constraint, models.CheckConstraint):
        names = models.Q(constraint.condition).referenced_base_fields
    elif isinstance(constraint, models.UniqueConstraint) and not constraint.expressions:
        names = set(constraint.fields)
        if constraint.condition is not None:
            names |= models.Q(constraint.condition).referenced_base_fields
    else:
        return None
    try:
        return {model._meta.get_field(name).name for name in names}
    except FieldDoesNotExist:  # a name this cannot follow: the constraint is checked
        return None


def validate_changed_constraints(instance, exclude, changed):
    """Model.validate_constraints() for the constraints that read a changed field.

    The others read values as they are stored, which the database holds to the same constraints
    (unchanged rows, unchanged fields): asking it again (a query and a savepoint each) finds
    nothing new. A constraint that cannot be told apart is checked.
    """
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            fields = constraint_fields(model, constraint)
            if fields is not None and not fields & changed:
                continue
            try:
                constraint.validate(model, instance, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class StoredRowChecksMixin:
    """A stored row's model checks, without asking the database what it already holds.

    Django checks every constraint of every row of the page on each save (a query and a
    savepoint each), and that each relation still exists (a query each), although most rows
    come back as they were loaded. Here, for a stored row: the constraints that read none of
    the fields this save changes, and the existence of relations it leaves as they are, are not
    asked again (the database keeps both). Everything else is Django's `_post_clean`: the
    fields' own checks, the model's clean(), the unique checks, and every check of a new row.
    List it before the form class.
    """

    def _post_clean(self):
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return super()._post_clean()
        opts = self._meta
        exclude = self._get_validation_exclusions()
        for name, field in self.fields.items():
            if isinstance(field, InlineForeignKeyField):
                exclude.add(name)
        try:
            self.instance = construct_instance(self, instance, opts.fields, opts.exclude)
        except ValidationError as e:
            self._update_errors(e)
        changed, kept_relations = self._changed_model_fields()
        try:
            self._full_clean(exclude, changed, kept_relations)
        except ValidationError as e:
            self._update_errors(e)
        if self._validate_unique:
            self.validate_unique()

    def _changed_model_fields(self):
        """(names of the model fields this save changes, relations it leaves as they are)."""
        model_opts = self.instance._meta
        changed, kept = set(), set()
        changed_data = set(self.changed_data)
        for name in self.fields:
            try:
                field = model_opts.get_field(name)
            except FieldDoesNotExist:  # a form field of no model field
                continue
            if name in changed_data:
                changed.add(field.name)
            elif field.many_to_one and field.concrete:
                kept.add(field.name)
        return changed, kept

    def _full_clean(self, exclude, changed, kept_relations):
        """Model.full_clean(exclude, validate_unique=False) with the constraints of the changed
        fields only and the kept relations' existence not asked again."""
        instance = self.instance
        errors = {}
        try:
            instance.clean_fields(exclude=exclude | kept_relations)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            validate_changed_constraints(instance, exclude, changed)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class RecordRowForm(StoredRowChecksMixin, forms.ModelForm):
    """The default form of the record's inline rows (seminars.admin.mixins.RecordInlineMixin)."""


class AgendaItemRecordRowForm(StoredRowChecksMixin, AgendaItemInlineForm):
    """The agenda's rows, with the stored rows' checks."""


class AgendaItemReadRowForm(StoredRowChecksMixin, AgendaItemRowForm):
    """The agenda's rows where the speakers cannot be changed, with the stored rows' checks."""


class PhotoRecordRowForm(StoredRowChecksMixin, PhotoUploadForm):
    """The photos' rows, with the stored rows' checks."""


class SeminarAdminForm(StoredRowChecksMixin, EditionVersionForm):
    """The edition's change form: refused when the edition or any part of it moved on."""


def known_choice(field, lookup):
    """Let a ModelChoiceField take its value from `lookup(key)` (a row this request has read
    already) before asking the database; `lookup` returns None for a key it does not know."""
    ask = field.to_python
    pk = field.queryset.model._meta.pk

    def to_python(value):
        if field.to_field_name in (None, pk.name, pk.attname) and value not in field.empty_values:
            try:
                key = pk.to_python(value)
            except ValidationError:
                key = None
            known = lookup(key) if isinstance(key, (int, str)) else None
            if known is not None:
                return known
        return ask(value)

    field.to_python = to_python


class LabelledInlineFormSet(BaseInlineFormSet):
    """Duplicate-row errors name the fields by their labels, in the staff language.

    A row's hidden id and its unchanged relations are found among the rows the page read
    (the formset's rows, their loaded relations) rather than asked again, row by row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField) and not self._pk_field.is_relation:
            known_choice(field, self._existing_object)
        for name, field in form.fields.items():
            if name != self._pk_field.name:
                self._known_relation(form, name, field)

    def _known_relation(self, form, name, field):
        """An unfiltered choice of a relation the row has loaded: its value, when unchanged, is
        the loaded row."""
        if not isinstance(field, forms.ModelChoiceField) or isinstance(
            field, (forms.ModelMultipleChoiceField, InlineForeignKeyField)
        ):
            return
        instance = form.instance
        try:
            relation = instance._meta.get_field(name)
        except FieldDoesNotExist:
            return
        if not (relation.many_to_one and relation.concrete) or field.queryset.query.has_filters():
            return
        if field.queryset.model is not relation.related_model:
            return

        def loaded(key):
            cached = instance._state.fields_cache.get(relation.name)
            if cached is not None and cached.pk == key == getattr(instance, relation.attname):
                return cached
            return None

        known_choice(field, loaded)

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
        self._sessions = {}
        self._session_queryset = None

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
        if self._session_queryset is None:
            sessions = self.model.objects.none()
            if self.instance.pk is not None:
                sessions = self.model.objects.filter(seminar=self.instance, session__isnull=True)
            self._session_queryset = sessions.order_by("date", "order", "pk")
        sessions = self._session_queryset
        if self._session_choices is None:
            self._sessions = {item.pk: item for item in sessions}
            # The item's own title: the edition is the page's, the row is short.
            self._session_choices = (
                [("", "---------")]
                + [(item.pk, item.title) for item in self._sessions.values()]
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
        # A session is one of the items just read for the choices (the same rows the queryset
        # holds): not asked again for each row.
        known_choice(form.fields["session"], self._sessions.get)
