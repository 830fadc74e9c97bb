"""The back office: the whole record of each edition on one page, in both languages.

One admin per model. The edition page (SeminarAdmin) holds its organizers, agenda, photos and
delegations (participants' model: the edition page is a seminar with its delegations), and the
editorial workflow: translation status, preview, publish, unpublish, copy as next edition.
"""

import functools

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from participants.models import Delegation, Side
from seminars.admin import groups as admin_groups  # noqa: F401  (the role groups' admin registers itself)
from seminars.admin import info_pages as admin_info_pages  # noqa: F401  (the information pages' admin registers itself)
from seminars.admin import review_views
from seminars.admin import site_settings as admin_site  # noqa: F401  (the site settings admin registers itself)
from seminars.admin import workbench as admin_workbench
from seminars.admin import workflow_views as admin_views
from seminars.admin.forms import (
    VERSION_FIELD,
    AgendaItemInlineFormSet,
    AgendaItemReadRowForm,
    AgendaItemRecordRowForm,
    EditionVersionForm,
    LabelledInlineFormSet,
    PhotoRecordRowForm,
    SeminarAdminForm,
)
from seminars.admin.mixins import (
    COMPACT_WIDGETS,
    EditionSearchMixin,
    HistoryRevertMixin,
    RecordAdminMixin,
    RecordInlineMixin,
    language_column,
)
from seminars.media import uploads
from seminars.models import (
    AgendaItem,
    City,
    Organization,
    Organizer,
    Photo,
    Seminar,
    agenda_item_label,
)
from seminars.record import permissions, review, services, translation_state
from seminars.record.completeness import (
    language_name,
    languages,
    missing_counts,
    missing_fields,
    seminar_complete_q,
    seminar_missing_q,
    with_translation_prefetch,
)


class ProvinceFilter(admin.SimpleListFilter):
    """Host provinces named in the staff member's language (the Japanese name is the key)."""

    title = gettext_lazy("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        provinces = (
            City.objects.filter(seminars__isnull=False)
            .exclude(province_ja="")
            .values_list("province_ja", "province_zh_hans")
            .distinct()
            .order_by("province_ja")
        )
        chinese = get_language() == "zh-hans"
        return [(ja, (zh or ja) if chinese else ja) for ja, zh in provinces]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(city__province_ja=self.value())
        return queryset


class TranslationStatusFilter(admin.SimpleListFilter):
    """Complete / missing in one language, decided in the database (works with pagination)."""

    title = gettext_lazy("translation status")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = [("complete", _("complete in every language"))]
        for language in languages():
            choices.append(
                (
                    f"missing-{language}",
                    _("missing in %(language)s") % {"language": language_name(language)},
                )
            )
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "complete":
            return queryset.filter(seminar_complete_q())
        for language in languages():
            if value == f"missing-{language}":
                return queryset.filter(seminar_missing_q(language))
        return queryset


class SeminarChangeList(ChangeList):
    """The seminar list, with what the translation-status column reads prefetched."""

    def get_queryset(self, request, exclude_parameters=None):
        return with_translation_prefetch(super().get_queryset(request, exclude_parameters))


class OrganizerInline(RecordInlineMixin, admin.TabularInline):
    """Grouped by role in the order of the public page: host, co-host, sponsor."""

    model = Organizer
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["role", "organization", "order"]

    def get_queryset(self, request):
        # The organization read with its row: an unchanged one is not asked for again on a save.
        return super().get_queryset(request).select_related("organization").in_role_order()


class AgendaItemInline(RecordInlineMixin, TranslationTabularInline):
    """Compact rows: short inputs and a two-line description, so the page fits 1280 px."""

    model = AgendaItem
    form = AgendaItemRecordRowForm
    formset = AgendaItemInlineFormSet
    extra = 0
    fields = [
        "date",
        "session",
        "start_time",
        "end_time",
        "kind",
        "title",
        "venue",
        "description",
        "speakers",
        "order",
    ]
    formfield_overrides = COMPACT_WIDGETS

    def get_queryset(self, request):
        # The session and the speakers, read once for every row (read-only rows show both).
        return super().get_queryset(request).select_related("session").prefetch_related("speakers")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None:
            # Speakers are people of the edition: chosen once it exists (by its editors; shown
            # read-only to translators and to those who may only view).
            fields.remove("speakers")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        editable = (
            "speakers" in self.get_fields(request, obj)
            and "speakers" not in self.get_readonly_fields(request, obj)
            and self.has_change_permission(request, obj)
        )
        if not editable:
            kwargs["form"] = AgendaItemReadRowForm  # no speakers field to submit, none to change
        return super().get_formset(request, obj, **kwargs)


