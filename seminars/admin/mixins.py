"""What every admin of the record shares: role-aware fields and buttons, refusals shown as
messages, the edition's history and its restore to a point. The decisions themselves live in
seminars.record.permissions; these classes only show them (read-only fields, hidden buttons) and
report
a refusal.
"""

import re

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seminars.admin.forms import LabelledInlineFormSet, RecordRowForm, StoredRowChecksMixin
from seminars.record import history, permissions, review_history, services, versions


class RelationDisplay:
    """The read-only cell of a reverse relation: what Django's read-only field cannot show.

    The admin shows a read-only forward relation as a link or a list, but fails on the reverse
    side of one (AgendaItem.speakers is Participant.agenda_items seen from the item:
    "'ManyToManyRel' object has no attribute 'empty_values'", a 500 for every viewer of a
    programme with speakers). This callable stands in for the relation's name in the fields and
    the read-only fields: the admin calls it with the row and shows what it returns. Its
    __name__ is the relation's, so the cell keeps its CSS class (field-speakers).
    """

    def __init__(self, relation, name, label, empty):
        self.relation, self.__name__, self.short_description = relation, name, label
        self.empty = empty

    def __call__(self, obj):
        if obj is None or obj.pk is None:
            return self.empty
        accessor = self.relation.get_accessor_name()
        if self.relation.multiple:
            names = [str(related) for related in getattr(obj, accessor).all()]
            return ", ".join(names) or self.empty
        try:
            return str(getattr(obj, accessor))
        except ObjectDoesNotExist:
            return self.empty

    def __str__(self):
        return self.__name__

    def __eq__(self, other):
        if not isinstance(other, RelationDisplay):
            return NotImplemented
        return (self.relation, self.__name__) == (other.relation, other.__name__)

    def __hash__(self):
        return hash((RelationDisplay, self.__name__))


def reverse_relation(model, name):
    """The reverse side of a relation that `name` names on `model`, or None."""
    if not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, ForeignObjectRel) else None


class ReadOnlyRelationsMixin:
    """Every field shown read-only without an error, whatever its kind, for every role.

    Where a reverse relation is read-only (named in the read-only fields, or every field for a
    user who may only view), its name is replaced by a RelationDisplay in the fieldsets and the
    read-only fields; the form is built without it. Forward relations, choices and files are
    Django's own read-only rendering.
    """

    def _relation_display(self, name):
        displays = self.__dict__.setdefault("_relation_displays", {})
        if name not in displays:
            relation = reverse_relation(self.model, name)
            displays[name] = relation and RelationDisplay(
                relation, name, self._relation_label(relation, name), self.get_empty_value_display()
            )
        return displays[name]

    def _relation_label(self, relation, name):
        declared = getattr(self.form, "declared_fields", {}).get(name)
        if declared is not None and declared.label:
            return declared.label
        opts = relation.related_model._meta
        return opts.verbose_name_plural if relation.multiple else opts.verbose_name

    def _with_relation_displays(self, read_only):
        """`read_only` and, for each reverse relation in it, its display."""
        fields = list(read_only)
        for name in read_only:
            display = self._relation_display(name)
            if display is not None and display not in fields:
                fields.append(display)
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = flatten_fieldsets(fieldsets)
        if not any(reverse_relation(self.model, name) for name in names):
            return fieldsets
        every = not self.has_change_permission(request, obj)
        read_only = list(self.get_readonly_fields(request, obj))

        def shown(fields):
            kept = []
            for name in fields:
                if isinstance(name, (list, tuple)):
                    kept.append(type(name)(shown(name)))
                    continue
                display = self._relation_display(name)
                if display is not None and (every or name in read_only):
                    name = display
                if name not in kept:
                    kept.append(name)
            return kept

        return [
            (title, {**options, "fields": shown(options.get("fields", ()))})
            for title, options in fieldsets
        ]

    @staticmethod
    def _form_fields(kwargs):
        """The form's fields without the displays (they are no form fields)."""
        fields = kwargs.get("fields")
        if fields:
            kwargs["fields"] = [f for f in fields if not isinstance(f, RelationDisplay)]
        return kwargs


