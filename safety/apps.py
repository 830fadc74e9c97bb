from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = _("Safety and history")

    def ready(self):
        # Deployment checks register themselves on import (tagged deploy).
        from config import checks  # noqa: F401

        # History models are created here, after modeltranslation (first in INSTALLED_APPS)
        # has added the translated columns, so that the history keeps both languages.
        from . import history

        history.register_models()

        from .admin import patch_autocomplete_widgets

        patch_autocomplete_widgets()
