"""App configs of the project's wiring: deploy checks, a Django patch, django-axes' name.

`config` owns no table; it is an app only so that its ready() runs once the registry is ready.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "config"
    verbose_name = _("Site configuration")

    def ready(self):
        # Deployment checks register themselves on import (tagged deploy).
        from . import checks  # noqa: F401
        from .patches import patch_autocomplete_widgets

        patch_autocomplete_widgets()


class LoginProtectionConfig(AxesAppConfig):
    """django-axes under a translated name: it declares none, so the admin showed "Axes"."""

    verbose_name = _("Axes")
