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
        context = {"dashboard": dashboard(request), **(extra_context or {})}
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


def dashboard(request):
    """What needs work, for staff who may see editions (None for the others)."""
    from .models import Seminar

    if not request.user.has_perm("seminars.view_seminar"):
        return None
    return {
        "drafts": _drafts(Seminar),
        "missing": _missing_translations(Seminar),
        "without_counts": _without_counts(Seminar),
        "photos_without_images": _photos_without_images(),
        "recent_changes": _recent_changes(request.user),
    }


def _drafts(Seminar):
    drafts = Seminar.objects.filter(status=Seminar.Status.DRAFT).select_related("city")
    return [{"object": s, "url": _change_url(s)} for s in drafts.order_by("-edition")]


def _missing_translations(Seminar):
    from .completeness import missing_fields, seminar_complete_q, with_translation_prefetch

    incomplete = Seminar.objects.exclude(seminar_complete_q()).order_by("-edition")
    rows = []
    for seminar in with_translation_prefetch(incomplete[:DASHBOARD_ROWS]):
        url = _change_url(seminar)
        missing = missing_fields(seminar)
        fields = [
            {"text": str(m), "url": f"{url}#{m.anchor}" if m.anchor else url}
            for m in missing[:MISSING_PER_EDITION]
        ]
        rows.append(
            {"object": seminar, "url": url, "fields": fields, "more": len(missing) - len(fields)}
        )
    return rows


def _without_counts(Seminar):
    from participants.models import Delegation

    counted = Delegation.objects.filter(seminar=OuterRef("pk"))
    seminars = Seminar.objects.filter(~Exists(counted)).order_by("-edition")[:DASHBOARD_ROWS]
    return [{"object": s, "url": _change_url(s)} for s in seminars]


def _photos_without_images():
    from .models import Photo

    photos = Photo.objects.filter(image="").select_related("seminar").order_by("-seminar__edition")
    return [
        {"object": p, "seminar": p.seminar, "url": _change_url(p.seminar)}
        for p in photos[:DASHBOARD_ROWS]
    ]


def _recent_changes(user):
    entries = (
        LogEntry.objects.exclude(user=user)
        .select_related("user", "content_type")
        .order_by("-action_time")[:DASHBOARD_ROWS]
    )
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type else None
        rows.append(
            {
                "entry": entry,
                "kind": str(model._meta.verbose_name) if model else "",
                "url": "" if entry.is_deletion() else entry.get_admin_url(),
            }
        )
    return rows
