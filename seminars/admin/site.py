"""The admin site: the index in the order staff work, a dashboard of what needs work on the home
page, and autocomplete results that say which edition an item belongs to.

Reads only: every write still goes through the model admins and the write guard.
"""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from seminars.record import permissions

# The index: the edition first, then what belongs to it, then shared lists, then accounts.
APP_ORDER = ["seminars", "participants", "auth"]
MODEL_ORDER = [
    "Seminar",
    "AgendaItem",
    "Organizer",
    "Photo",
    "Delegation",
    "Participant",
    "Organization",
    "City",
    "SiteSettings",
    "InfoPage",
    "User",
    "Group",
]
DASHBOARD_ROWS = 10
MISSING_PER_EDITION = 4


def _rank(order, key):
    return (order.index(key), key) if key in order else (len(order), key)


class LabelledAutocompleteView(AutocompleteJsonView):
    """Results labelled by the model admin's `autocomplete_label` when it has one."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class SeminarAdminSite(admin.AdminSite):
    site_header = _("Japan–China Regional Exchange Promotion Seminar: administration")
    site_title = _("Seminar administration")
    index_title = _("Records of the seminar series")
    # The seminar list has many columns and long Japanese themes: give it the whole width.
    enable_nav_sidebar = False
    index_template = "admin/seminars_index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        apps.sort(key=lambda app: _rank(APP_ORDER, app["app_label"]))
        for app in apps:
            app["models"].sort(key=lambda model: _rank(MODEL_ORDER, model["object_name"]))
        return apps

    def index(self, request, extra_context=None):
        context = {"dashboard": dashboard(request, self), **(extra_context or {})}
        return super().index(request, context)

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)


# --- the dashboard ---------------------------------------------------------------------


def _change_url(obj):
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def dashboard(request, site=admin.site):
    """What needs work, for staff who may see editions (None for the others)."""
    from seminars.models import Seminar

    if not permissions.may_view_dashboard(request.user):
        return None
    return {
        "drafts": _drafts(Seminar),
        "review": _in_review(),
        "missing": _missing_translations(request, site, Seminar),
        "stale": _stale_translations(Seminar),
        "without_counts": _without_counts(Seminar),
        "photos_without_images": _photos_without_images(request, site),
        "recent_changes": _recent_changes(request.user),
    }


def _drafts(Seminar):
    drafts = Seminar.objects.filter(status=Seminar.Status.DRAFT).select_related("city")
    return [{"object": s, "url": _change_url(s)} for s in drafts.order_by("-edition")]


def _in_review():
    """Editions waiting for a publisher (ready), for their editor (changes requested), or
    approved (with their scheduled publication): one query."""
    from seminars.models import EditionReview, ReviewState

    waiting = (
        EditionReview.objects.exclude(state=ReviewState.DRAFT)
        .filter(seminar__status="draft")
        .select_related("seminar")
        .order_by("-seminar__edition")
    )
    first = [ReviewState.READY, ReviewState.CHANGES_REQUESTED, ReviewState.APPROVED]
    rows = sorted(waiting, key=lambda r: first.index(r.state))
    return [
        {
            "object": r.seminar,
            "review": r,
            "state": ReviewState(r.state).label,
            "url": _review_url(r),
        }
        for r in rows
    ]


def _review_url(review):
    return reverse("admin:seminars_seminar_review", args=[review.seminar_id])


class InlineRows:
    """Where a row of the edition page's inlines is: its form prefix and position, read from the
    seminar admin's own inlines (their querysets give the order of the rows on the page)."""

    def __init__(self, request, site, seminar_ids):
        from seminars.models import Seminar

        self.prefixes = {}
        self.positions = {}
        seminar_admin = site._registry.get(Seminar)
        if seminar_admin is None:
            return
        for inline in seminar_admin.get_inline_instances(request):
            prefix = inline.get_formset(request).get_default_prefix()
            self.prefixes[inline.model] = prefix
            rows = inline.get_queryset(request).filter(seminar__in=seminar_ids)
            if not rows.ordered:
                rows = rows.order_by("pk")
            counters = {}
            for seminar_id, pk in rows.values_list("seminar_id", "pk"):
                self.positions[(inline.model, pk)] = counters.setdefault(seminar_id, 0)
                counters[seminar_id] += 1

    def input_id(self, obj, field_name):
        """The id of the row's input for `field_name` on the edition page, or None."""
        position = self.positions.get((type(obj), obj.pk))
        if position is None:
            return None
        return f"id_{self.prefixes[type(obj)]}-{position}-{field_name}"


