"""The publish permission moves from the removed `editorial` app to Seminar.Meta.permissions.

Every group and user that held editorial.publish_seminar gets seminars.publish_seminar; the old
permission and its content type (a proxy model without a table) are then removed.
"""

from django.db import migrations


def move_grants(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    seminar_type, _ = ContentType.objects.get_or_create(app_label="seminars", model="seminar")
    new, _ = Permission.objects.get_or_create(
        content_type=seminar_type,
        codename="publish_seminar",
        defaults={"name": "Can publish and unpublish seminars"},
    )
    old = Permission.objects.filter(
        content_type__app_label="editorial", codename="publish_seminar"
    ).first()
    if old is None:
        return
    for group in Group.objects.filter(permissions=old):
        group.permissions.add(new)
    for user in User.objects.filter(user_permissions=old):
        user.user_permissions.add(new)
    old_type = old.content_type
    old.delete()
    if not Permission.objects.filter(content_type=old_type).exists():
        old_type.delete()


def move_back(apps, schema_editor):
    # The editorial app no longer exists: nothing to move the grants back to.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("seminars", "0003_validation_messages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="seminar",
            options={
                "ordering": ["edition"],
                "permissions": [("publish_seminar", "Can publish and unpublish seminars")],
                "verbose_name": "seminar",
                "verbose_name_plural": "seminars",
            },
        ),
        migrations.RunPython(move_grants, move_back),
    ]
