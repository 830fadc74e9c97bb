"""Delegations and named people; the delegation inline joins the seminar page from here,
so that `seminars` never imports `participants`."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from seminars.admin import SeminarAdmin
from seminars.models import Seminar

from .models import Delegation, Participant


class DelegationInline(TranslationTabularInline):
    model = Delegation
    extra = 0
    fields = ["side", "participant_count", "description"]


admin.site.unregister(Seminar)


@admin.register(Seminar)
class SeminarWithDelegationsAdmin(SeminarAdmin):
    inlines = [*SeminarAdmin.inlines, DelegationInline]


@admin.register(Delegation)
class DelegationAdmin(TabbedTranslationAdmin):
    list_display = ["seminar", "side", "participant_count"]
    list_filter = ["side"]
    search_fields = ["seminar__theme_ja", "seminar__theme_zh_hans", "=seminar__edition"]
    autocomplete_fields = ["seminar"]
    list_select_related = ["seminar"]


@admin.register(Participant)
class ParticipantAdmin(TabbedTranslationAdmin):
    list_display = ["name_ja", "name_zh_hans", "position_ja", "delegation"]
    list_filter = ["delegation__side"]
    search_fields = ["name_ja", "name_zh_hans", "position_ja", "position_zh_hans"]
    autocomplete_fields = ["delegation", "agenda_items"]
    list_select_related = ["delegation__seminar"]