class AsksPermissionsMixin:
    """The admin's view, change and add permissions, asked of seminars.record.permissions (the rule
    of
    the write guard) rather than of the user's raw permissions."""

    def has_view_permission(self, request, obj=None):
        return permissions.may_view_or_change(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return permissions.may(request.user, self.model, permissions.CHANGE)

    def has_add_permission(self, request, *args, **kwargs):
        return permissions.may(request.user, self.model, permissions.ADD)


class RecordAdminMixin(AsksPermissionsMixin, ReadOnlyRelationsMixin):
    """For the ModelAdmin of every content model; list it first among the bases."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        fields += [
            f for f in permissions.read_only_fields(request.user, self.model) if f not in fields
        ]
        return self._with_relation_displays(fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_form(request, obj, change=change, **self._form_fields(kwargs))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return permissions.may(request.user, self.model, permissions.DELETE)
        return permissions.refusal(request.user, obj, permissions.DELETE) is None

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """Django's, with each inline's copy of the posted data made list by list rather than
        deep-copied value by value (the same copy: the values are strings; a page with a full
        programme posts a thousand fields, copied once per inline)."""
        if request.method != "POST":
            return super().get_formset_kwargs(request, obj, inline, prefix)
        return {
            "instance": obj,
            "prefix": prefix,
            "queryset": inline.get_queryset(request),
            "data": posted_copy(request.POST),
            "files": request.FILES,
            "save_as_new": "_saveasnew" in request.POST,
        }

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
        return permissions.may(request.user, self.model, permissions.DELETE)

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
        """The delete page lists content only, in the staff language.

        An auto-created link model's name ("Participant-agendaitem relationship") is built once
        at import time, in whatever language was active: its rows are left out of the list and
        counted under a name in the staff language. Rows that are no content (the edition's
        version counter, 「回の版」) are left out of the list and the counts altogether.
        """
        from seminars.record.content import content_models

        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        models_ = apps.get_models(include_auto_created=True)
        links = {
            str(model._meta.verbose_name_plural): model
            for model in models_
            if model._meta.auto_created
        }
        content = content_models()
        shown = {str(model._meta.verbose_name) for model in content}
        internal = [
            model
            for model in models_
            if model._meta.app_label in {m._meta.app_label for m in content}
            and not model._meta.auto_created
            and model not in content
            and str(model._meta.verbose_name) not in shown
        ]
        internal_plurals = {str(model._meta.verbose_name_plural) for model in internal}
        prefixes = tuple(
            f"{capfirst(str(model._meta.verbose_name))}: " for model in [*links.values(), *internal]
        )
        counts = {}
        for name, count in model_count.items():
            if str(name) in internal_plurals:
                continue
            link = links.get(str(name))
            counts[_link_label(link) if link else name] = count
        return _without(to_delete, prefixes), counts, perms_needed, protected

    def _change_url(self, obj):
        from django.urls import reverse

        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def posted_copy(posted):
    """A mutable copy of a QueryDict of posted text (what QueryDict.copy() makes, faster: the
    values are strings, so copying each list is a deep copy)."""
    copy = QueryDict(mutable=True, encoding=posted.encoding)
    for key, values in posted.lists():
        dict.__setitem__(copy, key, list(values))
    return copy


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


class RestoreForm(forms.Form):
    """The restore of a point: the edition's version it was shown at, and the publishers' choice."""

    edition_version = forms.CharField(widget=forms.HiddenInput, required=False)
    restore_publication = forms.BooleanField(
        required=False, label=gettext_lazy("Also restore the publication state of that time")
    )


class HistoryRevertMixin:
    """The edition's history and its restore to a point, in place of django-simple-history's pages.

    The history page shows one timeline of the edition and its parts (seminars.record.history). A
    point's page (simple-history's revert URL, `history/<point>/`) lists what a restore to it
    changes and what it leaves as it is; its POST restores it (seminars.record.services) in one
    transaction, every write decided by the write guard, for users who may change the edition.
    Malformed ids answer 404.
    """

    object_history_template = "admin/seminars/seminar/edition_history.html"
    restore_template = "admin/seminars/seminar/restore_confirmation.html"
    history_per_page = 50

    def history_view(self, request, object_id, extra_context=None):
        seminar = self._history_object(request, object_id)
        entries = history.timeline(history.fetch(seminar), review_history.entries(seminar))
        page = Paginator(entries, self.history_per_page).get_page(request.GET.get("p"))
        for entry in page.object_list:
            entry.url = self._point_url(seminar, entry.point)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": seminar,
            "title": _("History of %(object)s") % {"object": seminar},
            "page_obj": page,
            "may_restore": self.has_change_permission(request, seminar),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A point of the history: what a restore changes; POST restores it."""
        seminar = self._history_object(request, object_id)
        records = history.fetch(seminar)
        row = history.find_point(records, str(version_id))
        if row is None:
            raise Http404
        may_restore = self.has_change_permission(request, seminar)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            return self._restore(request, seminar, row.history_date)
        plan = history.restore_plan(seminar, row.history_date, records=records)
        form = RestoreForm(initial={"edition_version": versions.current(seminar.pk).number})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": seminar,
            "title": _("Restore the state of %(when)s?")
            % {"when": history.format_time(row.history_date)},
            "plan": plan,
            "form": form,
            "may_restore": may_restore,
            "offer_publication": plan.publication_then and permissions.may_publish(request.user),
            "publication_then": _publication_label(plan.publication_then),
            "history_url": reverse(f"admin:{self._admin_name()}_history", args=[seminar.pk]),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.restore_template, context)

    def _restore(self, request, seminar, when):
        form = RestoreForm(request.POST)
        form.is_valid()
        here = request.get_full_path()
        keep = not form.cleaned_data.get("restore_publication")
        loaded = form.cleaned_data.get("edition_version")
        try:
            # The version row stays locked until the restore commits: no save slips in between.
            with transaction.atomic():
                versions.check_current(seminar.pk, loaded, refused=versions.RESTORE)
                plan = services.restore_edition(seminar, when, request.user, keep_publication=keep)
        except ValidationError as stale:
            return self._refused(request, stale.messages[0], here)
        except permissions.WriteRefused as refusal:
            return self._refused(request, refusal, here)
        except IntegrityError:
            return self._refused(request, _restore_conflict(), here)
        if plan.in_trash:
            message, level = _in_trash(), messages.INFO
        elif plan.is_empty:
            message, level = _("Nothing to restore: the edition is as it was then."), messages.INFO
        else:
            message, level = (
                _("%(object)s was restored to its state of %(when)s.")
                % {
                    "object": seminar,
                    "when": history.format_time(when),
                },
                messages.SUCCESS,
            )
        self.message_user(request, message, level)
        return HttpResponseRedirect(self._change_url(seminar))

    def _history_object(self, request, object_id):
        if not str(object_id).isdigit():
            raise Http404
        seminar = self.get_object(request, object_id)
        if seminar is None:
            raise Http404
        if not self.has_view_or_change_permission(request, seminar):
            raise PermissionDenied
        return seminar

    def _admin_name(self):
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def _point_url(self, seminar, point):
        return reverse(f"admin:{self._admin_name()}_simple_history", args=[seminar.pk, point])


