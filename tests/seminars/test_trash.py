"""Deleting an edition puts it in the trash with everything that belonged to it; a publisher
restores it row for row (photo files compared by content) as a draft, or purges it for good."""

import json

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core import serializers
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from modeltranslation.translator import translator

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, Organizer, Photo, Seminar, TrashedEdition
from seminars.record.history_tables import TRASH_RESTORE
from tests.factories import (
    make_draft_with_parts,
    make_photo,
    make_seminar,
    png_bytes,
)
from tests.security.snapshots import media_files

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def draft_edition(media):
    seminar = make_draft_with_parts(50)
    for order, color in enumerate(["red", "blue"]):
        photo = make_photo(seminar, caption_ja=f"写真{order}", order=order)
        photo.image.save(f"p{order}.png", ContentFile(png_bytes(color)))
    return seminar


def edition_rows(seminar_pk):
    """Every row of the edition and its children, serialized (pks and m2m links included)."""
    objects = [
        *Seminar.objects.filter(pk=seminar_pk),
        *Organizer.objects.filter(seminar_id=seminar_pk).order_by("pk"),
        *AgendaItem.objects.filter(seminar_id=seminar_pk).order_by("pk"),
        *Photo.objects.filter(seminar_id=seminar_pk).order_by("pk"),
        *Delegation.objects.filter(seminar_id=seminar_pk).order_by("pk"),
        *Participant.objects.filter(delegation__seminar_id=seminar_pk).order_by("pk"),
    ]
    rows = json.loads(serializers.serialize("json", objects))
    for row in rows:
        # The bare translated columns hold whichever language was active when saved.
        model = apps.get_model(row["model"])
        translated = model in translator.get_registered_models()
        bare = translator.get_options_for_model(model).all_fields if translated else []
        for name in ["updated_at", *bare]:
            row["fields"].pop(name, None)
    return rows


def role_client(django_user_model, username, *groups):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


def delete_through_admin(client, seminar):
    url = reverse("admin:seminars_seminar_delete", args=[seminar.pk])
    return client.post(url, {"post": "yes"})


def test_trash_round_trip_restores_rows_and_files_exactly(draft_edition, media, django_user_model):
    rows_before, files_before = edition_rows(draft_edition.pk), media_files(media)
    assert len(files_before) == 2
    editor = role_client(django_user_model, "editor", "Editors")

    assert delete_through_admin(editor, draft_edition).status_code == 302
    assert not Seminar.objects.filter(pk=draft_edition.pk).exists()
    assert not AgendaItem.objects.filter(seminar_id=draft_edition.pk).exists()
    trashed = TrashedEdition.objects.get(edition=50)
    assert media_files(media) and not set(media_files(media)) & set(files_before)

    publisher = role_client(django_user_model, "publisher", "Publishers")
    restore_url = reverse("admin:seminars_seminar_trash_restore", args=[trashed.pk])
    response = publisher.post(restore_url)

    assert response.status_code == 302
    assert edition_rows(draft_edition.pk) == rows_before
    assert media_files(media) == files_before  # same names, same bytes
    assert Seminar.objects.get(pk=draft_edition.pk).status == Seminar.Status.DRAFT
    assert not TrashedEdition.objects.exists()
    assert LogEntry.objects.filter(object_id=str(draft_edition.pk)).exists()
    # Every row brought back has its history record, by the publisher, at one time.
    latest = {}
    for row in rows_before:
        history = apps.get_model(row["model"]).history.model
        record = history.objects.filter(id=row["pk"]).latest()
        latest[row["model"], row["pk"]] = (
            record.history_type,
            record.history_change_reason,
            record.history_user.username,
            record.history_date,
        )
    assert {value[:3] for value in latest.values()} == {("+", TRASH_RESTORE, "publisher")}
    assert len({value[3] for value in latest.values()}) == 1


def test_trash_purge_removes_rows_and_files(draft_edition, media, django_user_model):
    draft_edition.delete()
    trashed = TrashedEdition.objects.get(edition=50)
    assert len(media_files(media)) == 2
    publisher = role_client(django_user_model, "publisher", "Publishers")
    url = reverse("admin:seminars_seminar_trash_purge", args=[trashed.pk])

    question = publisher.get(url)
    assert question.status_code == 200
    assert TrashedEdition.objects.filter(pk=trashed.pk).exists()
    assert publisher.post(url, {"post": "yes"}).status_code == 302

    assert not TrashedEdition.objects.exists()
    assert media_files(media) == {}


@pytest.mark.parametrize("groups", [("Editors",), ("Translators",), ("Data stewards",), ()])
def test_trash_restore_and_purge_refused_to_non_publishers(
    draft_edition, django_user_model, groups
):
    draft_edition.delete()
    trashed = TrashedEdition.objects.get(edition=50)
    client = role_client(django_user_model, "someone", *groups)

    restore = client.post(reverse("admin:seminars_seminar_trash_restore", args=[trashed.pk]))
    purge = client.post(
        reverse("admin:seminars_seminar_trash_purge", args=[trashed.pk]), {"post": "yes"}
    )

    assert restore.status_code in (302, 403)
    assert purge.status_code == 403
    assert TrashedEdition.objects.filter(pk=trashed.pk).exists()
    assert not Seminar.objects.filter(edition=50).exists()


def test_trash_restore_refused_when_the_edition_number_is_taken_again(
    draft_edition, django_user_model
):
    draft_edition.delete()
    make_seminar(50, fiscal_year=2090)
    publisher = role_client(django_user_model, "publisher", "Publishers")
    trashed = TrashedEdition.objects.get(edition=50)

    response = publisher.post(
        reverse("admin:seminars_seminar_trash_restore", args=[trashed.pk]), follow=True
    )

    assert "第50回" in response.content.decode() or "50" in response.content.decode()
    assert TrashedEdition.objects.filter(pk=trashed.pk).exists()
    assert Seminar.objects.get(edition=50).fiscal_year == 2090


def test_trash_list_shows_what_each_deleted_edition_holds(draft_edition, django_user_model):
    draft_edition.delete()
    publisher = role_client(django_user_model, "publisher", "Publishers")

    response = publisher.get(reverse("admin:seminars_seminar_trash"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "第50回（2051年度）" in content
    assert "写真: 2" in content
    assert "テーマ50" in content


def test_replaced_and_deleted_photo_files_leave_storage(draft_edition, media):
    first, second = Photo.objects.filter(seminar=draft_edition).order_by("order")
    old_name = first.image.name
    first.image.save("new.png", ContentFile(png_bytes("green")))
    second_name = second.image.name
    second.delete()

    names = set(media_files(media))
    assert old_name not in names
    assert second_name not in names
    assert first.image.name in names
