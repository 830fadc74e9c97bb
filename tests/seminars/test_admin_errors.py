"""Staff input never gives a 500: constraint and trigger cases are form errors in the staff
language, malformed admin URLs answer 404, and the delete page names things in that language."""

import datetime

import pytest
from django.urls import reverse

from seminars.models import AgendaItem, Organizer, Seminar
from seminars.record.completeness import missing_counts, with_translation_prefetch
from tests.admin_forms import admin_form_data
from tests.factories import (
    make_agenda_item,
    make_delegation,
    make_organizer,
    make_participant,
    make_seminar,
)

pytestmark = pytest.mark.django_db


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


@pytest.fixture
def two_day_edition(db):
    seminar = make_seminar(
        20, start_date=datetime.date(2021, 7, 1), end_date=datetime.date(2021, 7, 2)
    )
    make_agenda_item(seminar, date=datetime.date(2021, 7, 2), title_ja="二日目")
    return seminar


@pytest.mark.parametrize(
    ("lang", "message"),
    [("ja", "日程から外れます"), ("zh-hans", "将超出这些日期")],
)
def test_clearing_end_date_of_multi_day_edition_is_a_form_error(
    admin_client_ja, two_day_edition, lang, message
):
    admin_client_ja.cookies.load({"django_language": lang})
    data = admin_form_data(admin_client_ja.get(change_url(two_day_edition)))
    data["end_date"] = ""

    response = admin_client_ja.post(change_url(two_day_edition), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    two_day_edition.refresh_from_db()
    assert two_day_edition.end_date == datetime.date(2021, 7, 2)


def test_agenda_item_after_one_day_edition_is_a_form_error(admin_client_ja):
    seminar = make_seminar(21, start_date=datetime.date(2022, 7, 1))
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    data.update(
        {
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-0-date": "2022-07-02",
            "agenda_items-0-kind": AgendaItem.Kind.MEETING,
            "agenda_items-0-title_ja": "二日目",
            "agenda_items-0-title_zh_hans": "第二天",
            "agenda_items-0-order": "0",
        }
    )

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 200
    assert "終了日がないため1日開催" in response.content.decode()
    assert not AgendaItem.objects.filter(seminar=seminar).exists()


def test_duplicate_organizer_rows_are_named_by_label_in_chinese(admin_client_ja):
    seminar = make_seminar(22)
    organizer = make_organizer(seminar)
    admin_client_ja.cookies.load({"django_language": "zh-hans"})
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    data.update(
        {
            "organizers-TOTAL_FORMS": "2",
            "organizers-1-role": Organizer.Role.HOST,
            "organizers-1-organization": str(organizer.organization_id),
            "organizers-1-order": "1",
        }
    )

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert list(errors) == ["研讨会，单位 和 角色 有重复数据，请修改，使其不重复。"]
    assert seminar.organizers.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/admin/seminars/seminar/{pk}/history/abc/",
        "/admin/seminars/seminar/{pk}/history/99999999999999999999/",
        "/admin/seminars/seminar/abc/history/",
        "/admin/seminars/seminar/abc/history/1/",
    ],
)
def test_malformed_history_urls_answer_404(admin_client_ja, path):
    seminar = make_seminar(23)
    response = admin_client_ja.get(path.format(pk=seminar.pk))
    assert response.status_code == 404


def test_delete_page_in_chinese_names_links_in_chinese(admin_client_ja):
    seminar = make_seminar(24, status=Seminar.Status.DRAFT)
    item = make_agenda_item(seminar)
    make_participant(make_delegation(seminar)).agenda_items.add(item)
    admin_client_ja.cookies.load({"django_language": "zh-hans"})

    response = admin_client_ja.get(reverse("admin:seminars_seminar_delete", args=[seminar.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "の関連" not in content
    assert "relationship" not in content
    assert "<li>参加人员与日程的关联: 1</li>" in content


def test_fresh_copy_with_empty_theme_is_not_complete(db):
    draft = make_seminar(25, status=Seminar.Status.DRAFT, theme_ja="", theme_zh_hans="")
    seminar = with_translation_prefetch(Seminar.objects.filter(pk=draft.pk)).get()
    assert missing_counts(seminar) == {"ja": 1, "zh-hans": 1}
    published = make_seminar(26, theme_ja="", theme_zh_hans="")
    seminar = with_translation_prefetch(Seminar.objects.filter(pk=published.pk)).get()
    assert missing_counts(seminar) == {"ja": 0, "zh-hans": 0}
