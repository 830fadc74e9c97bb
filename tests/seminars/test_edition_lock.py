"""Two staff members on one edition: whichever page each has open (the edition with its inlines,
an agenda item, a delegation, a participant), the second, stale save is refused and the first
change is kept. The edition-wide version moves with every change to anything of the edition."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, EditionVersion, Photo, Seminar
from tests.admin_forms import admin_form_data
from tests.factories import (
    make_agenda_item,
    make_delegation,
    make_participant,
    make_photo,
    make_seminar,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(db):
    seminar = make_seminar(
        40, start_date=datetime.date(2040, 7, 1), end_date=datetime.date(2040, 7, 2)
    )
    make_agenda_item(seminar, title_ja="開会")
    make_photo(seminar)
    make_participant(make_delegation(seminar, participant_count=61))
    return seminar


def page_url(edition, page):
    if page == "seminar":
        return reverse("admin:seminars_seminar_change", args=[edition.pk])
    if page == "agendaitem":
        item = AgendaItem.objects.get(seminar=edition)
        return reverse("admin:seminars_agendaitem_change", args=[item.pk])
    if page == "delegation":
        delegation = Delegation.objects.get(seminar=edition)
        return reverse("admin:participants_delegation_change", args=[delegation.pk])
    participant = Participant.objects.get(delegation__seminar=edition)
    return reverse("admin:participants_participant_change", args=[participant.pk])


# page → (a change to its form data, how to read that field back from the database)
CHANGES = {
    "seminar": ("summary_ja", lambda e: Seminar.objects.get(pk=e.pk).summary_ja),
    "agendaitem": ("venue_ja", lambda e: AgendaItem.objects.get(seminar=e).venue_ja),
    "delegation": (
        "participant_count",
        lambda e: str(Delegation.objects.get(seminar=e).participant_count),
    ),
    "participant": (
        "position_ja",
        lambda e: Participant.objects.get(delegation__seminar=e).position_ja,
    ),
}
# The edition page's own inlines, changed on that page.
INLINE_CHANGES = {
    "photo caption": ("photos-0-caption_ja", lambda e: Photo.objects.get(seminar=e).caption_ja),
    "delegation count": (
        "delegations-0-participant_count",
        lambda e: str(Delegation.objects.get(seminar=e).participant_count),
    ),
}


def staff_client(user, lang="ja"):
    client = Client(headers={"accept-language": lang})
    client.force_login(user)
    return client


def form_data(client, url):
    data = admin_form_data(client.get(url))
    # An unchanged file input is not sent back by a browser.
    return {k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))}


def value_for(field):
    return "65" if field.endswith("participant_count") else f"{field} by the first"


@pytest.mark.parametrize("stale_page", list(CHANGES))
@pytest.mark.parametrize("first_page", list(CHANGES))
def test_stale_save_of_any_page_is_refused_after_any_change(
    edition, superuser, django_user_model, stale_page, first_page
):
    other = django_user_model.objects.create_superuser("other", password="a-long-password-123")
    first, second = staff_client(other), staff_client(superuser)
    stale_url = page_url(edition, stale_page)
    stale_data = form_data(second, stale_url)  # opened before the first save

    first_field, read_first = CHANGES[first_page]
    first_data = form_data(first, page_url(edition, first_page))
    first_data[first_field] = value_for(first_field)
    assert first.post(page_url(edition, first_page), first_data).status_code == 302

    stale_field, read_stale = CHANGES[stale_page]
    before = read_stale(edition)
    stale_data[stale_field] = "60" if stale_field == "participant_count" else "stale text"
    response = second.post(stale_url, stale_data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "other さんが" in content and "保存はされていません" in content
    assert read_first(edition) == value_for(first_field)  # the first change is kept
    if (stale_page, stale_field) != (first_page, first_field):
        assert read_stale(edition) == before
    # What the second person typed is still on the page.
    assert response.context["adminform"].form.data[stale_field] == stale_data[stale_field]


@pytest.mark.parametrize("inline", list(INLINE_CHANGES))
def test_stale_edition_page_refused_after_an_inline_change(edition, superuser, inline):
    url = page_url(edition, "seminar")
    first, second = staff_client(superuser), staff_client(superuser, "zh-hans")
    stale_data = form_data(second, url)
    field, read = INLINE_CHANGES[inline]
    data = form_data(first, url)
    data[field] = value_for(field)
    assert first.post(url, data).status_code == 302

    stale_data["summary_ja"] = "二人目"
    response = second.post(url, stale_data)

    assert response.status_code == 200
    assert "保存了这一届" in response.content.decode()
    assert read(edition) == value_for(field)
    assert Seminar.objects.get(pk=edition.pk).summary_ja != "二人目"


def test_each_of_many_writes_in_blocks_of_their_own_moves_the_version(edition):
    """Writes one after another, each in a block without a savepoint (as a delete or an m2m add
    opens one), inside one test transaction: each moves the number once. The blocks were told
    apart by their address, which a new block often reuses once the last one is freed; the
    full suite then saw a write that did not move the version."""
    from django.db import transaction

    def number():
        return EditionVersion.objects.get(seminar=edition).number

    item = AgendaItem.objects.filter(seminar=edition).first()
    for round_ in range(30):
        before = number()
        with transaction.atomic(savepoint=False):
            item.title_ja = f"議題{round_}"
            item.save()
            item.save()  # the same block: no second step
        assert number() == before + 1, round_


def test_every_kind_of_change_moves_the_edition_version(edition):
    def number():
        return EditionVersion.objects.get(seminar=edition).number

    steps = [
        lambda: Seminar.objects.get(pk=edition.pk).save(),
        lambda: make_agenda_item(edition, title_ja="閉会"),
        lambda: AgendaItem.objects.filter(seminar=edition, title_ja="閉会").get().delete(),
        lambda: make_photo(edition, order=2),
        lambda: Delegation.objects.get(seminar=edition).save(),
        lambda: Participant.objects.get(delegation__seminar=edition).save(),
        lambda: Participant.objects.get(delegation__seminar=edition).agenda_items.add(
            AgendaItem.objects.get(seminar=edition)
        ),
    ]
    for step in steps:
        before = number()
        step()
        assert number() == before + 1, step


def test_fresh_page_after_reload_saves(edition, superuser):
    client = staff_client(superuser)
    url = page_url(edition, "delegation")
    data = form_data(client, url)
    data["participant_count"] = "70"
    assert client.post(url, data).status_code == 302
    data = form_data(client, url)  # reloaded: carries the new version
    data["participant_count"] = "71"
    assert client.post(url, data).status_code == 302
    assert Delegation.objects.get(seminar=edition).participant_count == 71


# --- who else has the edition open -------------------------------------------------------------

NOTICE = {
    "ja": r"山田花子 さんが \d{1,2}:\d{2} からこの回を開いています。",
    "zh-hans": r"山田花子 自 \d{1,2}:\d{2} 起正在打开这一届的编辑页面。",
}


@pytest.fixture
def hanako(django_user_model):
    """An editor with a full name (family name 山田, given name 花子)."""
    return django_user_model.objects.create_superuser(
        "hyamada", password="a-long-password-123", first_name="花子", last_name="山田"
    )


def notices(client, edition):
    response = client.get(page_url(edition, "seminar"))
    assert response.status_code == 200
    return response.context["editing_notices"], response.content.decode()


def presence(client, edition, **data):
    url = reverse("admin:seminars_seminar_presence", args=[edition.pk])
    return client.post(url, data)


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_second_editor_is_told_who_has_the_edition_open(edition, superuser, hanako, lang):
    first, second = staff_client(hanako), staff_client(superuser, lang)
    assert notices(first, edition)[0] == []  # nobody else yet; now 山田花子 holds the page

    shown, content = notices(second, edition)

    assert len(shown) == 1 and re.fullmatch(NOTICE[lang], str(shown[0]))
    assert str(shown[0]) in content and 'id="edition-presence"' in content
    assert "hyamada" not in content
    # 山田花子 is told about the second editor in turn, by the heartbeat and on reload.
    beat = presence(first, edition).json()["notices"]
    assert beat and beat[0].startswith("admin ")
    assert notices(first, edition)[0][0].startswith("admin ")


def test_open_since_stays_the_first_open_while_the_page_beats(edition, superuser, hanako):
    first, second = staff_client(hanako), staff_client(superuser)
    notices(first, edition)
    before = [str(n) for n in notices(second, edition)[0]]
    assert presence(first, edition).status_code == 200
    notices(first, edition)  # reloaded
    assert [str(n) for n in notices(second, edition)[0]] == before


def test_leaving_the_page_clears_the_notice(edition, superuser, hanako):
    first, second = staff_client(hanako), staff_client(superuser)
    notices(first, edition)
    assert presence(first, edition, left="1").json() == {"notices": []}
    assert notices(second, edition)[0] == []


def test_a_page_that_stopped_beating_is_forgotten(edition, superuser, hanako, monkeypatch):
    from seminars.record import versions

    first, second = staff_client(hanako), staff_client(superuser)
    notices(first, edition)
    monkeypatch.setattr(versions, "HOLD_SECONDS", -1)  # every mark is older than the hold now
    assert notices(second, edition)[0] == []


def test_a_viewer_is_not_announced_but_is_told(edition, client_as, hanako):
    """A publisher only reads the page (no change permission): nobody is told about them."""
    publisher = client_as("Publishers")
    editor = staff_client(hanako)
    AgendaItem.objects.filter(seminar=edition).delete()  # see test_publish: speakers, read-only
    notices(editor, edition)
    shown, _content = notices(publisher, edition)
    assert len(shown) == 1 and str(shown[0]).startswith("山田花子")
    presence(editor, edition, left="1")
    notices(editor, edition)  # opened again
    assert notices(editor, edition)[0] == []


@pytest.mark.parametrize(
    ("lang", "saved"),
    [
        ("ja", r"山田花子 さんが \d{1,2}:\d{2} にこの回を保存しました。"),
        ("zh-hans", r"山田花子 于 \d{1,2}:\d{2} 保存了这一届。"),
    ],
)
def test_a_save_by_someone_else_minutes_ago_is_told(edition, superuser, hanako, lang, saved):
    first = staff_client(hanako)
    data = form_data(first, page_url(edition, "seminar"))
    data["summary_ja"] = "山田の修正"
    assert first.post(page_url(edition, "seminar"), data).status_code == 302  # and left the page
    presence(first, edition, left="1")

    shown, _content = notices(staff_client(superuser, lang), edition)

    assert [s for s in map(str, shown) if re.fullmatch(saved, s)], shown
    # One's own save is not news (only that the other has the page open now).
    assert [str(n).split(" ")[0] for n in notices(first, edition)[0]] == ["admin"]


@pytest.mark.parametrize(
    ("lang", "link_text"),
    [
        ("ja", "変更内容はこの回の履歴で確認できます。"),
        ("zh-hans", "可在这一届的历史记录中查看对方的修改。"),
    ],
)
def test_refused_save_links_what_the_other_changed(edition, superuser, hanako, lang, link_text):
    url = page_url(edition, "seminar")
    first, second = staff_client(hanako), staff_client(superuser, lang)
    stale_data = form_data(second, url)
    data = form_data(first, url)
    data["summary_ja"] = "先に保存"
    assert first.post(url, data).status_code == 302

    stale_data["summary_ja"] = "後から保存"
    response = second.post(url, stale_data)

    history = reverse("admin:seminars_seminar_history", args=[edition.pk])
    content = response.content.decode()
    assert f'<a href="{history}" class="stale-history">{link_text}</a>' in content
    assert "山田花子" in content and "hyamada" not in content.split('id="content"')[1]
    # The history names 山田's save, first.
    assert "先に保存" in second.get(history).content.decode()