class PhotoInline(RecordInlineMixin, TranslationTabularInline):
    model = Photo
    form = PhotoRecordRowForm
    extra = 0
    # "preview", not "thumbnail": a model field of that name would be shown instead of this method.
    fields = ["preview", "caption", "image", "order"]
    readonly_fields = ["preview"]

    def get_formset(self, request, obj=None, **kwargs):
        if getattr(request, "media_disk_full", False):  # shown again after a full disk
            kwargs.update(form=DiskFullPhotoForm, formset=DiskFullPhotoFormSet)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, photo):
        if not photo or not photo.image:
            return "—"
        if not photo.image._committed:  # picked on a refused save: waiting, not stored yet
            return "—"
        # The small rendition made on upload; the web-size image for photos stored before it.
        small = photo.thumbnail or photo.image
        return format_html(
            '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="" '
            'class="photo-thumbnail" loading="lazy"></a>',
            photo.image.url,
            small.url,
        )


class DiskFullPhotoForm(PhotoRecordRowForm):
    """A photo row of a page shown again after a full disk: a photo picked is refused."""

    disk_full = True


class DiskFullPhotoFormSet(LabelledInlineFormSet):
    """The photos of a page shown again after a full disk refused its save: refused as a whole,
    so no save goes through without the photos the staff picked."""

    def clean(self):
        super().clean()
        raise ValidationError(uploads.DISK_FULL_MESSAGE, code="disk_full")


class DelegationInline(RecordInlineMixin, TranslationTabularInline):
    model = Delegation
    extra = 0
    max_num = len(Side.choices)  # one a side (a unique constraint): no third row
    fields = ["side", "participant_count", "description"]


@admin.register(City)
class CityAdmin(RecordAdminMixin, TabbedTranslationAdmin):
    list_display = [
        language_column(City, "name", "ja"),
        language_column(City, "name", "zh-hans"),
        language_column(City, "province", "ja"),
        language_column(City, "province", "zh-hans"),
    ]
    search_fields = ["name_ja", "name_zh_hans", "province_ja", "province_zh_hans"]


@admin.register(Organization)
class OrganizationAdmin(RecordAdminMixin, TabbedTranslationAdmin):
    list_display = [
        language_column(Organization, "name", "ja"),
        language_column(Organization, "name", "zh-hans"),
        "country",
    ]
    list_filter = ["country"]
    search_fields = ["name_ja", "name_zh_hans"]


