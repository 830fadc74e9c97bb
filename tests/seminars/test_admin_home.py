"""The admin home and lists as staff find things: the index in working order, the dashboard,
search by 第N回, agenda labels with the edition, date inputs as shown, role names translated."""

import datetime

import pytest
from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from participants.models import Delegation
from seminars.models import AgendaItem, Photo, Seminar
from seminars.services import copy_as_next_edition
from tests.admin_forms import admin_form_data
from tests.factories import make_city, make_editions, make_full_report, make_seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def test_admin_index_lists_editions_first(admin_client_ja, edition):
    response = admin_client_ja.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    apps = response.context["app_list"]
    assert [app["app_label"] for app in apps[:2]] == ["seminars", "participants"]
    assert apps[0]["models"][0]["object_name"] == "Seminar"
    assert [m["object_name"] for m in apps[1]["models"]] == ["Delegation", "Participant"]


@pytest.mark.parametrize(
    ("lang", "heading"), [("ja", "対応が必要な項目"), ("zh-hans", "待处理事项")]
)
def test_admin_dashboard_lists_what_needs_work(
    client, superuser, django_user_model, edition, lang, heading
):
    draft = copy_as_next_edition(edition)
    Photo.objects.create(seminar=draft, caption_ja="写真", caption_zh_hans="照片")
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    LogEntry.objects.log_actions(colleague.pk, [make_seminar(4)], CHANGE, change_message="[]")
    client.force_login(superuser)

    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)

    dashboard = response.context["dashboard"]
    assert [row["object"] for row in dashboard["drafts"]] == [draft]
    assert dashboard["missing"][0]["object"] == draft
    theme = [f for f in dashboard["missing"][0]["fields"] if "#tab_id_theme_" in f["url"]]
    assert theme, dashboard["missing"][0]["fields"]
    assert draft in [row["object"] for row in dashboard["without_counts"]]
    assert "写真" in [row["object"].caption_ja for row in dashboard["photos_without_images"]]
    assert [row["entry"].user for row in dashboard["recent_changes"]] == [colleague]
    html = response.content.decode()
    assert heading in html and "zh-hans" not in html.split('id="dashboard"')[1].split("</div>")[0]


def test_admin_dashboard_hidden_without_seminar_view(client, staff_in):
    client.force_login(staff_in(username="nobody"))
    response = client.get(reverse("admin:index"))
    assert response.context["dashboard"] is None


@pytest.fixture
def neighbours(edition):
    """Editions around the complete edition 5, one of them (15) also ending in 5."""
    make_editions(4, first_edition=1, first_year=2002, city=edition.city)
    make_seminar(15, city=edition.city)
    return edition


@pytest.mark.parametrize("term", ["第5回", "第5届", "第 5 回"])
def test_admin_search_finds_the_edition_by_its_name(admin_client_ja, neighbours, term):
    response = admin_client_ja.get(reverse(CHANGELIST), {"q": term})
    assert [s.edition for s in response.context["cl"].result_list] == [5]


@pytest.mark.parametrize("term", ["テスト省", "测试省", "主办团体5-2", "主催団体5-2"])
def test_admin_search_finds_province_and_organizer_in_either_language(
    admin_client_ja, neighbours, term
):
    """make_edition(5)'s province and its sponsor, in Japanese and in Chinese."""
    make_seminar(6, city=make_city("別市", "别市", province_ja="別省", province_zh_hans="别省"))
    response = admin_client_ja.get(reverse(CHANGELIST), {"q": term})
    found = [s.edition for s in response.context["cl"].result_list]
    assert 5 in found and 6 not in found


def test_admin_agenda_and_delegation_lists_filter_by_edition(admin_client_ja, edition):
    make_full_report(make_seminar(6))  # another edition's rows, filtered out
    seminar = edition
    for name, model, lookup in [
        ("seminars_agendaitem", AgendaItem, "seminar__id__exact"),
        ("participants_delegation", Delegation, "seminar__id__exact"),
    ]:
        response = admin_client_ja.get(reverse(f"admin:{name}_changelist"), {lookup: seminar.pk})
        rows = list(response.context["cl"].result_list)
        assert rows and {row.seminar_id for row in rows} == {seminar.pk}
        assert len(rows) == model.objects.filter(seminar=seminar).count()


