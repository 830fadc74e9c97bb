"""The editorial roles as groups: Editors (reused), Translators, Data stewards, Publishers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "seminars": ["city", "seminar", "organization", "organizer", "agendaitem", "photo"],
    "participants": ["delegation", "participant"],
}
EDITORS = "Editors"


def _content(action_list):
    return [
        ("seminars" if model in CONTENT_MODELS["seminars"] else "participants", f"{a}_{model}")
        for models in CONTENT_MODELS.values()
        for model in models
        for a in action_list
    ]


ROLES = {
    EDITORS: _content(["add", "change", "delete", "view"]),
    "Translators": _content(["view", "change"]),
    "Data stewards": [
        ("seminars", "view_seminar"),
        ("participants", "view_delegation"),
        ("participants", "add_delegation"),
        ("participants", "change_delegation"),
        ("participants", "import_delegation"),
        ("participants", "export_delegation"),
    ],
    "Publishers": [*_content(["view"]), ("editorial", "publish_seminar")],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)


def remove_roles(apps, schema_editor):
    # Editors belongs to participants/0002; only the groups created here are removed.
    names = [name for name in ROLES if name != EDITORS]
    apps.get_model("auth", "Group").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("participants", "0003_delegation_import_export_permissions"),
        ("seminars", "0002_agenda_date_within_seminar"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
