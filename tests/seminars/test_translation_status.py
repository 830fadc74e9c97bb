"""Which translations are missing: counts on complete editions and after edits, the filter, the
list."""

import pytest
from django.urls import reverse
from django.utils import translation

from participants.models import Participant
from seminars.models import AgendaItem, City, Seminar
from seminars.record.completeness import missing_counts, missing_fields, with_translation_prefetch
from tests.factories import make_agenda_item, make_editions, make_seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def status_of(seminar):
    return missing_counts(with_translation_prefetch(Seminar.objects.filter(pk=seminar.pk)).get())


def editions(response):
    return sorted(s.edition for s in response.context["cl"].result_list)


@pytest.fixture
def five_editions(edition):
    """Editions 1 to 4 (theme, city) before the complete edition 5: all fully translated."""
    make_editions(4, first_edition=1, first_year=2002, city=edition.city)
    return edition


def test_translation_status_complete_edition_counts_nothing(edition):
    assert status_of(edition) == {"ja": 0, "zh-hans": 0}
    edition.theme_ja = ""
    edition.save()
    assert status_of(edition) == {"ja": 1, "zh-hans": 0}


def test_translation_status_column_says_translated(admin_client_ja, five_editions):
    response = admin_client_ja.get(reverse(CHANGELIST))
    content = response.content.decode()
    # A complete edition says so in one word (the filter's "complete" choice, 翻訳済み).
    assert content.count('<td class="field-translation_status">翻訳済み</td>') == 5


def test_translation_status_cleared_chinese_theme_counts_one(admin_client_ja, five_editions):
    five_editions.theme_zh_hans = ""
    five_editions.save()
    assert status_of(five_editions) == {"ja": 0, "zh-hans": 1}
    response = admin_client_ja.get(reverse(CHANGELIST))
    assert "簡体字中国語：未翻訳 1 件" in response.content.decode()
    assert response.content.decode().count(">翻訳済み</td>") == 4


def test_translation_status_counts_children_and_host_city(edition):
    item = edition.agenda_items.get(order=2)
    item.description_zh_hans = ""  # the Japanese description stays
    item.save()
    people = Participant.objects.filter(delegation__seminar=edition)
    assert people.update(position_ja="") == 6  # the six speakers
    City.objects.filter(pk=edition.city_id).update(province_zh_hans="")
    counts = status_of(edition)
    assert counts == {"ja": 6, "zh-hans": 2}


def test_translation_status_optional_field_empty_in_both_is_not_missing(db):
    seminar = make_seminar(30, theme_ja="", theme_zh_hans="")
    make_agenda_item(seminar, venue_ja="", venue_zh_hans="", description_ja="説明")
    assert status_of(seminar) == {"ja": 0, "zh-hans": 1}


def test_translation_status_required_field_empty_counts(db):
    seminar = make_seminar(31)
    make_agenda_item(seminar, title_ja="会議", title_zh_hans="")
    make_agenda_item(seminar, title_ja="", title_zh_hans="")
    assert status_of(seminar) == {"ja": 1, "zh-hans": 2}


def test_translation_status_names_missing_fields(admin_client_ja, edition):
    item = edition.agenda_items.get(order=2)  # the third item of the programme
    item.description_zh_hans = ""
    item.save()
    seminar = with_translation_prefetch(Seminar.objects.filter(pk=edition.pk)).get()
    with translation.override("en"):
        [missing] = missing_fields(seminar)
    assert (missing.field, missing.language) == ("description", "zh-hans")
    assert str(missing).startswith(f"Agenda item 3 “{item.title_ja}”")
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))
    content = response.content.decode()
    assert f"<li>プログラム項目 3 “{item.title_ja}”：説明（簡体字中国語）</li>" in content


def test_translation_status_change_page_in_chinese(client, superuser, edition):
    AgendaItem.objects.filter(seminar=edition).update(description_zh_hans="")
    client.force_login(superuser)
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "翻译状态" in content


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("missing-zh-hans", [2, 5]),
        ("missing-ja", [5]),
        ("complete", [1, 3, 4]),
    ],
)
def test_translation_status_filter(admin_client_ja, five_editions, value, expected):
    Seminar.objects.filter(edition=2).update(theme_zh_hans="")
    Participant.objects.filter(delegation__seminar=five_editions).update(position_ja="")
    AgendaItem.objects.filter(seminar=five_editions).update(venue_ja="会場", venue_zh_hans="")
    response = admin_client_ja.get(reverse(CHANGELIST), {"translation": value})
    assert editions(response) == expected


def test_translation_status_filter_counts_with_pagination(admin_client_ja, db, monkeypatch):
    from seminars.admin.editions import SeminarAdmin as EditorialSeminarAdmin

    make_editions(17, first_edition=1, first_year=2002)
    monkeypatch.setattr(EditorialSeminarAdmin, "list_per_page", 5)
    Seminar.objects.filter(edition__in=[3, 9, 12, 15, 16, 17]).update(theme_ja="")
    response = admin_client_ja.get(reverse(CHANGELIST), {"translation": "missing-ja"})
    assert response.context["cl"].result_count == 6
    assert editions(response) == [9, 12, 15, 16, 17]  # the newest five on the first page


def test_translation_status_column_in_chinese_names_only_the_missing_language(
    client, superuser, edition
):
    edition.theme_ja = ""
    edition.save()
    client.force_login(superuser)
    content = client.get(reverse(CHANGELIST), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "日语：缺少译文 1 处" in content
    assert "简体中文：缺少译文" not in content
    assert "zh-hans:" not in content and "缺少译文 zh-hans" not in content


def test_translation_status_filter_names_languages(admin_client_ja, edition):
    response = admin_client_ja.get(reverse(CHANGELIST))
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "translation"
        for choice in spec.choices(response.context["cl"])
    ]
    assert "簡体字中国語に未翻訳あり" in choices and "日本語に未翻訳あり" in choices
    assert not any("zh-hans" in str(choice) for choice in choices)
