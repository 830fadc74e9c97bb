"""A session and its timed parts in one save of the edition page: a part names a new row of the
same save ("new-<index>"), the session is saved first, then its parts."""

import datetime
import re

import pytest
from django.urls import reverse

from seminars.models import AgendaItem
from tests.admin_forms import admin_form_data
from tests.factories import make_edition

pytestmark = pytest.mark.django_db


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def add_row(data, **values):
    index = int(data["agenda_items-TOTAL_FORMS"])
    data["agenda_items-TOTAL_FORMS"] = str(index + 1)
    row = {"kind": AgendaItem.Kind.MEETING, "order": str(50 + index), "session": ""} | values
    data.update({f"agenda_items-{index}-{name}": value for name, value in row.items()})
    return index


def session_with_parts(data, day="2006-07-12", session_index=None):
    """A plenary session and two timed parts typed as new rows; the index of the session."""
    session = add_row(
        data, date=day, kind=AgendaItem.Kind.PLENARY, title_ja="本会議", title_zh_hans="全体会议"
    )
    for start, end, ja, zh in (
        ("09:00", "10:00", "基調講演", "主旨演讲"),
        ("10:15", "11:00", "特別講演", "特别演讲"),
    ):
        add_row(
            data,
            date=day,
            kind=AgendaItem.Kind.KEYNOTE,
            start_time=start,
            end_time=end,
            title_ja=ja,
            title_zh_hans=zh,
            session=f"new-{session if session_index is None else session_index}",
        )
    return session


@pytest.fixture
def seminar():
    return make_edition(5, start_date=datetime.date(2006, 7, 11))


def test_session_and_parts_saved_in_one_save(admin_client_ja, seminar):
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    session_with_parts(data)

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    session = seminar.agenda_items.get(title_ja="本会議")
    parts = session.parts.order_by("start_time")
    assert [(p.title_ja, p.start_time) for p in parts] == [
        ("基調講演", datetime.time(9, 0)),
        ("特別講演", datetime.time(10, 15)),
    ]
    assert session.session_id is None and session.date == datetime.date(2006, 7, 12)


def test_part_typed_before_its_session_row_is_saved_after_it(admin_client_ja, seminar):
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    first = int(data["agenda_items-TOTAL_FORMS"])
    add_row(
        data, date="2006-07-11", title_ja="開会", title_zh_hans="开幕", session=f"new-{first + 1}"
    )
    add_row(data, date="2006-07-11", kind="plenary", title_ja="全体会", title_zh_hans="全体会")

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    part = seminar.agenda_items.get(title_ja="開会")
    assert part.session.title_ja == "全体会"


def test_existing_row_can_join_a_new_session(admin_client_ja, seminar):
    item = seminar.agenda_items.get(title_ja="講演1")
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    index = add_row(
        data, date="2006-07-11", kind="plenary", title_ja="午前の部", title_zh_hans="上午"
    )
    row = next(
        k
        for k, v in data.items()
        if k.startswith("agenda_items-") and k.endswith("-id") and str(v) == str(item.pk)
    )
    data[row.replace("-id", "-session")] = f"new-{index}"

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    item.refresh_from_db()
    assert item.session.title_ja == "午前の部"


@pytest.mark.parametrize(
    ("lang", "label", "message"),
    [
        ("ja", "本会議（新しい行）", "セッションは同じ開催回・同じ日の項目を選んでください。"),
        ("zh-hans", "全体会议（新行）", "所属会议单元必须是同一届、同一天的项目。"),
    ],
)
def test_refused_save_keeps_new_session_choice_labelled(
    admin_client_ja, seminar, lang, label, message
):
    admin_client_ja.cookies.load({"django_language": lang})
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    session = session_with_parts(data)
    data[f"agenda_items-{session + 2}-date"] = "2006-07-13"  # not the session's day

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    selected = re.search(
        rf'<select name="agenda_items-{session + 1}-session".*?</select>', html, re.S
    ).group(0)
    assert f'<option value="new-{session}" selected>{label}</option>' in selected
    assert not seminar.agenda_items.filter(title_ja="本会議").exists()


@pytest.mark.parametrize("reference", ["new-999", "new-0", "new-x"])
def test_part_naming_no_new_row_is_a_form_error(admin_client_ja, seminar, reference):
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    index = add_row(
        data, date="2006-07-11", title_ja="迷子", title_zh_hans="迷路", session=reference
    )

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 200
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.model is AgendaItem
    )
    assert "session" in formset.forms[index].errors
    assert not seminar.agenda_items.filter(title_ja="迷子").exists()


def test_new_session_that_is_a_part_is_refused(admin_client_ja, seminar):
    data = admin_form_data(admin_client_ja.get(change_url(seminar)))
    first = add_row(data, date="2006-07-11", kind="plenary", title_ja="甲", title_zh_hans="甲")
    second = add_row(
        data, date="2006-07-11", title_ja="乙", title_zh_hans="乙", session=f"new-{first}"
    )
    add_row(data, date="2006-07-11", title_ja="丙", title_zh_hans="丙", session=f"new-{second}")

    response = admin_client_ja.post(change_url(seminar), data)

    assert response.status_code == 200
    assert "セッションを別のセッションの一部にすることはできません。" in response.content.decode()
    assert not seminar.agenda_items.filter(title_ja__in=["甲", "乙", "丙"]).exists()
