from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from editorial.groups import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="editorial.sync_roles")
