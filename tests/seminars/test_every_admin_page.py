"""Every role opens every admin page of the real record without a server error.

The URLs come from the URL resolver (tests/security/test_permission_matrix.py walks it too and
decides who may open each one); here every page is opened for every object worth opening
(each edition of the record with and without a programme, its history points, its popups, the
autocomplete of every field that has one) by seven visitors, on the seed and on factory data
shaped like it (sessions with parts, speakers, photos with files, people, a draft, the trash).
Each answer must be one a visitor can meet: 200, 302, 403, 404 or 405; and whoever may view a
record's model gets its change and history pages (200), so a refusal cannot hide a broken page.

Cost: some 130 pages × 7 visitors × 2 records, about 1,800 requests (a minute or more; the
data is built once per record, at module scope; users have no password to hash and sign in
with force_login).
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, Photo, Seminar, TrashedEdition
from seminars.record import history
from seminars.record.roles import DATA_STEWARDS, EDITORS, PUBLISHERS, TRANSLATORS
from tests.factories import (
    make_agenda_item,
    make_edition,
    make_participant,
    make_photo,
    make_seminar,
)
from tests.security.images import image_bytes
from tests.security.test_permission_matrix import admin_url_patterns, model_for

ROLES = {
    "anonymous": None,
    "staff": [],
    "editor": [EDITORS],
    "translator": [TRANSLATORS],
    "data steward": [DATA_STEWARDS],
    "publisher": [PUBLISHERS],
    "superuser": None,
}
SENSIBLE = {200, 302, 403, 404, 405}
PER_MODEL = 1  # rows opened per model, besides those chosen for what they hold


def _save_once(seminar):
    """One edit of the edition and its rows, so that its history has points to open."""
    seminar.summary_ja = (seminar.summary_ja or "") + "。"
    seminar.save()
    for item in seminar.agenda_items.all()[:2]:
        item.save()


def _trash_a_draft(edition):
    draft = make_seminar(edition, status=Seminar.Status.DRAFT)
    make_agenda_item(draft, date=datetime.date(2001 + edition, 5, 1))
    draft.delete()  # into the trash
    return TrashedEdition.objects.get(edition=edition)


def _factory_record(media_root):
    """An edition shaped like the seed's latest, with what the seed lacks: a session with its
    parts, photos with image files; a draft with a programme, and an edition in the trash."""
    with override_settings(MEDIA_ROOT=media_root):
        full = make_edition(17, start_date=datetime.date(2018, 11, 6))
        session = make_agenda_item(
            full,
            date=full.start_date,
            kind=AgendaItem.Kind.MEETING,
            order=10,
            title_ja="本会議",
            title_zh_hans="全体会议",
        )
        japan = Delegation.objects.get(seminar=full, side="japan")
        for i in range(3):
            part = make_agenda_item(
                full,
                date=full.start_date,
                kind=AgendaItem.Kind.KEYNOTE,
                session=session,
                order=11 + i,
                start_time=datetime.time(14 + i, 0),
                title_ja=f"基調講演{i + 1}",
                title_zh_hans=f"主旨演讲{i + 1}",
            )
            person = make_participant(japan, f"発表者{i}", f"发言者{i}", order=20 + i)
            person.agenda_items.add(part, session)
        for i in range(2):
            photo = Photo(
                seminar=full,
                caption_ja=f"会場{i}",
                caption_zh_hans=f"会场{i}",
                order=10 + i,
                original_name=f"DSC_04{i}.JPG",
            )
            photo.image = SimpleUploadedFile(f"DSC_04{i}.JPG", image_bytes(), "image/jpeg")
            photo.save()  # the web size and the thumbnail, as an upload makes them
        draft = make_edition(18, start_date=datetime.date(2019, 10, 15), days=2)
        Seminar.objects.filter(pk=draft.pk).update(status=Seminar.Status.DRAFT)
        make_photo(draft, "写真なし", "无照片", order=5)  # a row without a file
        trashed = _trash_a_draft(19)
        for seminar in (full, draft):
            _save_once(seminar)
    return {"editions": [full, Seminar.objects.get(pk=draft.pk)], "trashed": trashed}


def _seed_record():
    """The seed as loaded, plus one edit of its editions with a programme (history points), a
    draft of the next edition and an edition in the trash."""
    with_programme = list(Seminar.objects.filter(agenda_items__speakers__isnull=False).distinct())
    assert with_programme, "the seed has an edition whose programme has speakers"
    without = Seminar.objects.filter(agenda_items__isnull=True).order_by("edition").first()
    latest = Seminar.objects.order_by("-edition").first()
    draft = make_seminar(latest.edition + 1, status=Seminar.Status.DRAFT, city=latest.city)
    make_agenda_item(draft, date=datetime.date(latest.fiscal_year + 1, 10, 1))
    trashed = _trash_a_draft(latest.edition + 2)
    for seminar in [*with_programme, draft]:
        _save_once(seminar)
    return {"editions": [*with_programme, without, draft], "trashed": trashed}


def _users():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = {}
    for role, groups in ROLES.items():
        if role == "anonymous":
            continue
        username = role.replace(" ", "_")
        if role == "superuser":
            user = User.objects.create_superuser(username, f"{username}@example.org", None)
        else:
            user = User.objects.create_user(username, password=None, is_staff=True)
            user.groups.add(*Group.objects.filter(name__in=groups))
        users[role] = user
    return users


@pytest.fixture(scope="module", params=["seed", "factory"])
def record(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The record (the seed, or factory editions shaped like it) and the staff, built once per
    record inside a transaction rolled back after the module's last test of that record."""
    from django.core.management import call_command
    from django.db import transaction

    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            if request.param == "seed":
                call_command("loaddata", "seminars", "participants", verbosity=0)
                data = _seed_record()
            else:
                data = _factory_record(media_root)
            data["users"] = _users()
            data["name"] = request.param
            yield data
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _objects(data):
    """The objects whose pages are opened, per model: the chosen editions and their rows, then
    the first few of every registered model."""
    editions = data["editions"]
    items = AgendaItem.objects.filter(seminar__in=editions)
    chosen = {
        Seminar: editions,
        # A session, one of its parts and an item with speakers (those the record has).
        AgendaItem: [
            item
            for item in (
                items.filter(parts__isnull=False).first(),
                items.filter(session__isnull=False).first(),
                items.filter(speakers__isnull=False).first(),
            )
            if item is not None
        ],
        Participant: list(Participant.objects.filter(agenda_items__isnull=False)[:1]),
        Delegation: list(Delegation.objects.filter(seminar__in=editions)[:1]),
    }
    for model in admin.site._registry:
        rows = chosen.setdefault(model, [])
        for row in model._default_manager.order_by("pk")[:PER_MODEL]:
            if row not in rows:
                rows.append(row)
    return chosen


