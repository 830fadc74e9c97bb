"""The site settings in the admin: one record (publisher, introduction, contact, map), no list.

Imported by seminars.admin.editions. Writes pass the same write guard as every content model.
"""

from django.contrib import admin
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin

from seminars.admin.mixins import RecordAdminMixin
from seminars.media.uploads import SiteSettingsForm
from seminars.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(RecordAdminMixin, TabbedTranslationAdmin):
    form = SiteSettingsForm
    readonly_fields = ["updated_at"]
    # A web address typed without a scheme is the publisher's https site (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            gettext_lazy("Publisher"),
            {"fields": ["publisher_name", "short_name", "publisher_url", "copyright"]},
        ),
        (gettext_lazy("Series introduction"), {"fields": ["introduction"]}),
        (gettext_lazy("Contact"), {"fields": ["contact", "contact_url", "contact_email"]}),
        (
            gettext_lazy("Map of the host cities"),
            {
                "fields": ["map_image", "map_west", "map_east", "map_south", "map_north"],
                "description": gettext_lazy(
                    "Leave the image empty to use the built-in outline (Natural Earth)."
                ),
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]

    def has_add_permission(self, request, *args, **kwargs):
        """The one record is created by the migrations (no query here: every admin page asks)."""
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        """The list of one record is the record (a POST, a list action, is answered as usual)."""
        exists = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_ID).exists()
        if exists and request.method == "GET" and self.has_view_or_change_permission(request):
            url = reverse("admin:seminars_sitesettings_change", args=[SiteSettings.SINGLETON_ID])
            return HttpResponseRedirect(url)
        return super().changelist_view(request, extra_context)
