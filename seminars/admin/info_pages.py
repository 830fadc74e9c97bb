"""The site's information pages in the admin: site policy, privacy and accessibility, one of each
kind (created by the migrations), title and body in both languages.

Imported by seminars.admin.editions. Writes pass the same write guard as every content model:
editors change the text, translators the translated text only; nobody adds or deletes a kind.
Every version is kept (django-simple-history, in the safety app): the history page lists them
and restores one, through the same guard.
"""

from django.contrib import admin
from django.http import Http404
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from seminars.admin.mixins import RecordAdminMixin
from seminars.models import InfoPage
from seminars.record import history


@admin.register(InfoPage)
class InfoPageAdmin(RecordAdminMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body", "updated_at"]
    readonly_fields = ["kind", "updated_at"]

    def has_add_permission(self, request, *args, **kwargs):
        """The three pages are created by the migrations; the kinds are fixed."""
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A version that is no number is no version: 404, as any malformed admin URL."""
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """simple-history's list shows each record's reason as stored (a code, or "None" when the
        change had none): here it reads as the edition history says it (seminars.record.history)."""
        super().set_history_delta_changes(request, historical_records, **kwargs)
        for record in historical_records:
            record.history_change_reason = history.reason_label(record.history_change_reason)
