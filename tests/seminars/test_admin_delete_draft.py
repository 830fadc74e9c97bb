"""The delete page of a draft edition says where it goes: to the deleted editions, from which a
publisher restores it; it lists the edition's content only (no internal row such as the
edition's version counter), in the staff language."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from seminars.models import Seminar, TrashedEdition
from tests.factories import (
    make_draft_with_parts,
    make_photo,
    make_seminar,
)

pytestmark = pytest.mark.django_db

WORDS = {
    "ja": {
        "trash": "「削除済みの回」に移ります",
        "restore": "公開担当者がそこから今の状態のまま復元できます",
        "button": "はい、削除済みの回に移します",
        "agenda": "基調講演",
        "internal": "回の版",
        "deleted": "削除されます",
    },
    "zh-hans": {
        "trash": "移至“已删除的届次”",
        "restore": "发布人员可以从那里将其原样恢复",
        "button": "是，移至已删除的届次",
        "agenda": "主旨演讲",
        "internal": "届次版本",
        "deleted": "将被删除",
    },
}


@pytest.fixture
def draft(db):
    seminar = make_draft_with_parts(40)
    make_photo(seminar)
    seminar.save()  # the edition's version row exists (what the page must not list)
    return seminar


@pytest.fixture
def editor_client(client, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def _internal_label(language):
    from django.utils import translation

    from seminars.models import EditionVersion

    with translation.override(language):
        return str(EditionVersion._meta.verbose_name)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_delete_page_of_a_draft_says_it_goes_to_the_trash(editor_client, draft, language):
    url = reverse("admin:seminars_seminar_delete", args=[draft.pk])
    content = editor_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    words = WORDS[language]
    assert words["trash"] in content
    assert words["restore"] in content
    assert f'value="{words["button"]}"' in content
    assert reverse("admin:seminars_seminar_trash") in content
    assert words["agenda"] in content  # the content is listed
    assert words["deleted"] not in content
    assert _internal_label(language) not in content
    assert "<h2>" in content and "EditionVersion" not in content


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_delete_selected_drafts_say_they_go_to_the_trash(editor_client, draft, language):
    other = make_seminar(41, status=Seminar.Status.DRAFT)
    url = reverse("admin:seminars_seminar_changelist")
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [draft.pk, other.pk]}
    content = editor_client.post(url, data, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    words = WORDS[language]
    assert words["trash"].replace("に移ります", "") in content
    assert words["restore"] in content
    assert f'value="{words["button"]}"' in content
    assert words["deleted"] not in content
    assert _internal_label(language) not in content


def test_delete_page_confirmation_puts_the_draft_in_the_trash(editor_client, draft):
    url = reverse("admin:seminars_seminar_delete", args=[draft.pk])
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Seminar.objects.filter(pk=draft.pk).exists()
    assert TrashedEdition.objects.filter(edition=40).exists()
