"""The admin home and lists as staff find things: the index in working order, the dashboard,
search by 第N回, agenda labels with the edition, date inputs as shown, role names translated."""

import datetime

import pytest
from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Photo, Seminar
from seminars.record.services import copy_as_next_edition
from tests.admin_forms import admin_form_data
from tests.factories import (
    make_agenda_item,
    make_city,
    make_editions,
    make_full_report,
    make_photo,
    make_seminar,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seminars_seminar_changelist"


def test_admin_index_lists_editions_first(admin_client_ja, edition):
    response = admin_client_ja.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    apps = response.context["app_list"]
    assert [app["app_label"] for app in apps[:2]] == ["seminars", "participants"]
    assert apps[0]["models"][0]["object_name"] == "Seminar"
    assert [m["object_name"] for m in apps[1]["models"]] == ["Delegation", "Participant"]


@pytest.mark.parametrize(
    ("lang", "heading"), [("ja", "対応が必要な項目"), ("zh-hans", "待处理事项")]
)
def test_admin_dashboard_lists_what_needs_work(
    client, superuser, django_user_model, edition, lang, heading
):
    draft = copy_as_next_edition(edition)
    Photo.objects.create(seminar=draft, caption_ja="写真", caption_zh_hans="照片")
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    LogEntry.objects.log_actions(colleague.pk, [make_seminar(4)], CHANGE, change_message="[]")
    client.force_login(superuser)

    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)

    dashboard = response.context["dashboard"]
    assert [row["object"] for row in dashboard["drafts"]] == [draft]
    assert dashboard["missing"][0]["object"] == draft
    theme = [f for f in dashboard["missing"][0]["fields"] if "#tab_id_theme_" in f["url"]]
    assert theme, dashboard["missing"][0]["fields"]
    assert draft in [row["object"] for row in dashboard["without_counts"]]
    assert "写真" in [row["object"].caption_ja for row in dashboard["photos_without_images"]]
    assert [row["entry"].user for row in dashboard["recent_changes"]] == [colleague]
    html = response.content.decode()
    assert heading in html and "zh-hans" not in html.split('id="dashboard"')[1].split("</div>")[0]


def test_admin_dashboard_hidden_without_seminar_view(client, staff_in):
    client.force_login(staff_in(username="nobody"))
    response = client.get(reverse("admin:index"))
    assert response.context["dashboard"] is None


@pytest.fixture
def neighbours(edition):
    """Editions around the complete edition 5, one of them (15) also ending in 5."""
    make_editions(4, first_edition=1, first_year=2002, city=edition.city)
    make_seminar(15, city=edition.city)
    return edition


@pytest.mark.parametrize("term", ["第5回", "第5届", "第 5 回"])
def test_admin_search_finds_the_edition_by_its_name(admin_client_ja, neighbours, term):
    response = admin_client_ja.get(reverse(CHANGELIST), {"q": term})
    assert [s.edition for s in response.context["cl"].result_list] == [5]


@pytest.mark.parametrize("term", ["テスト省", "测试省", "主办团体5-2", "主催団体5-2"])
def test_admin_search_finds_province_and_organizer_in_either_language(
    admin_client_ja, neighbours, term
):
    """make_edition(5)'s province and its sponsor, in Japanese and in Chinese."""
    make_seminar(6, city=make_city("別市", "别市", province_ja="別省", province_zh_hans="别省"))
    response = admin_client_ja.get(reverse(CHANGELIST), {"q": term})
    found = [s.edition for s in response.context["cl"].result_list]
    assert 5 in found and 6 not in found


def test_admin_agenda_and_delegation_lists_filter_by_edition(admin_client_ja, edition):
    make_full_report(make_seminar(6))  # another edition's rows, filtered out
    seminar = edition
    for name, model, lookup in [
        ("seminars_agendaitem", AgendaItem, "seminar__id__exact"),
        ("participants_delegation", Delegation, "seminar__id__exact"),
    ]:
        response = admin_client_ja.get(reverse(f"admin:{name}_changelist"), {lookup: seminar.pk})
        rows = list(response.context["cl"].result_list)
        assert rows and {row.seminar_id for row in rows} == {seminar.pk}
        assert len(rows) == model.objects.filter(seminar=seminar).count()


def test_admin_agenda_autocomplete_names_the_edition(admin_client_ja, edition):
    response = admin_client_ja.get(
        reverse("admin:autocomplete"),
        {
            "term": "講演",
            "app_label": "participants",
            "model_name": "participant",
            "field_name": "agenda_items",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    texts = [result["text"] for result in response.json()["results"]]
    assert len(texts) == edition.agenda_items.count()
    assert all("（第5回" in text for text in texts), texts


def test_admin_view_on_site_of_a_draft_opens_its_preview(admin_client_ja, edition):
    draft = copy_as_next_edition(edition)
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[draft.pk]))
    preview = reverse("admin:seminars_seminar_preview", args=[draft.pk, "ja"])
    assert f'href="{preview}"' in response.content.decode()


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
@pytest.mark.parametrize("typed", ["2018年7月11日", "2018/7/11", "2018-07-11"])
def test_admin_date_inputs_accept_what_the_admin_shows(lang, typed):
    with translation.override(lang):
        assert forms.DateField().clean(typed) == datetime.date(2018, 7, 11)