def _in_trash():
    return _(
        "At this point the edition was deleted (among the deleted editions): there is nothing to "
        "restore. Choose a point before or after it."
    )


def _restore_conflict():
    return _(
        "This point cannot be restored: it conflicts with the edition as it is now (for example "
        "an agenda date outside the edition's dates, or a duplicate). Nothing was changed."
    )


def _publication_label(publication):
    if publication is None:
        return ""
    status, published_at = publication
    from seminars.models import Seminar

    label = str(Seminar.Status(status).label)
    if published_at is None:
        return label
    return f"{label} ({date_format(localtime(published_at), 'DATETIME_FORMAT')})"


class RecordInlineMixin(AsksPermissionsMixin, ReadOnlyRelationsMixin):
    """For every inline of a content model: translators edit text only; labelled duplicates;
    every relation shown read-only where it cannot be changed."""

    form = RecordRowForm
    formset = LabelledInlineFormSet
    # The most rows one inline takes in a save (an edition's agenda has about 30). It also bounds
    # what a forged management form (TOTAL_FORMS=1000000) makes the server build: Django's
    # default would build up to max_num + 1,000 forms before refusing the post.
    max_num = 300

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        read_only = permissions.read_only_fields(request.user, self.model, self.parent_model)
        if permissions.edits_text_only(request.user):
            # A relation the form adds (the agenda's speakers) is no translated text either.
            declared = getattr(self.form, "declared_fields", {})
            read_only += [name for name in declared if reverse_relation(self.model, name)]
        fields += [f for f in read_only if f not in fields]
        return self._with_relation_displays(fields)

    def get_formset(self, request, obj=None, **kwargs):
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["form"] = stored_row_checks(kwargs.get("form", self.form))
        # The class's bound: Django sets the instance's max_num to 0 for a user who may not add
        # rows (a translator), whose stored rows are still posted.
        kwargs.setdefault("absolute_max", type(self).max_num)
        return super().get_formset(request, obj, **self._form_fields(kwargs))

    def has_delete_permission(self, request, obj=None):
        # `obj` is the parent row: deleting a row of this inline is a model-level question.
        return permissions.may(request.user, self.model, permissions.DELETE)


