"""Publishing and unpublishing: the button, the action, and the confirmation for missing text."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from seminars.models import AgendaItem, Seminar
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


@pytest.fixture
def draft_2018(seminar_2018):
    seminar_2018.status = Seminar.Status.DRAFT
    seminar_2018.save()
    return seminar_2018


def publish_url(seminar):
    return reverse("admin:seminars_seminar_publish", args=[seminar.pk])


def test_publish_complete_edition_at_once(client_as, draft_2018):
    client = client_as("Publishers")
    response = client.post(publish_url(draft_2018))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:seminars_seminar_change", args=[draft_2018.pk])
    draft_2018.refresh_from_db()
    assert draft_2018.status == Seminar.Status.PUBLISHED
    assert draft_2018.published_at is not None
    assert LogEntry.objects.filter(object_id=str(draft_2018.pk)).count() == 1
    assert client.get("/zh-hans/seminars/17/").status_code == 200


def test_publish_button_on_change_page(admin_client_ja, draft_2018):
    url = reverse("admin:seminars_seminar_change", args=[draft_2018.pk])
    content = admin_client_ja.get(url).content.decode()
    assert f'action="{publish_url(draft_2018)}"' in content
    assert "unpublish" not in content


def test_publish_with_missing_translations_asks_first(client_as, draft_2018):
    AgendaItem.objects.filter(seminar=draft_2018, title_ja="李白記念館").update(
        description_ja="李白の旧居", description_zh_hans=""
    )
    client = client_as("Publishers")
    response = client.post(publish_url(draft_2018))
    assert response.status_code == 200
    assert response.context["incomplete"][0][0] == draft_2018
    content = response.content.decode()
    assert "プログラム項目 12 “李白記念館”：説明（簡体字中国語）" in content
    assert 'name="post" value="yes"' in content
    draft_2018.refresh_from_db()
    assert draft_2018.status == Seminar.Status.DRAFT
    confirmed = client.post(publish_url(draft_2018), {"post": "yes"})
    assert confirmed.status_code == 302
    draft_2018.refresh_from_db()
    assert draft_2018.status == Seminar.Status.PUBLISHED


def test_publish_get_never_publishes(admin_client_ja, draft_2018):
    response = admin_client_ja.get(publish_url(draft_2018))
    assert response.status_code == 200
    assert (
        "Yes, publish" in response.content.decode()
        or "はい、公開します" in response.content.decode()
    )
    draft_2018.refresh_from_db()
    assert draft_2018.status == Seminar.Status.DRAFT


def test_publish_confirmation_in_chinese(client, superuser, draft_2018):
    Seminar.objects.filter(pk=draft_2018.pk).update(summary_zh_hans="")
    client.force_login(superuser)
    response = client.post(publish_url(draft_2018), HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = response.content.decode()
    assert "研讨会：概要（简体中文）" in content
    assert "是，发布" in content


def test_publish_action_confirms_only_incomplete(admin_client_ja, seed):
    Seminar.objects.filter(edition__in=[15, 16, 17]).update(status=Seminar.Status.DRAFT)
    Seminar.objects.filter(edition=16).update(theme_zh_hans="")
    ids = list(Seminar.objects.filter(edition__in=[15, 16]).values_list("pk", flat=True))
    data = {"action": "publish_selected", "_selected_action": ids}
    response = admin_client_ja.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert [s.edition for s, _missing in response.context["incomplete"]] == [16]
    assert Seminar.objects.filter(edition__in=[15, 16], status="draft").count() == 2
    response = admin_client_ja.post(reverse(CHANGELIST), {**data, "post": "yes"})
    assert response.status_code == 302
    assert Seminar.objects.filter(edition__in=[15, 16], status="published").count() == 2
    assert Seminar.objects.get(edition=17).status == "draft"


def test_publish_action_without_missing_publishes_directly(admin_client_ja, seed):
    Seminar.objects.filter(edition__in=[2, 3]).update(status="draft")
    ids = list(Seminar.objects.filter(edition__in=[2, 3]).values_list("pk", flat=True))
    response = admin_client_ja.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert not Seminar.objects.filter(status="draft").exists()


def test_unpublish_back_to_draft_hides_public_page(client_as, seminar_2018):
    client = client_as("Publishers")
    assert client.get("/ja/seminars/17/").status_code == 200
    url = reverse("admin:seminars_seminar_unpublish", args=[seminar_2018.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    # The page names the public URLs that will disappear, in both languages.
    assert confirmation.context["public_urls"] == [
        "http://testserver/ja/seminars/17/",
        "http://testserver/zh-hans/seminars/17/",
    ]
    assert client.post(url).status_code == 200  # not confirmed: still the question
    seminar_2018.refresh_from_db()
    assert seminar_2018.is_published
    assert client.post(url, {"post": "yes"}).status_code == 302
    seminar_2018.refresh_from_db()
    assert (seminar_2018.status, seminar_2018.published_at) == ("draft", None)
    assert client.get("/ja/seminars/17/").status_code == 404


def test_unpublish_action(admin_client_ja, seminar_2018):
    data = {"action": "unpublish_selected", "_selected_action": [seminar_2018.pk]}
    confirmation = admin_client_ja.post(reverse(CHANGELIST), data)
    assert confirmation.status_code == 200
    assert "http://testserver/ja/seminars/17/" in confirmation.content.decode()
    seminar_2018.refresh_from_db()
    assert seminar_2018.is_published
    assert admin_client_ja.post(reverse(CHANGELIST), {**data, "post": "yes"}).status_code == 302
    seminar_2018.refresh_from_db()
    assert seminar_2018.status == Seminar.Status.DRAFT


def test_publish_by_status_field_sets_publication_date(admin_client_ja, draft_2018):
    url = reverse("admin:seminars_seminar_change", args=[draft_2018.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["status"] = "published"
    assert admin_client_ja.post(url, data).status_code == 302
    draft_2018.refresh_from_db()
    assert draft_2018.status == "published"
    assert draft_2018.published_at is not None
