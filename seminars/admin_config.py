"""The admin app with the seminars' own site (seminars.admin_home): staff's order on the index,
the dashboard, autocomplete labels that name the edition. Listed in INSTALLED_APPS in place of
django.contrib.admin; imports no model (the site class is imported once the apps are ready)."""

from django.contrib.admin.apps import AdminConfig


class SeminarAdminConfig(AdminConfig):
    default_site = "seminars.admin_home.SeminarAdminSite"
