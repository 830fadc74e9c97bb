"""The write guard: every save, delete and many-to-many change of a content model passes here.

Signals reach every ORM write path (forms, inlines, actions, history revert, cascade deletes,
imports, services), so the one permission decision (seminars.record.permissions) cannot be bypassed
by
a new admin page. A refusal raises inside the admin's transaction: nothing is written.
Every publication and unpublication, by whatever path, also leaves one admin-log entry here, and
every write moves its edition's version forward (seminars.record.versions) in the same transaction.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from seminars.models import Photo, Seminar
from seminars.record import permissions, trash, versions
from seminars.record.content import edited_models

M2M_WRITES = {"pre_add", "pre_remove", "pre_clear"}
M2M_DONE = {"post_add", "post_remove", "post_clear"}


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: fixtures are the system's
        return
    if instance._state.adding or instance.pk is None:
        permissions.check(instance, permissions.ADD)
        instance._was_published = None
        return
    fields = permissions.changed_fields(instance)
    if update_fields is not None:
        fields &= set(update_fields)
    permissions.check(instance, permissions.CHANGE, fields)
    if isinstance(instance, Photo) and fields & set(Photo.FILE_FIELDS):  # replaced files go
        stored = Photo._base_manager.filter(pk=instance.pk).values(*Photo.FILE_FIELDS).first()
        for name in fields & set(Photo.FILE_FIELDS):
            trash.remove_file_after_commit((stored or {}).get(name))
    if "status" in fields:
        instance._was_published = not instance.is_published


def _before_delete(sender, instance, **kwargs):
    permissions.check(instance, permissions.DELETE)
    if isinstance(instance, Seminar):
        trash.keep(instance, permissions.acting_user())


def _before_m2m_change(sender, instance, action, reverse=False, **kwargs):
    if action in M2M_WRITES:
        permissions.check(instance, permissions.CHANGE, fields={_link_name(sender, instance)})


def _link_name(through, instance):
    """The name, on `instance`'s model, of the many-to-many relation stored in `through`."""
    for field in type(instance)._meta.get_fields():
        if not field.many_to_many:
            continue
        # A forward field keeps its link model on its relation; a reverse relation on itself.
        link = field.through if field.auto_created else field.remote_field.through
        if link is through:
            return field.name
    return through._meta.model_name


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: an edition gets its version row, nothing moves
        if sender is Seminar:
            versions.EditionVersion.objects.get_or_create(seminar_id=instance.pk)
        return
    versions.bump(versions.edition_id_of(instance), permissions.acting_user())


def _after_delete(sender, instance, **kwargs):
    # Update only: while an edition is deleted its version row may already be gone.
    versions.bump(versions.edition_id_of(instance), permissions.acting_user(), create=False)
    if isinstance(instance, Photo):  # an edition's own files are in the trash by now
        for name in Photo.FILE_FIELDS:
            trash.remove_file_after_commit(getattr(instance, name).name)


def _after_m2m_change(sender, instance, action, **kwargs):
    if action in M2M_DONE:
        versions.bump(versions.edition_id_of(instance), permissions.acting_user())


def _log_publication(sender, instance, created, raw=False, **kwargs):
    """One admin-log entry when an edition is published or unpublished."""
    was_published = getattr(instance, "_was_published", None)
    instance._was_published = None
    user = permissions.acting_user()
    if raw or was_published is None or was_published == instance.is_published or user is None:
        return
    message = _("Published.") if instance.is_published else _("Unpublished.")
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[instance],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def connect():
    """Called from SeminarsConfig.ready()."""
    for model in edited_models():
        uid = model._meta.label_lower
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"guard_save_{uid}")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"guard_delete_{uid}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"version_save_{uid}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"version_delete_{uid}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _before_m2m_change, sender=through, dispatch_uid=f"guard_m2m_{uid}_{field.name}"
            )
            m2m_changed.connect(
                _after_m2m_change, sender=through, dispatch_uid=f"version_m2m_{uid}_{field.name}"
            )
    post_save.connect(_log_publication, sender=Seminar, dispatch_uid="guard_publication_log")