def stored_row_checks(form):
    """`form`, which must have the stored rows' checks (seminars.admin.forms.StoredRowChecksMixin:
    RecordRowForm, or the inline's own form declared with it)."""
    if not issubclass(form, StoredRowChecksMixin):
        raise ImproperlyConfigured(f"{form.__name__} lacks StoredRowChecksMixin")
    return form


EDITION_SEARCH = re.compile(r"第\s*(\d+)\s*[回届屆]")


def edition_in_search(term):
    """The N of "第17回" / "第17届" in a search term, or None."""
    found = EDITION_SEARCH.search(term or "")
    return int(found.group(1)) if found else None


class EditionSearchMixin:
    """Search also finds "第17回" / "第17届": the edition at `edition_lookup`."""

    edition_lookup = "edition"

    def get_search_results(self, request, queryset, search_term):
        edition = edition_in_search(search_term)
        if edition is None:
            return super().get_search_results(request, queryset, search_term)
        rest = EDITION_SEARCH.sub(" ", search_term).strip()
        queryset = queryset.filter(**{self.edition_lookup: edition})
        if not rest:
            return queryset, False
        return super().get_search_results(request, queryset, rest)


def language_column(model, field_name, language):
    """A list column of one language of a translated field, headed "名前（簡体字中国語）"."""
    from modeltranslation.utils import build_localized_fieldname

    localized = build_localized_fieldname(field_name, language)
    verbose = model._meta.get_field(field_name).verbose_name

    def column(obj):
        return getattr(obj, localized)

    column.short_description = _LanguageLabel(verbose, language)
    column.admin_order_field = localized
    column.__name__ = localized
    return column


class _LanguageLabel:
    """A column header evaluated in the staff language at render time."""

    def __init__(self, verbose, language):
        self.verbose, self.language = verbose, language

    def __str__(self):
        from seminars.record.completeness import language_name

        return _("%(field)s (%(language)s)") % {
            "field": capfirst(str(self.verbose)),
            "language": language_name(self.language),
        }


# Inline rows that fit the edition page: a two-line description box (CSS sets the widths).
COMPACT_WIDGETS = {
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 24})},
}


# --- groups and permissions in the staff language --------------------------------------

PERMISSION_ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def permission_label(permission):
    """ "研讨会 | 可以发布和撤回研讨会" rather than Django's stored English name."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    action = permission.codename.split("_", 1)[0]
    if permission.codename == f"{action}_{opts.model_name}" and action in PERMISSION_ACTIONS:
        label = PERMISSION_ACTIONS[action] % {"model": opts.verbose_name}
    else:
        names = dict(opts.permissions)
        label = str(names.get(permission.codename, permission.name))
    return f"{capfirst(str(apps.get_app_config(opts.app_label).verbose_name))} | {label}"