def _field_url(missing, seminar_url, rows):
    """The missing text's own input: a tab of the edition page (its fields and its inline rows'),
    or the tab on the change page of what the edition page only links (city, organization,
    participant)."""
    from modeltranslation.utils import build_localized_fieldname

    if missing.anchor or missing.obj is None:
        return f"{seminar_url}#{missing.anchor}" if missing.anchor else seminar_url
    localized = build_localized_fieldname(missing.field_name, missing.language)
    input_id = rows.input_id(missing.obj, localized)
    if input_id is not None:
        return f"{seminar_url}#tab_{input_id}"
    own_url = _change_url(missing.obj)
    return f"{own_url}#tab_id_{localized}" if own_url else seminar_url


def _missing_translations(request, site, Seminar):
    from seminars.record.completeness import (
        missing_fields,
        seminar_complete_q,
        with_translation_prefetch,
    )

    incomplete = Seminar.objects.exclude(seminar_complete_q()).order_by("-edition")
    seminars = list(with_translation_prefetch(incomplete[:DASHBOARD_ROWS]))
    rows = InlineRows(request, site, [s.pk for s in seminars]) if seminars else None
    result = []
    for seminar in seminars:
        url = _change_url(seminar)
        fields = [
            {"text": str(m), "url": _field_url(m, url, rows)} for m in missing_fields(seminar)
        ]
        result.append(
            {
                "object": seminar,
                "url": url,
                "workbench_url": _workbench_url(seminar, "missing"),
                "fields": fields[:MISSING_PER_EDITION],
                "rest": fields[MISSING_PER_EDITION:],
                "more": max(len(fields) - MISSING_PER_EDITION, 0),
            }
        )
    return result


def _workbench_url(seminar, show):
    url = reverse("admin:seminars_seminar_translate", args=[seminar.pk])
    return f"{url}?source=ja&show={show}"


def _stale_translations(Seminar):
    """Editions whose translations have a source that changed since: on their workbench."""
    from seminars.record.translation_state import stale_counts

    counts = stale_counts()
    seminars = Seminar.objects.filter(pk__in=counts).order_by("-edition")[:DASHBOARD_ROWS]
    return [
        {"object": s, "count": counts[s.pk], "url": _workbench_url(s, "stale")} for s in seminars
    ]


def _without_counts(Seminar):
    from participants.models import Delegation

    counted = Delegation.objects.filter(seminar=OuterRef("pk"))
    seminars = Seminar.objects.filter(~Exists(counted)).order_by("-edition")[:DASHBOARD_ROWS]
    # The delegations' table on the edition page, where the counts are entered.
    return [{"object": s, "url": f"{_change_url(s)}#delegations-group"} for s in seminars]


def _photos_without_images(request, site):
    from seminars.models import Photo

    photos = list(
        Photo.objects.filter(image="")
        .select_related("seminar")
        .order_by("-seminar__edition")[:DASHBOARD_ROWS]
    )
    rows = InlineRows(request, site, {p.seminar_id for p in photos}) if photos else None
    result = []
    for photo in photos:
        url = _change_url(photo.seminar)
        input_id = rows.input_id(photo, "image")
        result.append(
            {
                "object": photo,
                "seminar": photo.seminar,
                "url": f"{url}#{input_id}" if input_id else url,
            }
        )
    return result


def _recent_changes(user):
    from seminars.record.versions import staff_name

    entries = list(
        LogEntry.objects.exclude(user=user)
        .select_related("user", "content_type")
        .order_by("-action_time")[:DASHBOARD_ROWS]
    )
    labels = _current_labels(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        rows.append(
            {
                "entry": entry,
                "who": staff_name(entry.user),
                # What it is called now, in the staff language (the log keeps the words of
                # whoever saved it: 第18回 for a Japanese colleague).
                "label": labels.get((entry.content_type_id, entry.object_id)) or entry.object_repr,
                "kind": str(model._meta.verbose_name) if model else "",
                "url": "" if entry.is_deletion() else entry.get_admin_url(),
            }
        )
    return rows


def _current_labels(entries):
    """{(content type id, object id): the object's name now}, one query per kind of object."""
    wanted = {}
    for entry in entries:
        if entry.content_type and not entry.is_deletion():
            wanted.setdefault(entry.content_type, set()).add(entry.object_id)
    labels = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is None:
            continue
        pks = [model._meta.pk.to_python(pk) for pk in ids if str(pk).isdigit()]
        # select_related(): the names of some read their foreign keys (an organizer's organization).
        for obj in model._base_manager.select_related().filter(pk__in=pks):
            labels[(content_type.pk, str(obj.pk))] = str(obj)
    return labels
