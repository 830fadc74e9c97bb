from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        from . import guards, signals
        from .roles import sync_roles

        guards.connect()
        # Public pages follow every content change (the page cache is cleared and re-warmed).
        signals.connect()
        # PDFs are rendered again after the commit of a change, in a separate process.
        from .takeaway import render

        render.connect()
        # After every migrate and flush; it creates the other apps' permissions it needs.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="seminars.sync_roles")