def _autocomplete_fields():
    """(app_label, model_name, field_name) of every autocomplete field, inlines included."""
    found = []
    for model, model_admin in admin.site._registry.items():
        owners = [(model, model_admin)] + [(inline.model, inline) for inline in model_admin.inlines]
        for owner, options in owners:
            for field_name in options.autocomplete_fields:
                found.append((owner._meta.app_label, owner._meta.model_name, field_name))
    return found


def _popup_models():
    """The models a ＋ button opens in a popup: the targets of the autocomplete fields."""
    targets = set()
    for app_label, model_name, field_name in _autocomplete_fields():
        model = ContentType.objects.get_by_natural_key(app_label, model_name).model_class()
        targets.add(model._meta.get_field(field_name).related_model)
    return sorted(targets, key=lambda m: m._meta.label)


def _history_points(seminar):
    """The first point of each kind of row in the edition's history, and its latest point."""
    entries = history.timeline(history.fetch(seminar))
    points = {}
    for entry in reversed(entries):  # the timeline is newest first
        points.setdefault(entry.point.rpartition("-")[0], entry.point)
    latest = [entries[0].point] if entries else []
    return sorted({*points.values(), *latest})


def admin_pages(data):
    """(URL name, URL) of every admin page, for every object worth opening."""
    objects = _objects(data)
    trashed = data["trashed"]
    pages = []
    for name, pattern in admin_url_patterns():
        model = model_for(name)
        converters = set(getattr(pattern.pattern, "converters", {}))
        if name == "app_list":
            for app_label in ("seminars", "participants", "auth", "axes"):
                pages.append((name, reverse("admin:app_list", args=[app_label])))
        elif name == "view_on_site":
            seminar_type = ContentType.objects.get_for_model(Seminar)
            for seminar in objects[Seminar]:
                pages.append((name, reverse(f"admin:{name}", args=[seminar_type.pk, seminar.pk])))
        elif name == "seminars_seminar_simple_history":  # the edition's points (its own view)
            for seminar in objects[Seminar]:
                for point in _history_points(seminar):
                    pages.append((name, reverse(f"admin:{name}", args=[seminar.pk, point])))
        elif name.endswith("_simple_history"):  # django-simple-history's own: a record's versions
            for obj in objects[model]:
                for record in obj.history.order_by("-history_date")[:2]:
                    pages.append((name, reverse(f"admin:{name}", args=[obj.pk, record.pk])))
        elif "trashed_id" in converters:
            pages.append((name, reverse(f"admin:{name}", args=[trashed.pk])))
        elif "lang" in converters:
            for seminar in objects[Seminar]:
                for lang in ("ja", "zh-hans"):
                    pages.append((name, reverse(f"admin:{name}", args=[seminar.pk, lang])))
        elif converters & {"object_id", "id"}:
            for obj in objects[model]:
                pages.append((name, reverse(f"admin:{name}", args=[obj.pk])))
        elif converters:
            raise AssertionError(f"admin:{name} {pattern.pattern}: fill in its arguments here")
        else:
            pages.append((name, reverse(f"admin:{name}")))
    # The same pages with the query strings the admin itself adds.
    for model in _popup_models():
        opts = model._meta
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        pages.append(("popup", f"{add}?_to_field=id&_popup=1"))
        for obj in objects[model][:1]:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            pages.append(("popup", f"{change}?_to_field=id&_popup=1"))
    autocomplete = reverse("admin:autocomplete")
    for app_label, model_name, field_name in _autocomplete_fields():
        for term in ("", "第17回"):
            query = f"app_label={app_label}&model_name={model_name}&field_name={field_name}"
            pages.append(("autocomplete", f"{autocomplete}?{query}&term={term}"))
    changelist = reverse("admin:seminars_seminar_changelist")
    for query in ("q=第17回", "status=draft", "translation=missing-zh-hans", "o=-3"):
        pages.append(("seminars_seminar_changelist", f"{changelist}?{query}"))
    return pages


def _must_open(user, name):
    """Whoever may view a model opens its records' change and history pages."""
    model = model_for(name)
    if user is None or model is None or not name.endswith(("_change", "_history")):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
def test_every_admin_page_opens_for_every_role(record, role):
    user = record["users"].get(role)
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    wrong = []
    pages = admin_pages(record)
    for name, url in pages:
        status = client.get(url).status_code
        if status not in SENSIBLE:
            wrong.append(f"{url} ({name}): {status}")
        elif status != 200 and _must_open(user, name):
            wrong.append(f"{url} ({name}): {status}, expected 200 for a viewer of the model")
        elif role == "anonymous" and status not in (200, 302, 405):
            wrong.append(f"{url} ({name}): {status}, expected the way to the login page")
    assert len(pages) > 100
    assert not wrong, f"as {role} on the {record['name']}:\n" + "\n".join(wrong)
