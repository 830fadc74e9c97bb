"""Copy as next edition: a draft shifted by 52 weeks; counts and photos left out."""

import datetime

import pytest
from django.urls import reverse

from participants.models import Delegation
from seminars.models import AgendaItem, Photo, Seminar
from tests.factories import make_agenda_item, make_edition, make_seminar

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def copy(client, *seminars):
    data = {"action": "copy_as_next_edition", "_selected_action": [s.pk for s in seminars]}
    return client.post(reverse(CHANGELIST), data, follow=True)


@pytest.fixture
def source():
    """Edition 5 of fiscal year 2006, held Tuesday 11 to Thursday 13 July 2006."""
    return make_edition(5, start_date=datetime.date(2006, 7, 11), fiscal_year=2006)


def test_copy_creates_draft_of_next_edition(client_as, source):
    response = copy(client_as("Editors"), source)
    draft = Seminar.objects.get(edition=6)
    assert response.redirect_chain == [
        (reverse("admin:seminars_seminar_change", args=[draft.pk]), 302)
    ]
    assert (draft.fiscal_year, draft.status, draft.published_at) == (2007, "draft", None)
    assert draft.city_id == source.city_id
    assert (draft.theme_ja, draft.theme_zh_hans, draft.summary_ja) == ("", "", "")
    # 52 weeks later: the same weekdays, Tuesday to Thursday.
    assert draft.start_date == datetime.date(2007, 7, 10)
    assert draft.end_date == datetime.date(2007, 7, 12)
    assert draft.start_date.weekday() == source.start_date.weekday() == 1
    messages = [str(m) for m in response.context["messages"]]
    assert any("第6回" in m and "第5回" in m for m in messages), messages


def test_copy_keeps_sessions_with_their_parts(admin_client_ja, source):
    plenary = make_agenda_item(
        source, kind=AgendaItem.Kind.PLENARY, title_ja="本会議", title_zh_hans="全体会议", order=90
    )
    for order, (ja, zh) in enumerate([("基調講演", "主旨演讲"), ("特別講演", "特别演讲")]):
        make_agenda_item(source, title_ja=ja, title_zh_hans=zh, session=plenary, order=91 + order)
    copy(admin_client_ja, source)
    draft = Seminar.objects.get(edition=source.edition + 1)
    [session] = draft.agenda_items.filter(parts__isnull=False).distinct()
    assert session.title_ja == "本会議" and session.pk != plenary.pk
    parts = session.parts.order_by("order")
    assert [p.title_ja for p in parts] == ["基調講演", "特別講演"]
    assert all(p.seminar_id == draft.pk for p in parts)


def test_copy_keeps_organizers_and_agenda_structure(admin_client_ja, source):
    copy(admin_client_ja, source)
    draft = Seminar.objects.get(edition=source.edition + 1)
    roles = sorted(draft.organizers.values_list("organization_id", "role", "order"))
    assert roles == sorted(source.organizers.values_list("organization_id", "role", "order"))
    assert len(roles) == 3
    old_items = list(source.agenda_items.order_by("order"))
    copied = list(draft.agenda_items.order_by("order"))
    assert len(copied) == len(old_items) == 6
    for old, new in zip(old_items, copied, strict=True):
        assert new.date - old.date == datetime.timedelta(weeks=52)
        assert (new.start_time, new.end_time) == (old.start_time, old.end_time)
        assert (new.kind, new.title_ja, new.title_zh_hans) == (
            old.kind,
            old.title_ja,
            old.title_zh_hans,
        )
        assert old.venue_ja and old.description_zh_hans
        assert (new.venue_ja, new.description_zh_hans) == ("", "")


def test_copy_leaves_counts_and_photos_out(admin_client_ja, source):
    assert Photo.objects.filter(seminar=source).count() == 2
    assert Delegation.objects.filter(seminar=source).count() == 2
    copy(admin_client_ja, source)
    draft = Seminar.objects.get(edition=source.edition + 1)
    assert not Delegation.objects.filter(seminar=draft).exists()
    assert not Photo.objects.filter(seminar=draft).exists()
    assert Seminar.objects.get(pk=draft.pk).participant_count == 0


def test_copy_is_invisible_to_the_public(client, admin_client_ja, source):
    assert client.get(f"/ja/seminars/{source.edition}/").status_code == 200
    copy(admin_client_ja, source)
    # The copy exists (as a draft), and its public address is still not found.
    draft = Seminar.objects.get(edition=source.edition + 1)
    assert draft.status == Seminar.Status.DRAFT
    for lang in ("ja", "zh-hans"):
        assert client.get(f"/{lang}/seminars/{draft.edition}/").status_code == 404


def test_copy_refused_when_next_edition_exists(admin_client_ja, source):
    make_seminar(6, fiscal_year=2007)
    response = copy(admin_client_ja, source)
    assert Seminar.objects.filter(edition=6).count() == 1
    assert AgendaItem.objects.filter(seminar__edition=6).count() == 0
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    assert any("6" in str(m) and "2007" in str(m) for m in response.context["messages"])


def test_copy_refused_when_next_fiscal_year_exists(admin_client_ja, source):
    make_seminar(9, fiscal_year=2007)
    response = copy(admin_client_ja, source)
    assert sorted(Seminar.objects.values_list("edition", flat=True)) == [5, 9]
    assert any("2007" in str(m) for m in response.context["messages"])


def test_copy_refused_for_several_seminars(admin_client_ja, source):
    other = make_seminar(7)
    response = copy(admin_client_ja, source, other)
    assert Seminar.objects.count() == 2
    [message] = response.context["messages"]
    assert message.level_tag == "error"


def test_copy_without_dates_keeps_them_empty(admin_client_ja):
    source = make_seminar(1)
    assert source.start_date is None
    copy(admin_client_ja, source)
    assert Seminar.objects.filter(edition=2, start_date=None, status="draft").exists()


def test_copy_refused_for_translators(client_as, source):
    copy(client_as("Translators"), source)
    assert not Seminar.objects.filter(edition=source.edition + 1).exists()
