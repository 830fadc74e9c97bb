from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        # Public pages follow every content change (the page cache is cleared and re-warmed).
        from . import signals

        signals.connect()
