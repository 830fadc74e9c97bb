"""Publishing and unpublishing: the button, the action, and the confirmation for missing text."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from seminars.models import AgendaItem, Seminar
from tests.admin_forms import admin_form_data
from tests.factories import make_edition

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


@pytest.fixture
def edition():
    """A complete published edition (every text in both languages)."""
    return make_edition(5)


@pytest.fixture
def draft():
    """A complete edition not yet published."""
    return make_edition(5, status=Seminar.Status.DRAFT)


def publish_url(seminar):
    return reverse("admin:seminars_seminar_publish", args=[seminar.pk])


def test_publish_complete_edition_at_once(client_as, draft):
    client = client_as("Publishers")
    response = client.post(publish_url(draft))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:seminars_seminar_change", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.PUBLISHED
    assert draft.published_at is not None
    assert LogEntry.objects.filter(object_id=str(draft.pk)).count() == 1
    assert client.get(f"/zh-hans/seminars/{draft.edition}/").status_code == 200


def test_publish_button_on_change_page(admin_client_ja, draft):
    url = reverse("admin:seminars_seminar_change", args=[draft.pk])
    content = admin_client_ja.get(url).content.decode()
    assert f'action="{publish_url(draft)}"' in content
    assert "unpublish" not in content


def test_publish_with_missing_translations_asks_first(client_as, draft):
    AgendaItem.objects.filter(seminar=draft, venue_ja="会場4").update(venue_zh_hans="")
    client = client_as("Publishers")
    response = client.post(publish_url(draft))
    assert response.status_code == 200
    assert response.context["incomplete"][0][0] == draft
    content = response.content.decode()
    assert "プログラム項目 4 “講演4”：会場（簡体字中国語）" in content
    assert 'name="post" value="yes"' in content
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.DRAFT
    confirmed = client.post(publish_url(draft), {"post": "yes"})
    assert confirmed.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.PUBLISHED


def test_publish_get_never_publishes(admin_client_ja, draft):
    response = admin_client_ja.get(publish_url(draft))
    assert response.status_code == 200
    assert (
        "Yes, publish" in response.content.decode()
        or "はい、公開します" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Seminar.Status.DRAFT


def test_publish_confirmation_in_chinese(client, superuser, draft):
    Seminar.objects.filter(pk=draft.pk).update(summary_zh_hans="")
    client.force_login(superuser)
    response = client.post(publish_url(draft), HTTP_ACCEPT_LANGUAGE="zh-hans")
    content = response.content.decode()
    assert "研讨会：概要（简体中文）" in content
    assert "是，发布" in content


def test_publish_action_confirms_only_incomplete(admin_client_ja):
    for number in (4, 5, 6):
        make_edition(number, status=Seminar.Status.DRAFT)
    Seminar.objects.filter(edition=5).update(theme_zh_hans="")
    ids = list(Seminar.objects.filter(edition__in=[4, 5]).values_list("pk", flat=True))
    data = {"action": "publish_selected", "_selected_action": ids}
    response = admin_client_ja.post(reverse(CHANGELIST), data)
    assert response.status_code == 200
    assert [s.edition for s, _missing in response.context["incomplete"]] == [5]
    assert Seminar.objects.filter(edition__in=[4, 5], status="draft").count() == 2
    response = admin_client_ja.post(reverse(CHANGELIST), {**data, "post": "yes"})
    assert response.status_code == 302
    assert Seminar.objects.filter(edition__in=[4, 5], status="published").count() == 2
    assert Seminar.objects.get(edition=6).status == "draft"


def test_publish_action_without_missing_publishes_directly(admin_client_ja):
    make_edition(1)
    for number in (2, 3):
        make_edition(number, status=Seminar.Status.DRAFT)
    ids = list(Seminar.objects.filter(edition__in=[2, 3]).values_list("pk", flat=True))
    response = admin_client_ja.post(
        reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert not Seminar.objects.filter(status="draft").exists()


def test_unpublish_back_to_draft_hides_public_page(client_as, edition):
    client = client_as("Publishers")
    assert client.get(f"/ja/seminars/{edition.edition}/").status_code == 200
    url = reverse("admin:seminars_seminar_unpublish", args=[edition.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    # The page names the public URLs that will disappear, in both languages.
    assert confirmation.context["public_urls"] == [
        f"http://testserver/ja/seminars/{edition.edition}/",
        f"http://testserver/zh-hans/seminars/{edition.edition}/",
    ]
    assert client.post(url).status_code == 200  # not confirmed: still the question
    edition.refresh_from_db()
    assert edition.is_published
    assert client.post(url, {"post": "yes"}).status_code == 302
    edition.refresh_from_db()
    assert (edition.status, edition.published_at) == ("draft", None)
    assert client.get(f"/ja/seminars/{edition.edition}/").status_code == 404


def test_unpublish_action(admin_client_ja, edition):
    data = {"action": "unpublish_selected", "_selected_action": [edition.pk]}
    confirmation = admin_client_ja.post(reverse(CHANGELIST), data)
    assert confirmation.status_code == 200
    assert f"http://testserver/ja/seminars/{edition.edition}/" in confirmation.content.decode()
    edition.refresh_from_db()
    assert edition.is_published
    assert admin_client_ja.post(reverse(CHANGELIST), {**data, "post": "yes"}).status_code == 302
    edition.refresh_from_db()
    assert edition.status == Seminar.Status.DRAFT


def test_publish_by_status_field_sets_publication_date(admin_client_ja, draft):
    url = reverse("admin:seminars_seminar_change", args=[draft.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["status"] = "published"
    assert admin_client_ja.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
