"""django-axes under a translated name: it declares none, so the admin showed a bare "Axes".

Its own module: Django picks an app's config automatically only when apps.py holds exactly one.
"""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Axes")