@admin.register(AgendaItem)
class AgendaItemAdmin(EditionSearchMixin, RecordAdminMixin, TabbedTranslationAdmin):
    """Registered for the speakers' autocomplete; edited mostly through the seminar page."""

    form = EditionVersionForm
    change_form_template = "admin/china_time_change_form.html"
    list_display = ["title", "seminar", "date", "start_time", "kind"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["title_ja", "title_zh_hans", "=seminar__edition"]
    edition_lookup = "seminar__edition"
    ordering = ["-seminar__edition", "date", "order", "start_time"]
    list_select_related = ["seminar"]
    autocomplete_fields = ["seminar"]

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete's labels name the edition.
        queryset = queryset.select_related("seminar")
        return super().get_search_results(request, queryset, search_term)

    @staticmethod
    def autocomplete_label(item):
        return agenda_item_label(item)


@admin.register(Seminar)
class SeminarAdmin(
    EditionSearchMixin,
    HistoryRevertMixin,
    RecordAdminMixin,
    SimpleHistoryAdmin,
    TabbedTranslationAdmin,
):
    form = SeminarAdminForm
    list_display = [
        "edition",
        "fiscal_year",
        "city",
        "theme",
        "start_date",
        "end_date",
        "total_participants",
        "status",
        "translation_status",
    ]
    list_display_links = ["edition", "fiscal_year"]
    list_filter = ["status", ProvinceFilter, "fiscal_year", TranslationStatusFilter]
    search_fields = [
        "theme_ja",
        "theme_zh_hans",
        "title_ja",
        "title_zh_hans",
        "city__name_ja",
        "city__name_zh_hans",
        "city__province_ja",
        "city__province_zh_hans",
        "organizers__organization__name_ja",
        "organizers__organization__name_zh_hans",
        "=edition",
        "=fiscal_year",
    ]
    ordering = ["-edition"]
    autocomplete_fields = ["city"]
    readonly_fields = ["updated_at", "missing_translations"]
    fieldsets = [
        (None, {"fields": ["edition", "fiscal_year", "city", "status", "published_at"]}),
        (gettext_lazy("Content"), {"fields": ["title", "theme", "summary"]}),
        (gettext_lazy("Dates"), {"fields": ["start_date", "end_date", "updated_at"]}),
    ]
    inlines = [OrganizerInline, AgendaItemInline, PhotoInline, DelegationInline]
    actions = ["publish_selected", "unpublish_selected", "copy_as_next_edition"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("city")
            .annotate(participant_total=Sum("delegations__participant_count"))
            .annotate(stale_translations=translation_state.stale_count_of_edition())
        )

    def get_changelist(self, request, **kwargs):
        return SeminarChangeList

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj is None:
            return fieldsets
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        fieldsets.append((_("Translation status"), {"fields": ["missing_translations"]}))
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save that hits a full disk (staging a photo, writing its renditions or original) is
        rolled back with every file it wrote; the page is shown again with what was typed, the
        message in the staff language, and the photos to pick again."""
        try:
            with uploads.media_writes():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except Exception as exc:  # an OSError, or raised from one (its __cause__)
            if not uploads.disk_full(exc) or request.method != "POST":
                raise
        request.media_disk_full = True
        self.message_user(request, uploads.DISK_FULL_MESSAGE, messages.ERROR)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Whoever may set the status by hand gets the publication date filled in too."""
        if obj.is_published and obj.published_at is None and "status" in form.changed_data:
            obj.published_at = timezone.now()
        if change and services.dates_change(obj):
            # New dates: the agenda rows are moved, deleted and added first (save_related).
            services.free_agenda_dates(obj)
            obj._saved_after_agenda = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(form.instance, "_saved_after_agenda", False):
            del form.instance._saved_after_agenda
            super().save_model(request, form.instance, form, change)

    def get_view_on_site_url(self, obj=None):
        """A draft has no public page yet: "view on site" opens its preview."""
        if obj is not None and obj.pk is not None and not obj.is_published:
            name = f"admin:{self.opts.app_label}_{self.opts.model_name}_preview"
            return reverse(name, args=[obj.pk, get_language() or languages()[0]])
        return super().get_view_on_site_url(obj)

    def has_publish_permission(self, request):
        return permissions.may_publish(request.user)

    @admin.display(description=gettext_lazy("total participants"), ordering="participant_total")
    def total_participants(self, obj):
        return obj.participant_total

    @admin.display(description=gettext_lazy("translation status"))
    def translation_status(self, obj):
        counts = missing_counts(obj)
        parts = [
            _("%(language)s: %(count)s missing") % {"language": language_name(lang), "count": count}
            for lang, count in counts.items()
            if count
        ]
        stale = getattr(obj, "stale_translations", 0)
        if stale:  # sources changed after these were translated (the workbench lists them)
            parts.append(_("%(count)s stale") % {"count": stale})
        # Only the languages that miss something, each by its name: reads the same in both.
        return " / ".join(parts) if parts else _("complete")

    @admin.display(description=gettext_lazy("missing translations"))
    def missing_translations(self, obj):
        if obj is None or obj.pk is None:
            return ""
        seminar = with_translation_prefetch(Seminar.objects.filter(pk=obj.pk)).get()
        missing = missing_fields(seminar)
        if not missing:
            return _("Nothing is missing in either language.")
        items = format_html_join("\n", "<li>{}</li>", ((str(m),) for m in missing))
        return format_html("<ul>{}</ul>", items)

    # --- pages ---

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        own = [
            path(
                "<int:object_id>/preview/<str:lang>/",
                wrap(self.preview_view),
                name=f"{name}_preview",
            ),
            path("<int:object_id>/publish/", wrap(self.publish_view), name=f"{name}_publish"),
            path("<int:object_id>/unpublish/", wrap(self.unpublish_view), name=f"{name}_unpublish"),
            path("<int:object_id>/presence/", wrap(self.presence_view), name=f"{name}_presence"),
            path("<int:object_id>/review/", wrap(self.review_view), name=f"{name}_review"),
            *self._workbench_urls(name, wrap),
            path("trash/", wrap(self.trash_view), name=f"{name}_trash"),
            path(
                "trash/<int:trashed_id>/restore/",
                wrap(self.restore_view),
                name=f"{name}_trash_restore",
            ),
            path(
                "trash/<int:trashed_id>/purge/", wrap(self.purge_view), name=f"{name}_trash_purge"
            ),
        ]
        return own + super().get_urls()

    def _workbench_urls(self, name, wrap):
        """The translator's workbench and its offline files (seminars.admin.workbench)."""
        views = [
            ("", admin_workbench.workbench, "translate"),
            ("export.xlf", admin_workbench.export_xliff, "translate_xliff"),
            ("export.xlsx", admin_workbench.export_xlsx, "translate_xlsx"),
            ("import/", admin_workbench.import_preview, "translate_import"),
        ]
        return [
            path(
                f"<int:object_id>/translate/{suffix}",
                wrap(functools.partial(view, self)),
                name=f"{name}_{url_name}",
            )
            for suffix, view, url_name in views
        ]

    def preview_view(self, request, object_id, lang):
        return admin_views.preview(self, request, object_id, lang)

    def publish_view(self, request, object_id):
        return admin_views.publish(self, request, object_id)

    def unpublish_view(self, request, object_id):
        return admin_views.unpublish(self, request, object_id)

    def review_view(self, request, object_id):
        return review_views.review_page(self, request, object_id)

    def presence_view(self, request, object_id):
        return admin_views.presence(self, request, object_id)

    def trash_view(self, request):
        return admin_views.trash_list(self, request)

    def restore_view(self, request, trashed_id):
        return admin_views.restore_from_trash(self, request, trashed_id)

    def purge_view(self, request, trashed_id):
        return admin_views.purge_from_trash(self, request, trashed_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context.update(self._editorial_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editorial_context(self, request, obj):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        previews = [
            {
                "url": reverse(f"{name}_preview", args=[obj.pk, lang]),
                "name": get_language_info(lang)["name_local"],
                "lang": lang,
            }
            for lang in languages()
        ]
        return {
            "editorial_previews": previews,
            "editorial_can_publish": self.has_publish_permission(request),
            "editorial_publish_url": reverse(f"{name}_publish", args=[obj.pk]),
            "editorial_unpublish_url": reverse(f"{name}_unpublish", args=[obj.pk]),
            "review_url": reverse(f"{name}_review", args=[obj.pk]),
            "review_state": review.state_label(obj),
            **admin_views.editing_context(self, request, obj),
        }

    # --- actions ---

    @admin.action(description=gettext_lazy("Publish selected seminars"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        # The changelist's queryset may carry prefetches already: start from the keys.
        selected = Seminar.objects.filter(pk__in=queryset.values("pk")).order_by("edition")
        seminars = list(with_translation_prefetch(selected))
        # Always the confirmation page first (previews, what is missing), as from the edition page.
        ask, moved = admin_views.publish_decision(request, seminars)
        return self._confirm_then_apply_selected(
            request, admin_views.PUBLISH, seminars, "publish_selected", ask, seminars, moved
        )

    @admin.action(description=gettext_lazy("Unpublish selected seminars"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        seminars = list(Seminar.objects.filter(pk__in=queryset.values("pk")).order_by("edition"))
        ask = request.POST.get("post") != "yes"
        return self._confirm_then_apply_selected(
            request, admin_views.UNPUBLISH, seminars, "unpublish_selected", ask, seminars
        )

    def _confirm_then_apply_selected(self, request, step, seminars, action, ask, subject, moved=()):
        """admin_views.confirm_then_apply for a changelist action: the confirmation posts the
        action and its selection again; None when done (back to the changelist)."""
        form = {
            "form_action": request.get_full_path(),
            "hidden": self._action_hidden(action, seminars),
            "cancel_url": request.get_full_path(),
        }
        if moved:
            form["moved"] = moved
        done = step.done_many % {"count": len(seminars)}
        return admin_views.confirm_then_apply(
            self, request, step, seminars, ask=ask, subject=subject, form=form, done=done
        )

    @staticmethod
    def _action_hidden(action, seminars):
        return [("action", action)] + [(admin.helpers.ACTION_CHECKBOX_NAME, s.pk) for s in seminars]

    @admin.action(description=gettext_lazy("Copy as next edition (draft)"), permissions=["add"])
    def copy_as_next_edition(self, request, queryset):
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(
                request,
                _("Select exactly one seminar to copy as the next edition."),
                messages.ERROR,
            )
            return None
        try:
            draft = services.copy_as_next_edition(selected[0])
        except services.CopyRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        self.log_addition(request, draft, _("Copied from %(seminar)s.") % {"seminar": selected[0]})
        self.message_user(
            request,
            _("%(draft)s was created as a draft from %(source)s. Fill it in, then publish.")
            % {"draft": draft, "source": selected[0]},
            messages.SUCCESS,
        )
        self.message_user(
            request,
            _(
                "Enter its host city, fiscal year and dates below: when the start date changes, "
                "the programme moves with it (each item keeps its day), in the same save."
            ),
            messages.INFO,
        )
        return HttpResponseRedirect(self._change_url(draft))
