from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagecacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Public page cache")

    def ready(self):
        from . import signals

        signals.connect()
