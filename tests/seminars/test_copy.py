"""Copy as next edition: a draft shifted by 52 weeks; counts and photos left out."""

import datetime
from datetime import date

import pytest
from django.urls import reverse

from participants.models import Delegation
from seminars.models import AgendaItem, Photo, Seminar
from seminars.record.services import copy_as_next_edition
from tests.admin_forms import admin_form_data
from tests.factories import make_agenda_item, make_city, make_edition, make_seminar

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


# --- The first save of the copy moves it: new city, dates of another length, rows deleted ---


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def edition_form(client, seminar):
    return admin_form_data(client.get(change_url(seminar)))


def row_index(data, item):
    """The index of `item`'s row in the agenda formset of a change page's data."""
    for key, value in data.items():
        if key.startswith("agenda_items-") and key.endswith("-id") and str(value) == str(item.pk):
            return int(key.split("-")[1])
    raise AssertionError(f"no row for {item}")


def add_row(data, **values):
    index = int(data["agenda_items-TOTAL_FORMS"])
    data["agenda_items-TOTAL_FORMS"] = str(index + 1)
    row = {"kind": AgendaItem.Kind.MEETING, "order": "50", "session": ""} | values
    data.update({f"agenda_items-{index}-{name}": value for name, value in row.items()})
    return index


@pytest.fixture
def copied(admin_client_ja, source):
    """The copy of `source` (Tuesday 10 to Thursday 12 July 2007), six items on three days."""
    copy(admin_client_ja, source)
    return Seminar.objects.get(edition=source.edition + 1)


def test_first_save_moves_programme_with_new_start_date(admin_client_ja, copied):
    new_city = make_city("成都", "成都")
    data = edition_form(admin_client_ja, copied)
    data.update(city=str(new_city.pk), start_date="2007-10-16", end_date="2007-10-18")
    data.update(theme_ja="新しいテーマ", theme_zh_hans="新主题")

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    copied.refresh_from_db()
    assert (copied.city, copied.start_date, copied.theme_ja) == (
        new_city,
        date(2007, 10, 16),
        "新しいテーマ",
    )
    days = list(copied.agenda_items.order_by("order").values_list("date", flat=True))
    assert days == [date(2007, 10, 16)] * 2 + [date(2007, 10, 17)] * 2 + [date(2007, 10, 18)] * 2


def test_shorter_dates_name_the_rows_that_fall_outside(admin_client_ja, copied):
    data = edition_form(admin_client_ja, copied)
    data.update(start_date="2007-10-16", end_date="2007-10-17")  # three days become two

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 200
    agenda = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.model is AgendaItem
    )
    [error] = agenda.non_form_errors()
    assert "日程から外れます" in error
    assert "「講演5」（2007年10月18日）" in error and "「講演6」" in error
    assert "講演4" not in error
    copied.refresh_from_db()
    assert copied.start_date == date(2007, 7, 10)  # nothing saved


def test_shorter_dates_in_chinese_name_the_rows(client, superuser, copied):
    client.force_login(superuser)
    client.cookies.load({"django_language": "zh-hans"})
    data = edition_form(client, copied)
    data.update(start_date="2007-10-16", end_date="2007-10-17")

    content = client.post(change_url(copied), data).content.decode()

    assert "以下日程项目将超出这些日期：“演讲5”" in content


def test_rows_marked_for_deletion_are_not_counted(admin_client_ja, copied):
    data = edition_form(admin_client_ja, copied)
    data.update(start_date="2007-10-16", end_date="2007-10-17")
    last_day = copied.agenda_items.filter(date=copied.end_date)
    for item in last_day:
        data[f"agenda_items-{row_index(data, item)}-DELETE"] = "on"

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    titles = list(copied.agenda_items.order_by("order").values_list("title_ja", "date"))
    assert titles == [
        ("講演1", date(2007, 10, 16)),
        ("講演2", date(2007, 10, 16)),
        ("講演3", date(2007, 10, 17)),
        ("講演4", date(2007, 10, 17)),
    ]


def test_all_rows_deleted_and_new_ones_typed_in_one_save(admin_client_ja, copied):
    data = edition_form(admin_client_ja, copied)
    data.update(start_date="2008-01-08", end_date="2008-01-08")
    for item in copied.agenda_items.all():
        data[f"agenda_items-{row_index(data, item)}-DELETE"] = "on"
    add_row(data, date="2008-01-08", title_ja="交流会", title_zh_hans="交流会")

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(copied.agenda_items.values_list("title_ja", "date")) == [
        ("交流会", date(2008, 1, 8))
    ]


def test_typed_row_date_is_kept_while_others_move(admin_client_ja, copied):
    first = copied.agenda_items.order_by("order").first()
    data = edition_form(admin_client_ja, copied)
    data.update(start_date="2007-10-16", end_date="2007-10-18")
    data[f"agenda_items-{row_index(data, first)}-date"] = "2007-10-18"

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    first.refresh_from_db()
    assert first.date == date(2007, 10, 18)
    assert copied.agenda_items.get(title_ja="講演2").date == date(2007, 10, 16)


def test_moved_session_keeps_its_parts(admin_client_ja, copied):
    session = copied.agenda_items.get(title_ja="講演1")
    part = copied.agenda_items.get(title_ja="講演2")
    AgendaItem.objects.filter(pk=part.pk).update(session=session)
    data = edition_form(admin_client_ja, copied)
    data.update(start_date="2007-10-16", end_date="2007-10-18")

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    part.refresh_from_db()
    assert (part.session_id, part.date) == (session.pk, date(2007, 10, 16))


def test_deleting_a_session_but_keeping_its_part_is_refused(admin_client_ja, copied):
    session = copied.agenda_items.get(title_ja="講演1")
    part = copied.agenda_items.get(title_ja="講演2")
    AgendaItem.objects.filter(pk=part.pk).update(session=session)
    data = edition_form(admin_client_ja, copied)
    data[f"agenda_items-{row_index(data, session)}-DELETE"] = "on"

    response = admin_client_ja.post(change_url(copied), data)

    assert response.status_code == 200
    assert "このセッションは削除にチェックされています" in response.content.decode()
    assert AgendaItem.objects.filter(pk=session.pk).exists()


def test_copy_service_places_programme_on_given_dates(source):
    city = make_city("成都", "成都")
    draft = copy_as_next_edition(
        source, fiscal_year=2008, city=city, start_date=date(2008, 5, 6), end_date=date(2008, 5, 7)
    )
    assert (draft.fiscal_year, draft.city, draft.end_date) == (2008, city, date(2008, 5, 7))
    days = list(draft.agenda_items.order_by("order").values_list("date", flat=True))
    assert days == [date(2008, 5, 6)] * 2 + [date(2008, 5, 7)] * 2  # the third day is left out
