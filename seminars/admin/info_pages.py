"""The site's information pages in the admin: site policy, privacy and accessibility, one of each
kind (created by the migrations), title and body in both languages.

Imported by seminars.admin.editions. Writes pass the same write guard as every content model:
editors change the text, translators the translated text only; nobody adds or deletes a kind.
"""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from seminars.admin.mixins import RecordAdminMixin
from seminars.models import InfoPage


@admin.register(InfoPage)
class InfoPageAdmin(RecordAdminMixin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body", "updated_at"]
    readonly_fields = ["kind", "updated_at"]

    def has_add_permission(self, request, *args, **kwargs):
        """The three pages are created by the migrations; the kinds are fixed."""
        return False

    def has_delete_permission(self, request, obj=None):
        return False
