from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """Holds the change history's tables (kept under this label: moving them costs a data copy)."""

    name = "safety"
    verbose_name = _("Change history")

    def ready(self):
        # History models are created here, after modeltranslation (first in INSTALLED_APPS)
        # has added the translated columns, so that the history keeps both languages.
        from seminars.record import history_tables as history

        history.register_models()
