from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .tablib_formats import register_on_demand_xlsx

# Here, not in ready(): the admin's autodiscover (an earlier app's ready) imports
# django-import-export, which probes the XLSX format.
register_on_demand_xlsx()


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")
