"""Which translations are missing: counts on the seed data and after edits, the filter, the list."""

import pytest
from django.urls import reverse
from django.utils import translation

from participants.models import Participant
from seminars.completeness import missing_counts, missing_fields, with_translation_prefetch
from seminars.models import AgendaItem, City, Seminar
from tests.factories import make_agenda_item, make_seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def status_of(seminar):
    return missing_counts(with_translation_prefetch(Seminar.objects.filter(pk=seminar.pk)).get())


def editions(response):
    return sorted(s.edition for s in response.context["cl"].result_list)


def test_translation_status_seed_is_complete(seed):
    for seminar in with_translation_prefetch(Seminar.objects.all()):
        assert missing_counts(seminar) == {"ja": 0, "zh-hans": 0}, seminar


def test_translation_status_column_on_seed(admin_client_ja, seed):
    response = admin_client_ja.get(reverse(CHANGELIST))
    content = response.content.decode()
    # A complete edition says so in one word (the filter's "complete" choice, 翻訳済み).
    assert content.count('<td class="field-translation_status">翻訳済み</td>') == 17


def test_translation_status_cleared_chinese_theme_counts_one(admin_client_ja, seminar_2018):
    seminar_2018.theme_zh_hans = ""
    seminar_2018.save()
    assert status_of(seminar_2018) == {"ja": 0, "zh-hans": 1}
    response = admin_client_ja.get(reverse(CHANGELIST))
    assert "簡体字中国語：未翻訳 1 件" in response.content.decode()
    assert response.content.decode().count(">翻訳済み</td>") == 16


def test_translation_status_counts_children_and_host_city(seminar_2018):
    item = seminar_2018.agenda_items.get(title_ja="李白記念館")
    item.description_ja = "李白の旧居"  # (the seed has no venue or description to leave out)
    item.save()
    Participant.objects.filter(delegation__seminar=seminar_2018).update(position_ja="")
    City.objects.filter(pk=seminar_2018.city_id).update(province_zh_hans="")
    counts = status_of(seminar_2018)
    assert counts == {"ja": 3, "zh-hans": 2}


def test_translation_status_optional_field_empty_in_both_is_not_missing(seed):
    seminar = make_seminar(30, theme_ja="", theme_zh_hans="")
    make_agenda_item(seminar, venue_ja="", venue_zh_hans="", description_ja="説明")
    assert status_of(seminar) == {"ja": 0, "zh-hans": 1}


def test_translation_status_required_field_empty_counts(seed):
    seminar = make_seminar(31)
    make_agenda_item(seminar, title_ja="会議", title_zh_hans="")
    make_agenda_item(seminar, title_ja="", title_zh_hans="")
    assert status_of(seminar) == {"ja": 1, "zh-hans": 2}


def test_translation_status_names_missing_fields(admin_client_ja, seminar_2018):
    item = seminar_2018.agenda_items.get(title_ja="李白記念館")
    item.description_ja = "李白の旧居"
    item.save()
    seminar = with_translation_prefetch(Seminar.objects.filter(pk=seminar_2018.pk)).get()
    with translation.override("en"):
        [missing] = missing_fields(seminar)
    assert (missing.field, missing.language) == ("description", "zh-hans")
    assert str(missing).startswith("Agenda item 12 “李白記念館”")
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))
    content = response.content.decode()
    assert "<li>プログラム項目 12 “李白記念館”：説明（簡体字中国語）</li>" in content


def test_translation_status_change_page_in_chinese(client, superuser, seminar_2018):
    AgendaItem.objects.filter(seminar=seminar_2018).update(description_zh_hans="")
    client.force_login(superuser)
    url = reverse("admin:seminars_seminar_change", args=[seminar_2018.pk])
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "翻译状态" in content


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("missing-zh-hans", [2, 17]),
        ("missing-ja", [17]),
        ("complete", [1, *range(3, 17)]),
    ],
)
def test_translation_status_filter(admin_client_ja, seminar_2018, value, expected):
    Seminar.objects.filter(edition=2).update(theme_zh_hans="")
    Participant.objects.filter(delegation__seminar=seminar_2018).update(position_ja="")
    AgendaItem.objects.filter(seminar=seminar_2018).update(venue_ja="会場", venue_zh_hans="")
    response = admin_client_ja.get(reverse(CHANGELIST), {"translation": value})
    assert editions(response) == expected


def test_translation_status_filter_counts_with_pagination(admin_client_ja, seed, monkeypatch):
    from seminars.admin import SeminarAdmin as EditorialSeminarAdmin

    monkeypatch.setattr(EditorialSeminarAdmin, "list_per_page", 5)
    Seminar.objects.filter(edition__in=[3, 9, 12, 15, 16, 17]).update(theme_ja="")
    response = admin_client_ja.get(reverse(CHANGELIST), {"translation": "missing-ja"})
    assert response.context["cl"].result_count == 6
    assert editions(response) == [9, 12, 15, 16, 17]  # the newest five on the first page


def test_translation_status_column_in_chinese_names_only_the_missing_language(
    client, superuser, seminar_2018
):
    seminar_2018.theme_ja = ""
    seminar_2018.save()
    client.force_login(superuser)
    content = client.get(reverse(CHANGELIST), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "日语：缺少译文 1 处" in content
    assert "简体中文：缺少译文" not in content
    assert "zh-hans:" not in content and "缺少译文 zh-hans" not in content


def test_translation_status_filter_names_languages(admin_client_ja, seed):
    response = admin_client_ja.get(reverse(CHANGELIST))
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", "") == "translation"
        for choice in spec.choices(response.context["cl"])
    ]
    assert "簡体字中国語に未翻訳あり" in choices and "日本語に未翻訳あり" in choices
    assert not any("zh-hans" in str(choice) for choice in choices)
