from importlib import import_module

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        from seminars.public import invalidation as signals
        from seminars.record import guards, translation_state
        from seminars.record.roles import sync_roles

        guards.connect()
        # A change after an approval sends the edition back to review.
        from seminars.record import review

        review.connect()
        # After the guard: a refused write marks no translation stale.
        translation_state.connect()
        # Public pages follow every content change (the page cache is cleared and re-warmed).
        signals.connect()
        # PDFs are rendered again after the commit of a change, in a separate process.
        from .takeaway import render

        render.connect()
        # After every migrate and flush; it creates the other apps' permissions it needs.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="seminars.sync_roles")
        # Every footer names the publisher (site settings) and links the three information
        # pages: those records always exist.
        post_migrate.connect(
            ensure_footer_records, sender=self, dispatch_uid="seminars.footer_records"
        )
        # The search index is complete after every migrate and flush (seminars/search/index.py).
        from .search.index import rebuild_after_migrate

        post_migrate.connect(
            rebuild_after_migrate, sender=self, dispatch_uid="seminars.search_index"
        )


# The records every footer needs: (model, the migration that first created them, its function).
FOOTER_RECORDS = (
    ("SiteSettings", "seminars.migrations.0008_site_settings_record", "create_record"),
    ("InfoPage", "seminars.migrations.0009_info_pages", "create_pages"),
)


def ensure_footer_records(sender, using="default", apps=None, **kwargs):
    """After every migrate and flush (a flushed test database, a restore that lost them): the
    site settings record and the site policy, privacy and accessibility pages, with the values
    their migrations gave them, where one is missing; an edited record is left as it is."""
    if apps is None:  # flush sends no `apps`: the models as they are now
        from django.apps import apps
    for model, migration, function in FOOTER_RECORDS:
        try:
            apps.get_model("seminars", model)
        except LookupError:  # a migrate that stopped before the model's migration
            continue
        getattr(import_module(migration), function)(apps, None)


class SeminarAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the seminars' own site (seminars.admin.site): staff's order on
    the index, the dashboard, autocomplete labels that name the edition. Listed in INSTALLED_APPS
    in place of django.contrib.admin; imports no model (the site class is imported once the apps
    are ready)."""

    default = False  # `seminars` means SeminarsConfig; this one is named in INSTALLED_APPS
    default_site = "seminars.admin.site.SeminarAdminSite"
    # True in a web worker (config.wsgi sets it before django.setup()): the admins' modules, and
    # with them django-import-export, tablib's formats, PyYAML and the admin forms (about 5 MiB a
    # worker), load with the first admin URL resolved or reversed (config.admin_urls), not at
    # start-up: most workers only ever serve public pages. Everywhere else (manage.py, the
    # tests, the system checks) they load here, as Django's admin does.
    load_admins_on_first_use = False

    def ready(self):
        # AdminConfig.ready() is this and the autodiscover that load_admins() does.
        admin_apps.SimpleAdminConfig.ready(self)  # the admin's system checks
        if not self.load_admins_on_first_use:
            load_admins()


def load_admins():
    """Registers every admin with the site, once (both steps are idempotent imports)."""
    from django.contrib.admin import autodiscover

    autodiscover()  # every app's admin module
    # The record's admins live in a sub-package whose __init__ stays empty: the site class
    # lives beside them, and importing it must not register admins before the site exists.
    import_module("seminars.admin.editions")
