"""The back office as staff use it: changelist, change form with inlines, add form, saving."""

import datetime

import pytest
from django.urls import reverse

from participants.models import Delegation
from seminars.models import Seminar
from tests.admin_forms import admin_form_data
from tests.factories import make_city, make_editions, make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(edition):
    """Editions 1 to 4 (no report) before the complete edition 5 (12 + 15 people)."""
    make_editions(4, first_edition=1, first_year=2002, city=edition.city)
    return edition


def test_admin_changelist_lists_editions_with_totals(admin_client_ja, editions):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [s.edition for s in rows] == [5, 4, 3, 2, 1]  # newest first
    assert rows[0].participant_total == 27
    content = response.content.decode()
    assert editions.theme_ja in content
    assert "参加者数（合計）" in content


def test_admin_changelist_searches_chinese_theme(admin_client_ja, editions):
    response = admin_client_ja.get(
        reverse("admin:seminars_seminar_changelist"), {"q": editions.theme_zh_hans}
    )
    assert [s.edition for s in response.context["cl"].result_list] == [5]


def test_admin_changelist_in_chinese(client, superuser, edition):
    client.force_login(superuser)
    response = client.get(
        reverse("admin:seminars_seminar_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    content = response.content.decode()
    assert "中日地区间交流推进研讨会 管理后台" in content
    assert "参会人数（合计）" in content
    assert edition.theme_zh_hans in content


def test_admin_change_form_shows_inlines_and_both_languages(admin_client_ja, edition):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[edition.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert {"theme_ja", "theme_zh_hans", "summary_ja", "summary_zh_hans"} <= set(form.fields)
    inline_models = {
        inline.formset.model.__name__ for inline in response.context["inline_admin_formsets"]
    }
    assert {"Organizer", "AgendaItem", "Photo", "Delegation"} <= inline_models
    content = response.content.decode()
    assert edition.theme_zh_hans in content and edition.summary_zh_hans in content
    assert "jquery-ui.min.js" in content and "googleapis" not in content
    assert response.context["original"].get_absolute_url() == "/ja/seminars/5/"
    assert response.context["has_absolute_url"]  # the "view on site" button


def test_admin_add_form_renders(admin_client_ja, db):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_add"))
    assert response.status_code == 200
    assert "theme_zh_hans" in response.context["adminform"].form.fields


def test_admin_saves_valid_edit_with_inlines(admin_client_ja, edition):
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["theme_zh_hans"] = f"{edition.theme_zh_hans}（修订）"
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
    edition.refresh_from_db()
    assert edition.theme_zh_hans.endswith("（修订）")
    assert Delegation.objects.get(seminar=edition, side="japan").participant_count == 60
    assert Seminar.objects.get(pk=edition.pk).participant_count == 60 + 15


def test_admin_rejects_reversed_dates_without_saving(admin_client_ja, edition):
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    data = admin_form_data(admin_client_ja.get(url))
    data["start_date"], data["end_date"] = str(edition.end_date), str(edition.start_date)
    response = admin_client_ja.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    start_date = edition.start_date
    edition.refresh_from_db()
    assert edition.start_date == start_date


def test_admin_rejects_agenda_date_outside_seminar(admin_client_ja, edition):
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    data = admin_form_data(admin_client_ja.get(url))
    outside = edition.end_date + datetime.timedelta(days=19)
    data["agenda_items-0-date"] = str(outside)
    response = admin_client_ja.post(url, data)
    assert response.status_code == 200
    assert "日付はセミナーの開催期間内にしてください。" in response.content.decode()
    assert not edition.agenda_items.filter(date=outside).exists()


def test_admin_city_and_organization_autocomplete(admin_client_ja, edition):
    make_city("別市", "别市", province_ja="別省", province_zh_hans="别省")
    response = admin_client_ja.get(
        reverse("admin:autocomplete"),
        {
            "term": edition.city.name_zh_hans[:2],
            "app_label": "seminars",
            "model_name": "seminar",
            "field_name": "city",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [edition.city.name_ja]


def test_editors_group_has_content_permissions(db):
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
def test_province_filter_speaks_the_staff_language(admin_client_ja, db, language, shown, hidden):
    province = make_city()  # テスト省: editions 2 and 5, in two of its cities
    make_seminar(2, city=province)
    make_seminar(
        3,
        city=make_city(
            "ウルムチ市",
            "乌鲁木齐市",
            province_ja="新疆ウイグル自治区",
            province_zh_hans="新疆维吾尔自治区",
        ),
    )
    make_seminar(5, city=make_city("南テスト市", "南测试市"))
    admin_client_ja.cookies["django_language"] = language
    html = admin_client_ja.get(reverse("admin:seminars_seminar_changelist")).content.decode()
    assert shown in html and hidden not in html

    response = admin_client_ja.get(
        reverse("admin:seminars_seminar_changelist"), {"province": province.province_ja}
    )
    editions = sorted(s.edition for s in response.context["cl"].result_list)
    assert editions == [2, 5]
