"""The editorial roles, defined once: their groups and permissions, kept in step after `migrate`.

Only the groups live here. What each role may do, field by field (translators change only
translated text and cannot add or delete), is decided by seminars.record.permissions, which the
write
guard and the admin both ask.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _

from seminars.record.content import EDITED_MODELS

EDITORS = "Editors"
TRANSLATORS = "Translators"
DATA_STEWARDS = "Data stewards"
PUBLISHERS = "Publishers"
PUBLISH_PERMISSION = "seminars.publish_seminar"

# The group names in the staff language (the group's key stays the English name).
ROLE_LABELS = {
    EDITORS: _("Editors"),
    TRANSLATORS: _("Translators"),
    DATA_STEWARDS: _("Data stewards"),
    PUBLISHERS: _("Publishers"),
}


def _content(actions):
    return [
        (label.split(".")[0], f"{action}_{label.split('.')[1].lower()}")
        for label in EDITED_MODELS
        for action in actions
    ]


ROLES = {
    EDITORS: _content(["add", "change", "delete", "view"]),
    TRANSLATORS: _content(["view", "change"]),
    DATA_STEWARDS: [
        ("seminars", "view_seminar"),
        ("participants", "view_delegation"),
        ("participants", "add_delegation"),
        ("participants", "change_delegation"),
        ("participants", "import_delegation"),
        ("participants", "export_delegation"),
    ],
    PUBLISHERS: [*_content(["view"]), ("seminars", "publish_seminar")],
}


def ensure_roles(using=DEFAULT_DB_ALIAS):
    """Create the role groups and give each its permissions; idempotent, never removes grants."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    app_labels = sorted({app_label for wanted in ROLES.values() for app_label, _c in wanted})
    # post_migrate reaches this app before later ones have their permissions: create them now.
    for app_label in app_labels:
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    for name, wanted in ROLES.items():
        group, _created = Group.objects.using(using).get_or_create(name=name)
        permissions = [
            permission
            for permission in Permission.objects.using(using)
            .filter(content_type__app_label__in=app_labels)
            .select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        missing = {f"{a}.{c}" for a, c in wanted} - {
            f"{p.content_type.app_label}.{p.codename}" for p in permissions
        }
        if missing:
            raise LookupError(
                f"Role {name!r} needs permissions that do not exist: {sorted(missing)}"
            )
        group.permissions.add(*permissions)


def sync_roles(sender, using=DEFAULT_DB_ALIAS, apps=None, plan=None, **kwargs):
    """post_migrate (and flush in tests); skips a migrate that stopped short of the content."""
    if apps is not None:
        try:
            apps.get_model("auth", "Group")
            for label in EDITED_MODELS:
                apps.get_model(label)
        except LookupError:
            return
    ensure_roles(using=using)
