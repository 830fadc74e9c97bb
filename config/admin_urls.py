"""The admin's URLs (/admin/), a URLconf of their own that config.urls names by its path.

Django imports it when the first admin URL is resolved or reversed, not when config.urls is
loaded. A web worker (config.wsgi) starts without the admins' modules: they register here, on
that first use (seminars.apps.SeminarAdminConfig.load_admins_on_first_use), and a worker that
only serves public pages never loads them. Elsewhere they were registered at start-up and
load_admins() finds them imported. Two threads asking at once wait for one import.
"""

from django.contrib import admin

from seminars.apps import load_admins

load_admins()

urlpatterns = admin.site.get_urls()
