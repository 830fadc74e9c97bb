"""Copy as next edition: a draft shifted by 52 weeks; counts and photos left out."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from participants.models import Delegation
from seminars.models import AgendaItem, Photo, Seminar
from tests.factories import make_seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def copy(client, *seminars):
    data = {"action": "copy_as_next_edition", "_selected_action": [s.pk for s in seminars]}
    return client.post(reverse(CHANGELIST), data, follow=True)


def test_copy_creates_draft_of_next_edition(client_as, seminar_2018):
    response = copy(client_as("Editors"), seminar_2018)
    draft = Seminar.objects.get(edition=18)
    assert response.redirect_chain == [
        (reverse("admin:seminars_seminar_change", args=[draft.pk]), 302)
    ]
    assert (draft.fiscal_year, draft.status, draft.published_at) == (2019, "draft", None)
    assert draft.city_id == seminar_2018.city_id
    assert (draft.theme_ja, draft.theme_zh_hans, draft.summary_ja) == ("", "", "")
    assert draft.start_date == datetime.date(2019, 7, 10)
    assert draft.end_date == datetime.date(2019, 7, 12)
    assert draft.start_date.weekday() == seminar_2018.start_date.weekday()
    messages = [str(m) for m in response.context["messages"]]
    assert any("第18回" in m and "第17回" in m for m in messages), messages


def test_copy_keeps_organizers_and_agenda_structure(admin_client_ja, seminar_2018):
    copy(admin_client_ja, seminar_2018)
    draft = Seminar.objects.get(edition=18)
    roles = sorted(draft.organizers.values_list("organization_id", "role", "order"))
    assert roles == sorted(seminar_2018.organizers.values_list("organization_id", "role", "order"))
    source = sorted(seminar_2018.agenda_items.all(), key=lambda i: (i.date, i.title_ja))
    copied = sorted(draft.agenda_items.all(), key=lambda i: (i.date, i.title_ja))
    assert len(copied) == len(source) == 13
    sessions = {
        i.title_ja: sorted(p.title_ja for p in i.parts.all()) for i in copied if i.parts.all()
    }
    assert sessions == {
        "本会議": ["パネルディスカッション", "基調講演", "特別講演", "開会あいさつ"],
        "行政視察": ["李白記念館", "長虹商貿中心展館"],
    }
    for old, new in zip(source, copied, strict=True):
        assert new.date - old.date == datetime.timedelta(weeks=52)
        assert (new.kind, new.title_ja, new.title_zh_hans) == (
            old.kind,
            old.title_ja,
            old.title_zh_hans,
        )
        assert (new.venue_ja, new.description_zh_hans) == ("", "")


def test_copy_leaves_counts_and_photos_out(admin_client_ja, seminar_2018):
    assert Photo.objects.filter(seminar=seminar_2018).exists()
    copy(admin_client_ja, seminar_2018)
    draft = Seminar.objects.get(edition=18)
    assert not Delegation.objects.filter(seminar=draft).exists()
    assert not Photo.objects.filter(seminar=draft).exists()
    assert not Seminar.objects.with_participant_total().get(pk=draft.pk).participant_count


def test_copy_is_invisible_to_the_public(client, admin_client_ja, seminar_2018):
    copy(admin_client_ja, seminar_2018)
    assert client.get("/ja/seminars/18/").status_code == 404


def test_copy_refused_when_next_edition_exists(admin_client_ja, seminar_2018):
    make_seminar(18, fiscal_year=2019)
    response = copy(admin_client_ja, seminar_2018)
    assert Seminar.objects.filter(edition=18).count() == 1
    assert AgendaItem.objects.filter(seminar__edition=18).count() == 0
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert any("18" in str(m) and "2019" in str(m) for m in response.context["messages"])


def test_copy_refused_when_next_fiscal_year_exists(admin_client_ja, seed):
    source = Seminar.objects.get(edition=16)
    response = copy(admin_client_ja, source)
    assert Seminar.objects.count() == 17
    assert any("2018" in str(m) for m in response.context["messages"])


def test_copy_refused_for_several_seminars(admin_client_ja, seed):
    two = Seminar.objects.filter(edition__in=[16, 17])
    response = copy(admin_client_ja, *two)
    assert Seminar.objects.count() == 17
    [message] = response.context["messages"]
    assert message.level_tag == "error"


def test_copy_without_dates_keeps_them_empty(admin_client_ja, seed):
    source = Seminar.objects.get(edition=1)
    Seminar.objects.filter(edition__gt=1).update(
        edition=F("edition") + 100, fiscal_year=F("fiscal_year") + 50
    )
    copy(admin_client_ja, source)
    assert Seminar.objects.filter(edition=2, start_date=None, status="draft").exists()


def test_copy_refused_for_translators(client_as, seminar_2018):
    copy(client_as("Translators"), seminar_2018)
    assert not Seminar.objects.filter(edition=18).exists()
