"""The role groups in the admin: Django's GroupAdmin, with groups and permissions named in the
staff language. django.contrib.auth registers its GroupAdmin first (it precedes this app in
INSTALLED_APPS); this module, imported by seminars.admin.editions, registers the roles' admin in
its place.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from seminars.admin.mixins import permission_label
from seminars.record.roles import ROLE_LABELS


class RoleGroupAdmin(GroupAdmin):
    list_display = ["role_name"]

    @admin.display(description=_("name"), ordering="name")
    def role_name(self, group):
        return str(ROLE_LABELS.get(group.name, group.name))

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
