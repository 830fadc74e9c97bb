"""The back office as staff use it: changelist, change form with inlines, add form, saving."""

import pytest
from django.urls import reverse

from participants.models import Delegation
from seminars.models import Seminar
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def test_admin_changelist_lists_editions_with_totals(admin_client_ja, seed):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [s.edition for s in rows] == list(range(17, 0, -1))  # newest first
    assert rows[0].participant_total == 147
    content = response.content.decode()
    assert "新産業創出と企業誘致による持続的な地方の発展について" in content
    assert "参加者数（合計）" in content


def test_admin_changelist_searches_chinese_theme(admin_client_ja, seed):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_changelist"), {"q": "招商引资"})
    assert [s.edition for s in response.context["cl"].result_list] == [17]


def test_admin_changelist_in_chinese(client, superuser, seed):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:seminars_seminar_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    content = response.content.decode()
    assert "中日地区间交流推进研讨会 管理后台" in content
    assert "参会人数（合计）" in content


def test_admin_change_form_shows_inlines_and_both_languages(admin_client_ja, seminar_2018):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[seminar_2018.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"theme_ja", "theme_zh_hans", "summary_ja", "summary_zh_hans"} <= set(form.fields)
    inline_models = {
        inline.formset.model.__name__ for inline in response.context["inline_admin_formsets"]
    }
    assert {"Organizer", "AgendaItem", "Photo", "Delegation"} <= inline_models
    content = response.content.decode()
    assert "加强新产业培育及招商引资，促进地方可持续发展" in content
    assert "jquery-ui.min.js" in content and "googleapis" not in content
    assert response.context["original"].get_absolute_url() == "/ja/seminars/17/"
    assert response.context["has_absolute_url"]  # the "view on site" button


def test_admin_add_form_renders(admin_client_ja, seed):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_add"))
    assert response.status_code == 200
    assert "theme_zh_hans" in response.context["adminform"].form.fields


def test_admin_saves_valid_edit_with_inlines(admin_client_ja, seminar_2018):
    url = reverse("admin:seminars_seminar_change", args=[seminar_2018.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["theme_zh_hans"] = "加强新产业培育及招商引资，促进地方可持续发展（修订）"
    japan_index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("delegations-")
        and key.endswith("-side")
        and value in ("japan", ["japan"])
    )
    data[f"delegations-{japan_index}-participant_count"] = "60"
    response = admin_client_ja.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    seminar_2018.refresh_from_db()
    assert seminar_2018.theme_zh_hans.endswith("（修订）")
    assert Delegation.objects.get(seminar=seminar_2018, side="japan").participant_count == 60
    assert Seminar.objects.get(pk=seminar_2018.pk).participant_count == 148


def test_admin_rejects_reversed_dates_without_saving(admin_client_ja, seminar_2018):
    url = reverse("admin:seminars_seminar_change", args=[seminar_2018.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["start_date"], data["end_date"] = "2018-07-13", "2018-07-11"
    response = admin_client_ja.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    seminar_2018.refresh_from_db()
    assert str(seminar_2018.start_date) == "2018-07-11"


def test_admin_rejects_agenda_date_outside_seminar(admin_client_ja, seminar_2018):
    url = reverse("admin:seminars_seminar_change", args=[seminar_2018.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["agenda_items-0-date"] = "2018-08-01"
    response = admin_client_ja.post(url, data)
    assert response.status_code == 200
    assert "日付はセミナーの開催期間内にしてください。" in response.content.decode()
    assert not seminar_2018.agenda_items.filter(date="2018-08-01").exists()


def test_admin_city_and_organization_autocomplete(admin_client_ja, seed):
    response = admin_client_ja.get(
        reverse("admin:autocomplete"),
        {"term": "绵阳", "app_label": "seminars", "model_name": "seminar", "field_name": "city"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["綿陽市"]


def test_editors_group_has_content_permissions(seed):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"change_seminar", "add_agendaitem", "change_delegation", "view_photo"} <= codenames


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("ja", "新疆ウイグル自治区", "新疆维吾尔自治区"),
        ("zh-hans", "新疆维吾尔自治区", "新疆ウイグル自治区"),
    ],
)
def test_province_filter_speaks_the_staff_language(admin_client_ja, seed, language, shown, hidden):
    admin_client_ja.cookies["django_language"] = language
    html = admin_client_ja.get(reverse("admin:seminars_seminar_changelist")).content.decode()
    assert shown in html and hidden not in html

    response = admin_client_ja.get(
        reverse("admin:seminars_seminar_changelist"), {"province": "四川省"}
    )
    editions = sorted(s.edition for s in response.context["cl"].result_list)
    assert editions == [6, 17]  # 成都 2007, 绵阳 2018
