"""Each role's allowed and refused actions, through the admin as staff use it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from participants.models import Delegation
from seminars.models import AgendaItem, Seminar
from tests.admin_forms import admin_form_data
from tests.factories import make_organization

pytestmark = pytest.mark.django_db


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def action_names(response):
    return [name for name, _label in response.context["action_form"].fields["action"].choices]


def test_roles_groups_exist_with_their_permissions():
    def codenames(name):
        return set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

    assert {"add_seminar", "delete_agendaitem", "change_participant"} <= codenames("Editors")
    assert "publish_seminar" not in codenames("Editors")
    assert {"view_seminar", "change_seminar", "change_organization"} <= codenames("Translators")
    assert not {c for c in codenames("Translators") if c.startswith(("add_", "delete_"))}
    assert codenames("Data stewards") == {
        "view_seminar",
        "view_delegation",
        "add_delegation",
        "change_delegation",
        "import_delegation",
        "export_delegation",
    }
    assert {"publish_seminar", "view_seminar"} <= codenames("Publishers")
    assert not {c for c in codenames("Publishers") if c.startswith(("add_", "change_"))}


def test_editor_changes_content_but_status_is_read_only(client_as, edition):
    client = client_as("Editors")
    edition.status = Seminar.Status.DRAFT
    edition.save()
    data = admin_form_data(client.get(change_url(edition)))
    assert "status" not in data
    data["theme_zh_hans"] = "新主题"
    data["status"] = "published"
    response = client.post(change_url(edition), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.theme_zh_hans == "新主题"
    assert edition.status == Seminar.Status.DRAFT


def test_editor_refused_publishing(client_as, edition):
    client = client_as("Editors")
    changelist = client.get(reverse("admin:seminars_seminar_changelist"))
    assert "publish_selected" not in action_names(changelist)
    assert "copy_as_next_edition" in action_names(changelist)
    page = client.get(change_url(edition))
    assert page.context["editorial_can_publish"] is False
    url = reverse("admin:seminars_seminar_publish", args=[edition.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    unpublish = reverse("admin:seminars_seminar_unpublish", args=[edition.pk])
    assert client.post(unpublish).status_code == 403
    edition.refresh_from_db()
    assert edition.status == Seminar.Status.PUBLISHED


def test_translator_changes_only_translated_text(client_as, edition):
    client = client_as("Translators")
    page = client.get(change_url(edition))
    form_fields = set(page.context["adminform"].form.fields)
    assert {"theme_ja", "theme_zh_hans", "summary_zh_hans"} <= form_fields
    assert not {"edition", "fiscal_year", "city", "start_date", "status"} & form_fields
    data = admin_form_data(page)
    data["theme_zh_hans"] = "译文已更新"
    data["edition"] = "99"
    agenda_prefix = next(k[: -len("-title_zh_hans")] for k in data if k.endswith("-title_zh_hans"))
    data[f"{agenda_prefix}-title_zh_hans"] = "修改后的标题"
    response = client.post(change_url(edition), data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert (edition.theme_zh_hans, edition.edition) == ("译文已更新", 5)
    assert AgendaItem.objects.filter(title_zh_hans="修改后的标题").count() == 1


def test_translator_inlines_have_text_only_and_no_add_or_delete(client_as, edition):
    client = client_as("Translators")
    page = client.get(change_url(edition))
    formsets = {i.formset.model.__name__: i for i in page.context["inline_admin_formsets"]}
    agenda = formsets["AgendaItem"]
    assert {"title_ja", "title_zh_hans", "venue_zh_hans"} <= set(agenda.formset.form.base_fields)
    assert not {"date", "kind", "start_time", "order"} & set(agenda.formset.form.base_fields)
    assert not agenda.has_add_permission and not agenda.has_delete_permission
    assert "participant_count" not in formsets["Delegation"].formset.form.base_fields


def test_translator_refused_adding_and_deleting(client_as, edition):
    client = client_as("Translators")
    assert client.get(reverse("admin:seminars_seminar_add")).status_code == 403
    delete = reverse("admin:seminars_seminar_delete", args=[edition.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:seminars_organization_add")).status_code == 403
    assert Seminar.objects.filter(pk=edition.pk).exists()


def test_translator_in_organization_admin_changes_name_not_country(client_as):
    client = client_as("Translators")
    organization = make_organization(
        "日本国自治体国際化協会", "日本国自治体国际化协会", country="JP"
    )
    url = reverse("admin:seminars_organization_change", args=[organization.pk])
    page = client.get(url)
    assert "country" not in page.context["adminform"].form.fields
    data = admin_form_data(page)
    data.update(name_zh_hans="日本国自治体国际化协会（新）", country="CN")
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert (organization.name_zh_hans, organization.country) == (
        "日本国自治体国际化协会（新）",
        "JP",
    )


def test_data_steward_edits_delegations_and_only_views_seminars(client_as, edition):
    client = client_as("Data stewards")
    page = client.get(change_url(edition))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(change_url(edition), {"theme_ja": "x"}).status_code == 403
    assert client.get(reverse("admin:seminars_seminar_add")).status_code == 403
    delegation = Delegation.objects.get(seminar=edition, side="japan")
    url = reverse("admin:participants_delegation_change", args=[delegation.pk])
    data = admin_form_data(client.get(url))
    data["participant_count"] = "61"
    assert client.post(url, data).status_code == 302
    delegation.refresh_from_db()
    assert delegation.participant_count == 61
    delete = reverse("admin:participants_delegation_delete", args=[delegation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_data_steward_may_import_and_export_delegations(staff_in):
    user = staff_in("Data stewards")
    assert user.has_perm("participants.import_delegation")
    assert user.has_perm("participants.export_delegation")
    assert not user.has_perm("seminars.publish_seminar")
    assert not user.has_perm("participants.delete_delegation")


def test_publisher_publishes_but_cannot_edit(client_as, edition):
    client = client_as("Publishers")
    edition.status = Seminar.Status.DRAFT
    edition.save()
    assert client.post(change_url(edition), {"theme_ja": "x"}).status_code == 403
    url = reverse("admin:seminars_seminar_publish", args=[edition.pk])
    assert client.post(url).status_code == 200  # the confirmation page first
    response = client.post(url, {"post": "yes", "reason": "承認なしで公開"})  # not reviewed
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.status == Seminar.Status.PUBLISHED
    assert edition.published_at is not None
    changelist = client.get(reverse("admin:seminars_seminar_changelist"))
    assert "publish_selected" in action_names(changelist)
    assert "copy_as_next_edition" not in action_names(changelist)
