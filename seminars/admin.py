"""The back office: the whole record of each edition on one page, in both languages."""

from django.contrib import admin
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from safety.admin import OptimisticLockAdminMixin
from safety.uploads import PhotoUploadForm

from .models import AgendaItem, City, Organization, Organizer, Photo, Seminar

admin.site.site_header = _("Japan–China Regional Exchange Promotion Seminar: administration")
admin.site.site_title = _("Seminar administration")
admin.site.index_title = _("Records of the seminar series")
# The seminar list has many columns and long Japanese themes: give it the whole width.
admin.site.enable_nav_sidebar = False


class ProvinceFilter(admin.SimpleListFilter):
    """Host provinces named in the staff member's language (the Japanese name is the key)."""

    title = _("province")
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


class OrganizerInline(admin.TabularInline):
    model = Organizer
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["role", "organization", "order"]


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["date", "start_time", "end_time", "kind", "title", "venue", "description", "order"]


class PhotoInline(TranslationTabularInline):
    model = Photo
    form = PhotoUploadForm
    extra = 0
    fields = ["caption", "image", "order"]


@admin.register(City)
class CityAdmin(TabbedTranslationAdmin):
    list_display = ["name_ja", "name_zh_hans", "province_ja", "province_zh_hans"]
    search_fields = ["name_ja", "name_zh_hans", "province_ja", "province_zh_hans"]


@admin.register(Organization)
class OrganizationAdmin(TabbedTranslationAdmin):
    list_display = ["name_ja", "name_zh_hans", "country"]
    list_filter = ["country"]
    search_fields = ["name_ja", "name_zh_hans"]


@admin.register(Seminar)
class SeminarAdmin(OptimisticLockAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = [
        "edition",
        "fiscal_year",
        "city",
        "theme",
        "start_date",
        "total_participants",
        "status",
    ]
    list_display_links = ["edition", "fiscal_year"]
    list_filter = ["status", ProvinceFilter, "fiscal_year"]
    search_fields = [
        "theme_ja",
        "theme_zh_hans",
        "title_ja",
        "title_zh_hans",
        "city__name_ja",
        "city__name_zh_hans",
        "=edition",
        "=fiscal_year",
    ]
    ordering = ["edition"]
    autocomplete_fields = ["city"]
    date_hierarchy = None
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["edition", "fiscal_year", "city", "status", "published_at"]}),
        (_("Content"), {"fields": ["title", "theme", "summary"]}),
        (_("Dates"), {"fields": ["start_date", "end_date", "updated_at"]}),
    ]
    inlines = [OrganizerInline, AgendaItemInline, PhotoInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("city")
            .annotate(participant_total=Sum("delegations__participant_count"))
        )

    @admin.display(description=_("total participants"), ordering="participant_total")
    def total_participants(self, obj):
        return obj.participant_total


@admin.register(AgendaItem)
class AgendaItemAdmin(TabbedTranslationAdmin):
    """Registered for the speakers' autocomplete; edited mostly through the seminar page."""

    list_display = ["title", "seminar", "date", "start_time", "kind"]
    list_filter = ["kind"]
    search_fields = ["title_ja", "title_zh_hans", "=seminar__edition"]
    list_select_related = ["seminar"]
    autocomplete_fields = ["seminar"]