def test_admin_agenda_autocomplete_names_the_edition(admin_client_ja, edition):
    response = admin_client_ja.get(
        reverse("admin:autocomplete"),
        {
            "term": "講演",
            "app_label": "participants",
            "model_name": "participant",
            "field_name": "agenda_items",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert len(texts) == edition.agenda_items.count()
    assert all("（第5回" in text for text in texts), texts


def test_admin_view_on_site_of_a_draft_opens_its_preview(admin_client_ja, edition):
    draft = copy_as_next_edition(edition)
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[draft.pk]))
    preview = reverse("admin:seminars_seminar_preview", args=[draft.pk, "ja"])
    assert f'href="{preview}"' in response.content.decode()


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
@pytest.mark.parametrize("typed", ["2018年7月11日", "2018/7/11", "2018-07-11"])
def test_admin_date_inputs_accept_what_the_admin_shows(lang, typed):
    with translation.override(lang):
        assert forms.DateField().clean(typed) == datetime.date(2018, 7, 11)


@pytest.mark.parametrize(
    ("lang", "group", "permission"),
    [
        ("ja", "編集者", "セミナーを変更できる"),
        ("zh-hans", "编辑人员", "可以修改研讨会"),
    ],
)
def test_admin_groups_and_permissions_in_the_staff_language(
    admin_client_ja, db, lang, group, permission
):
    listing = admin_client_ja.get(reverse("admin:auth_group_changelist"), HTTP_ACCEPT_LANGUAGE=lang)
    assert group in listing.content.decode()
    editors = Group.objects.get(name="Editors")
    page = admin_client_ja.get(
        reverse("admin:auth_group_change", args=[editors.pk]), HTTP_ACCEPT_LANGUAGE=lang
    )
    field = page.context["adminform"].form.fields["permissions"]
    change = Permission.objects.get(
        codename="change_seminar", content_type=ContentType.objects.get_for_model(Seminar)
    )
    assert permission in field.label_from_instance(change)
    assert "Can change" not in page.content.decode()


@pytest.mark.parametrize(
    ("lang", "title", "header"),
    [
        ("ja", "セミナー管理", "日中地域間交流推進セミナー 管理画面"),
        ("zh-hans", "研讨会管理", "中日地区间交流推进研讨会 管理后台"),
    ],
)
def test_admin_lockout_page_carries_the_site_title(client, superuser, lang, title, header):
    wrong = {"username": "admin", "password": "wrong", "next": "/admin/"}
    headers = {"REMOTE_ADDR": "203.0.113.9", "HTTP_ACCEPT_LANGUAGE": lang}
    *_, locked = (client.post(reverse("admin:login"), wrong, **headers) for _ in range(5))
    assert locked.status_code == 429
    html = locked.content.decode()
    head = html.split("</title>")[0]
    assert title in head and "Django" not in head
    assert header in html and "Django" not in html.split('id="site-name"')[1][:200]


def test_admin_speakers_are_edited_on_the_edition_page(admin_client_ja, edition):
    seminar = edition
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    page = admin_client_ja.get(url)
    [agenda] = [f for f in page.context["inline_admin_formsets"] if f.opts.model is AgendaItem]
    first = agenda.formset.forms[0]
    japan = seminar.delegations.get(side="japan").participants
    person = japan.exclude(agenda_items=first.instance).first()  # not yet its speaker
    assert first.instance.speakers.exists() and person is not None
    assert (person.pk, str(person)) in list(first.fields["speakers"].widget.choices)

    data = admin_form_data(page)
    data[first.add_prefix("speakers")] = [str(person.pk)]
    data["_continue"] = "1"
    response = admin_client_ja.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(AgendaItem.objects.get(pk=first.instance.pk).speakers.all()) == [person]