@pytest.mark.parametrize(
    ("lang", "group", "permission"),
    [
        ("ja", "編集者", "セミナーを変更できる"),
        ("zh-hans", "编辑人员", "可以修改研讨会"),
    ],
)
def test_admin_groups_and_permissions_in_the_staff_language(
    admin_client_ja, db, lang, group, permission
):
    listing = admin_client_ja.get(reverse("admin:auth_group_changelist"), HTTP_ACCEPT_LANGUAGE=lang)
    assert group in listing.content.decode()
    editors = Group.objects.get(name="Editors")
    page = admin_client_ja.get(
        reverse("admin:auth_group_change", args=[editors.pk]), HTTP_ACCEPT_LANGUAGE=lang
    )
    field = page.context["adminform"].form.fields["permissions"]
    change = Permission.objects.get(
        codename="change_seminar", content_type=ContentType.objects.get_for_model(Seminar)
    )
    assert permission in field.label_from_instance(change)
    assert "Can change" not in page.content.decode()


@pytest.mark.parametrize(
    ("lang", "title", "header"),
    [
        ("ja", "セミナー管理", "日中地域間交流推進セミナー 管理画面"),
        ("zh-hans", "研讨会管理", "中日地区间交流推进研讨会 管理后台"),
    ],
)
def test_admin_lockout_page_carries_the_site_title(client, superuser, lang, title, header):
    wrong = {"username": "admin", "password": "wrong", "next": "/admin/"}
    headers = {"REMOTE_ADDR": "203.0.113.9", "HTTP_ACCEPT_LANGUAGE": lang}
    *_, locked = (client.post(reverse("admin:login"), wrong, **headers) for _ in range(5))
    assert locked.status_code == 429
    html = locked.content.decode()
    head = html.split("</title>")[0]
    assert title in head and "Django" not in head
    assert header in html and "Django" not in html.split('id="site-name"')[1][:200]


def test_admin_speakers_are_edited_on_the_edition_page(admin_client_ja, edition):
    seminar = edition
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    page = admin_client_ja.get(url)
    [agenda] = [f for f in page.context["inline_admin_formsets"] if f.opts.model is AgendaItem]
    first = agenda.formset.forms[0]
    japan = seminar.delegations.get(side="japan").participants
    person = japan.exclude(agenda_items=first.instance).first()  # not yet its speaker
    assert first.instance.speakers.exists() and person is not None
    assert (person.pk, str(person)) in list(first.fields["speakers"].widget.choices)

    data = admin_form_data(page)
    data[first.add_prefix("speakers")] = [str(person.pk)]
    data["_continue"] = "1"
    response = admin_client_ja.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(AgendaItem.objects.get(pk=first.instance.pk).speakers.all()) == [person]


# --- the dashboard: every missing field links to its own input ---------------------------------


@pytest.fixture
def gaps(edition):
    """Edition 5 with a Chinese gap in each kind of thing it shows: an agenda item added first in
    the programme but last in the table (the links must follow the page's order), a photo, an
    organization, a participant and the city."""
    early = edition.start_date - datetime.timedelta(days=1)
    Seminar.objects.filter(pk=edition.pk).update(start_date=early)
    item = make_agenda_item(
        edition, date=early, order=0, title_ja="前夜祭", title_zh_hans="", venue_ja="会場0"
    )
    photo = edition.photos.order_by("order").last()
    Photo.objects.filter(pk=photo.pk).update(caption_zh_hans="")
    organizer = edition.organizers.select_related("organization").first()
    Organization.objects.filter(pk=organizer.organization_id).update(name_zh_hans="")
    person = Participant.objects.filter(delegation__seminar=edition).first()
    Participant.objects.filter(pk=person.pk).update(position_zh_hans="")
    City.objects.filter(pk=edition.city_id).update(province_zh_hans="")
    return {
        "item": item,
        "photo": photo,
        "organization": organizer.organization,
        "person": person,
        "city": edition.city,
    }


def missing_links(response):
    [row] = response.context["dashboard"]["missing"]
    return [field["url"] for field in row["fields"] + row["rest"]]


