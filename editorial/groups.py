"""The editorial roles as groups, kept in step with the code after every `migrate`.

editorial/migrations/0002_roles.py made them once; this post_migrate sync adds whatever is
missing (a permission added later, or groups emptied by `flush`), and never removes anything
staff granted by hand.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from editorial.roles import DATA_STEWARDS, EDITORS, PUBLISHERS, TRANSLATORS

CONTENT_MODELS = {
    "seminars": ["city", "seminar", "organization", "organizer", "agendaitem", "photo"],
    "participants": ["delegation", "participant"],
}


def _content(actions):
    return [
        (app_label, f"{action}_{model}")
        for app_label, models in CONTENT_MODELS.items()
        for model in models
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
    PUBLISHERS: [*_content(["view"]), ("editorial", "publish_seminar")],
}


def ensure_roles(using=DEFAULT_DB_ALIAS):
    """Create the role groups and give each its permissions; idempotent."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    # post_migrate reaches this app before later ones have their permissions: create them now.
    for app_label in [*CONTENT_MODELS, "editorial"]:
        create_permissions(apps.get_app_config(app_label), verbosity=0, using=using)
    for name, wanted in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        labels = {app_label for app_label, _ in wanted}
        permissions = [
            permission
            for permission in Permission.objects.using(using)
            .filter(content_type__app_label__in=labels)
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
    # Runs after migrate and after flush (tests); skip a migrate that stopped short of auth.
    if apps is not None:
        try:
            apps.get_model("auth", "Group")
            apps.get_model("editorial", "SeminarPublication")
        except LookupError:
            return
    ensure_roles(using=using)
