"""The life of an edition, and a restore of every point of it, in turn.

An edition shaped like the seed's (organizers, a programme with a session and its parts and
speakers, delegations with people, photos with files) is copied as the next one; the copy is then
edited (new dates, a reorder, an organizer deleted), given a new session with parts and speakers,
photos, deleted to the trash, restored from it by a publisher and edited again. After each step
the copy's whole content (every row of it, the speaker links, the photo files) is kept; then each
point is restored, in an order that goes back and forth across the trash round trip and across
the sessions' arrival, and the content must be exactly that of the point: nothing the point had
deleted, no 500. Once through the admin's history pages as an Editor, once through the service.

Each test runs the whole life (about 40 writes) and eight restores on a transactional database
(the trash moves photo files once its delete commits): a few seconds each.
"""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from modeltranslation.translator import translator

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, Organizer, Photo, Seminar, TrashedEdition
from seminars.record import permissions, services, trash
from seminars.record.history import fetch, timeline
from seminars.record.history_tables import TRASH_RESTORE, one_point
from tests.factories import (
    make_agenda_item,
    make_delegation,
    make_edition,
    make_participant,
    png_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.date(2030, 7, 10)
CONTENT = [
    (Seminar, "pk"),
    (Organizer, "seminar_id"),
    (AgendaItem, "seminar_id"),
    (Photo, "seminar_id"),
    (Delegation, "seminar_id"),
    (Participant, "delegation__seminar_id"),
]
# Not content: kept by the database, or the bare translated field (the saver's language).
SKIPPED = {"updated_at"}


def user_in(django_user_model, username, *groups, **names):
    user = django_user_model.objects.create_user(username, is_staff=True, **names)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def content(seminar_pk):
    """Every row of the edition as {(model, pk): values}; links and file presence included."""
    found = {}
    for model, lookup in CONTENT:
        bare = (
            translator.get_options_for_model(model).all_fields
            if model in translator.get_registered_models()
            else set()
        )
        for obj in model._base_manager.filter(**{lookup: seminar_pk}).order_by("pk"):
            values = {}
            for field in model._meta.concrete_fields:
                if field.name in SKIPPED or field.name in bare:
                    continue
                value = getattr(obj, field.attname)
                if isinstance(value, FieldFile):
                    value = (value.name, bool(value.name) and default_storage.exists(value.name))
                values[field.attname] = None if value == "" else value  # empty text is NULL
            if model is Participant:
                values["agenda_items"] = sorted(obj.agenda_items.values_list("pk", flat=True))
            found[model._meta.label, obj.pk] = values
    return found


def source_edition():
    """Like the seed's 2018 edition: a two-day programme with speakers, and a plenary session
    whose parts (a keynote and a panel) have speakers of their own."""
    source = make_edition(16, start_date=START, days=2)
    plenary = make_agenda_item(
        source,
        START,
        kind=AgendaItem.Kind.PLENARY,
        order=5,
        title_ja="全体会議",
        title_zh_hans="全体会议",
        start_time=datetime.time(14),
        end_time=datetime.time(17),
    )
    for order, (kind, ja, zh) in enumerate(
        [(AgendaItem.Kind.KEYNOTE, "基調講演", "主旨演讲"), (AgendaItem.Kind.PANEL, "討論", "讨论")]
    ):
        part = make_agenda_item(
            source,
            START,
            kind=kind,
            session=plenary,
            order=order,
            title_ja=ja,
            title_zh_hans=zh,
            start_time=datetime.time(14 + order),
            end_time=datetime.time(15 + order),
        )
        speaker = Participant.objects.filter(delegation__seminar=source).order_by("pk")[order]
        speaker.agenda_items.add(part)
    return source


class Life:
    """The steps of the copy's life; `points` is [(step, time of its history point, content)]."""

    def __init__(self, editor, publisher):
        self.editor, self.publisher, self.points = editor, publisher, []

    def step(self, name, write):
        """`write` as the editor, as one point; the point is the newest entry of the history."""
        with one_point(), permissions.acting_as(self.editor):
            write()
        self.keep(name)

    def keep(self, name):
        entries = timeline(fetch(self.seminar))
        self.points.append((name, entries[0].when, content(self.seminar.pk)))

    def run(self, source):
        with one_point():
            self.seminar = services.copy_as_next_edition(source)
        self.keep("copy")
        self.step("edit", self.edit)
        self.step("sessions", self.add_sessions_and_people)
        self.step("photos", self.add_photos)
        self.step("trash", lambda: Seminar.objects.get(pk=self.seminar.pk).delete())
        trash.restore(TrashedEdition.objects.get(edition=self.seminar.edition), self.publisher)
        self.keep("trash restore")
        self.step("edit again", self.edit_again)
        return self

    def edit(self):
        seminar = Seminar.objects.get(pk=self.seminar.pk)
        seminar.theme_ja, seminar.summary_zh_hans = "新しいテーマ", "新的概要"
        seminar.end_date += datetime.timedelta(days=1)
        seminar.save()
        make_agenda_item(seminar, seminar.end_date, title_ja="視察", title_zh_hans="考察")
        first, second = AgendaItem.objects.filter(seminar=seminar, session=None).order_by("pk")[:2]
        first.order, second.order = second.order, first.order
        first.venue_ja = "新会場"
        first.save()
        second.save()
        Organizer.objects.filter(seminar=seminar).order_by("pk").last().delete()

    def add_sessions_and_people(self):
        seminar = Seminar.objects.get(pk=self.seminar.pk)
        day = seminar.start_date
        session = make_agenda_item(
            seminar,
            day,
            kind=AgendaItem.Kind.MEETING,
            title_ja="分科会",
            title_zh_hans="分组会议",
            start_time=datetime.time(18),
            end_time=datetime.time(20),
            order=9,
        )
        parts = [
            make_agenda_item(
                seminar,
                day,
                session=session,
                title_ja=f"報告{i}",
                title_zh_hans=f"报告{i}",
                start_time=datetime.time(18 + i),
                end_time=datetime.time(19 + i),
                order=i,
            )
            for i in range(2)
        ]
        japan = make_delegation(seminar, "japan", 20, description_ja="日本代表団")
        china = make_delegation(seminar, "china", 25, description_zh_hans="中国代表团")
        make_participant(japan, "佐藤", "佐藤", position_ja="市長").agenda_items.add(parts[0])
        make_participant(china, "王明", "王明").agenda_items.add(parts[1], session)
        make_participant(china, "李华", "李华", listed_with_delegation=False)

    def add_photos(self):
        for order, color in enumerate(["red", "blue"]):
            photo = Photo.objects.create(
                seminar_id=self.seminar.pk,
                caption_ja=f"写真{order}",
                caption_zh_hans=f"照片{order}",
                order=order,
            )
            photo.image.save(f"p{order}.png", ContentFile(png_bytes(color)))

    def edit_again(self):
        seminar = Seminar.objects.get(pk=self.seminar.pk)
        seminar.theme_zh_hans = "再次修改"
        seminar.save()
        AgendaItem.objects.get(seminar=seminar, title_ja="報告1").delete()
        photo = Photo.objects.filter(seminar=seminar).order_by("pk").first()
        photo.caption_ja = "開会式"
        photo.save()
        Participant.objects.get(delegation__seminar=seminar, name_ja="李华").delete()
        Participant.objects.get(delegation__seminar=seminar, name_ja="王明").agenda_items.clear()
        Organizer.objects.filter(seminar=seminar).order_by("pk").first().delete()


@pytest.fixture
def life(media, django_user_model):
    editor = user_in(django_user_model, "editor", "Editors", first_name="花子", last_name="佐藤")
    publisher = user_in(django_user_model, "publisher", "Publishers")
    lived = Life(editor, publisher).run(source_edition())
    assert len({when for _name, when, _content in lived.points}) == len(lived.points)
    return lived


# Back and forth: before the sessions, after the trash, before it, in the trash, the start.
ORDER = ["copy", "edit again", "sessions", "trash restore", "edit", "photos", "copy", "edit again"]


def _point(life, name):
    return next((when, snapshot) for step, when, snapshot in life.points if step == name)


def test_every_point_of_the_life_restores_exactly_through_the_admin(life, django_user_model):
    assert set(ORDER) == {name for name, *_rest in life.points} - {"trash"}
    editor = Client()
    editor.force_login(life.editor)
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    history = reverse("admin:seminars_seminar_history", args=[life.seminar.pk])

    for name in ORDER:
        when, snapshot = _point(life, name)
        entries = editor.get(history).context["page_obj"].object_list
        entry = next(entry for entry in entries if entry.when == when)
        page = editor.get(entry.url)
        assert page.status_code == 200, name
        version = page.context["form"].initial["edition_version"]

        response = editor.post(entry.url, {"edition_version": version})

        assert response.status_code == 302, name
        assert response["Location"].endswith(f"/{life.seminar.pk}/change/"), name
        assert content(life.seminar.pk) == snapshot, name

    entries = editor.get(history).context["page_obj"].object_list
    restores = [entry for entry in entries if entry.note]
    assert [entry.restored for entry in reversed(restores)] == [
        _point(life, name)[0] for name in ORDER
    ]
    assert {entry.user for entry in restores} == {"佐藤花子"}


def test_the_trash_point_restores_nothing_and_is_not_offered(life):
    when, _snapshot = _point(life, "trash")
    before = content(life.seminar.pk)
    editor = Client()
    editor.force_login(life.editor)
    history = reverse("admin:seminars_seminar_history", args=[life.seminar.pk])
    entries = editor.get(history).context["page_obj"].object_list
    entry = next(entry for entry in entries if entry.when == when)
    assert not entry.restorable
    page = editor.get(entry.url)
    assert page.status_code == 200
    assert page.context["plan"].in_trash

    response = editor.post(entry.url, {"edition_version": "", "restore": "1"})

    assert response.status_code == 302
    assert content(life.seminar.pk) == before


def test_every_point_of_the_life_restores_exactly_through_the_service(life):
    seminar = Seminar.objects.get(pk=life.seminar.pk)
    for name in reversed(ORDER):
        when, snapshot = _point(life, name)

        services.restore_edition(seminar, when, life.editor)

        assert content(seminar.pk) == snapshot, name


def test_trash_restore_records_every_row_it_brings_back(life):
    models = {model._meta.label for model, _lookup in CONTENT}
    when, snapshot = _point(life, "trash restore")
    recorded = set()
    for label in models:
        history = apps.get_model(label).history.model
        rows = history.objects.filter(
            history_date=when, history_user=life.publisher, history_change_reason=TRASH_RESTORE
        )
        recorded |= {(label, pk) for pk in rows.values_list("id", flat=True)}
    assert recorded == set(snapshot)


def test_a_trash_round_trip_from_before_its_rows_were_recorded_deletes_nothing(life):
    """Data of a site whose trash restore wrote no history: `record_history` finds the rows back;
    no point after the round trip takes a row it had for deleted."""
    _when, snapshot = _point(life, "trash restore")
    for label, _pk in snapshot:
        history = apps.get_model(label).history.model
        history.objects.filter(history_change_reason=TRASH_RESTORE).delete()
    call_command("record_history", stdout=io.StringIO())
    seminar = Seminar.objects.get(pk=life.seminar.pk)

    for name in ["photos", "edit again", "copy", "edit again"]:
        when, snapshot = _point(life, name)
        services.restore_edition(seminar, when, life.editor)
        assert content(seminar.pk) == snapshot, name


TRASH_WORDS = {
    "ja": [
        "この回とその内容すべて : 削除（削除済みの回に保管され、公開担当者が復元できます）",
        "この回とその内容すべて : 削除済みの回から復元",
        "この時点ではこの回は削除されていました（削除済みの回）。",
    ],
    "zh-hans": [
        "本届及其全部内容 : 删除（保存在已删除的届次中，发布人员可以恢复）",
        "本届及其全部内容 : 从已删除的届次中恢复",
        "此时本届已被删除（在已删除的届次中），没有需要恢复的内容。",
    ],
}


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_the_trash_round_trip_reads_as_two_lines_in_the_staff_language(life, language):
    trashed, untrashed, in_trash = TRASH_WORDS[language]
    editor = Client()
    editor.force_login(life.editor)
    editor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    history = editor.get(reverse("admin:seminars_seminar_history", args=[life.seminar.pk]))
    html = history.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index('id="change-history"') :]))
    assert trashed in text
    assert untrashed in text
    entry = next(e for e in history.context["page_obj"].object_list if not e.restorable)
    assert entry.url not in html  # no restore button for the point in the trash

    page = editor.get(entry.url)

    assert in_trash in page.content.decode()
    assert 'name="restore"' not in page.content.decode()