def row_of(page, prefix, pk):
    """The form index of the row of `pk` in the inline `prefix` of a rendered edition page."""
    [inline] = [f for f in page.context["inline_admin_formsets"] if f.formset.prefix == prefix]
    [index] = [i for i, form in enumerate(inline.formset.forms) if form.instance.pk == pk]
    return index


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_admin_dashboard_links_each_missing_field_to_its_input(admin_client_ja, gaps, lang):
    seminar = gaps["item"].seminar
    change = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    page = admin_client_ja.get(change)
    item_row = row_of(page, "agenda_items", gaps["item"].pk)
    photo_row = row_of(page, "photos", gaps["photo"].pk)
    assert item_row == 0 and gaps["item"].pk == max(
        seminar.agenda_items.values_list("pk", flat=True)
    )

    links = missing_links(admin_client_ja.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang))

    expected = [
        f"{change}#tab_id_agenda_items-{item_row}-title_zh_hans",
        f"{change}#tab_id_agenda_items-{item_row}-venue_zh_hans",
        f"{change}#tab_id_photos-{photo_row}-caption_zh_hans",
        reverse("admin:seminars_organization_change", args=[gaps["organization"].pk])
        + "#tab_id_name_zh_hans",
        reverse("admin:participants_participant_change", args=[gaps["person"].pk])
        + "#tab_id_position_zh_hans",
        reverse("admin:seminars_city_change", args=[gaps["city"].pk]) + "#tab_id_province_zh_hans",
    ]
    assert sorted(links) == sorted(expected)
    html = page.content.decode()
    for link in expected[:3]:
        assert f'id="{link.split("#tab_")[1]}"' in html  # the input the tab holds


@pytest.mark.parametrize(("lang", "more"), [("ja", "ほか 2 件"), ("zh-hans", "另有 2 处")])
def test_admin_dashboard_more_opens_the_rest(admin_client_ja, gaps, lang, more):
    response = admin_client_ja.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)
    [row] = response.context["dashboard"]["missing"]
    assert (len(row["fields"]), len(row["rest"]), row["more"]) == (4, 2, 2)
    html = response.content.decode()
    details = html.split('<details class="dashboard-more">')[1].split("</details>")[0]
    assert more in details.split("</summary>")[0]
    for field in row["rest"]:
        assert f'href="{field["url"]}"' in details


def test_admin_dashboard_photo_without_image_links_its_file_input(admin_client_ja, edition):
    """The factory's photos have no file: each row links the file input of its own row."""
    Photo.objects.filter(seminar=edition).update(order=F("order") + 5)
    make_photo(edition, order=0)  # first on the page, last by id
    response = admin_client_ja.get(reverse("admin:index"))
    rows = response.context["dashboard"]["photos_without_images"]
    change = reverse("admin:seminars_seminar_change", args=[edition.pk])
    page = admin_client_ja.get(change)
    assert len(rows) == 3
    for row in rows:
        assert row["url"] == f"{change}#id_photos-{row_of(page, 'photos', row['object'].pk)}-image"
        assert f'id="{row["url"].split("#")[1]}"' in page.content.decode()


@pytest.mark.parametrize(
    ("lang", "label", "not_label", "kind"),
    [
        ("ja", "第5回（2006年度）", "第5届", "セミナー"),
        ("zh-hans", "第5届（2006年度）", "第5回", "研讨会"),
    ],
)
def test_admin_dashboard_recent_changes_in_the_staff_language_with_names(
    client, superuser, django_user_model, edition, lang, label, not_label, kind
):
    colleague = django_user_model.objects.create_user(
        "hyamada", first_name="花子", last_name="山田", is_staff=True
    )
    with translation.override("ja"):  # logged by a colleague working in Japanese
        LogEntry.objects.log_actions(colleague.pk, [edition], CHANGE, change_message="[]")
    client.force_login(superuser)

    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)

    recent = response.content.decode().split('class="dashboard-recent"')[1].split("</section>")[0]
    assert "山田花子" in recent and "hyamada" not in recent
    assert label in recent and not_label not in recent and kind in recent


def test_admin_dashboard_query_count_does_not_grow_with_editions(admin_client_ja):
    """Two sizes (2 and 8 incomplete drafts, each with rows in every inline): the same budget."""
    counts = []
    for first in (1, 3):
        for number in range(first, first + (2 if first == 1 else 6)):
            draft = make_seminar(number, status=Seminar.Status.DRAFT)
            make_full_report(draft, items=2, organizers=1, photos=1)
            AgendaItem.objects.filter(seminar=draft).update(title_zh_hans="")
        with CaptureQueriesContext(connection) as queries:
            response = admin_client_ja.get(reverse("admin:index"))
        counts.append(len(queries))
        dashboard = response.context["dashboard"]
        assert len(dashboard["missing"]) == Seminar.objects.count()
        assert all(
            "#tab_id_agenda_items-" in row["fields"][0]["url"] for row in dashboard["missing"]
        )
    assert counts[0] == counts[1], counts


def test_admin_dashboard_shows_japanese_only_text_marked_in_chinese(client, superuser, edition):
    draft = copy_as_next_edition(edition)
    Seminar.objects.filter(pk=draft.pk).update(theme_ja="日本語だけのテーマ", theme_zh_hans="")
    Photo.objects.create(seminar=draft, caption_ja="集合写真", caption_zh_hans="")
    client.force_login(superuser)

    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    drafts = html.split('class="dashboard-drafts"')[1].split("</section>")[0]
    photos = html.split('class="dashboard-photos"')[1].split("</section>")[0]
    assert '<span lang="ja">日本語だけのテーマ</span>' in drafts and "仅有日文" in drafts
    assert '<span lang="ja">集合写真</span>' in photos and "仅有日文" in photos
