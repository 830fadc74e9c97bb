"""Every admin write path × every role, against tables of expectations written out here.

Sections: 1-2 the edition's change form and its inlines, 3 the history revert, 4 the delete page,
5 the edition list's actions, 6 the publish / unpublish views, 7 every admin registered for a
content model (add, change, delete, delete_selected), 8 the delegation import, 9 the trash.

Each test POSTs as a browser would (the form data built from the page a superuser sees, with the
forbidden field added where the role's form hides it) and checks the answer AND the database:

- ALLOWED: the write happened as intended (302, no error message).
- IGNORED: the field is read-only for the role, so the form drops the posted value: the save goes
  through (302) and every content value stays as it was (Django saves the unchanged row, so only
  `updated_at`, the edition's version, a history row and an admin-log entry record it).
- REFUSED: refused with the reason as an error message (302), and not one row of any table
  changed (sessions and login throttling records aside).
- UNOFFERED: a list action the role is not offered: "No action selected." (or the list page
  again when the role has no action at all), nothing changed.
- DENIED: 403, nothing changed.

The tables encode the rules of seminars.record.roles / seminars.record.permissions as the staff are
told them;
they are written out, not computed from the code under test. A new admin URL fails
test_every_admin_url_is_a_write_scenario_or_read_only until it gets a scenario here or is listed
in READ_ONLY.
"""

import copy
import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from participants.models import Delegation, Participant
from seminars.models import (
    AgendaItem,
    InfoPage,
    InfoPageKind,
    Organizer,
    Photo,
    Seminar,
    TrashedEdition,
)
from seminars.record.content import edited_models
from seminars.record.permissions import WriteRefused, acting_as
from tests.admin_forms import _add_form
from tests.factories import make_city, make_seminar
from tests.participants.conftest import confirm, csv_bytes, upload

from .test_permission_matrix import admin_url_patterns
from .write_paths_data import (
    DRAFT_DAYS,
    ROLES,
    build_record,
    change_form_data,
    changed_content,
    changed_tables,
    client_for,
    content_state,
    make_user,
    messages_of,
    revert_form_data,
    signed_in,
    stored_rows,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Outcome:
    kind: str
    message: str = ""

    def __repr__(self):
        return self.kind if not self.message else f"{self.kind}({self.message})"


ALLOWED = Outcome("allowed")
IGNORED = Outcome("ignored")
DENIED = Outcome("denied")
# "No action selected." (or, for a role offered no action at all, the list page again).
UNOFFERED = Outcome("not offered", "操作が選択されていません。")
# The guard's reasons, in Japanese (the staff language of these requests).
ONLY_PUB = Outcome("refused", "公開・非公開にできるのは公開担当者だけです。")
KEEP_PUB = Outcome(
    "refused", "公開中の回は削除できません。先に非公開にしてください（公開担当者のみ）。"
)
ONLY_TEXT = Outcome(
    "refused", "翻訳者が変更できるのは翻訳テキストだけです（変更できない項目：開始日）。"
)
PUBLISHED_LOG = "公開しました。"  # "Published." in seminars/locale/ja
UNPUBLISHED_LOG = "非公開にしました。"  # "Unpublished."
# The rows that recur in the tables below.
# fmt: off
#                    superuser  editor     translator steward    publisher  staff
EDITORS_ONLY =      (ALLOWED,   ALLOWED,   DENIED,    DENIED,    DENIED,    DENIED)
WITH_TRANSLATORS =  (ALLOWED,   ALLOWED,   ALLOWED,   DENIED,    DENIED,    DENIED)
TEXT_ONLY =         (ALLOWED,   ALLOWED,   IGNORED,   DENIED,    DENIED,    DENIED)
LIST_ACTION =       (ALLOWED,   ALLOWED,   UNOFFERED, DENIED,    UNOFFERED, DENIED)
STEWARDS_TOO =      (ALLOWED,   ALLOWED,   DENIED,    ALLOWED,   DENIED,    DENIED)
EDITORS_ACTION =    (ALLOWED,   ALLOWED,   UNOFFERED, UNOFFERED, UNOFFERED, DENIED)
PUBLISHERS_ONLY =   (ALLOWED,   DENIED,    DENIED,    DENIED,    ALLOWED,   DENIED)
PUBLISHERS_ACTION = (ALLOWED,   UNOFFERED, UNOFFERED, UNOFFERED, ALLOWED,   DENIED)
# fmt: on

# Known bugs of the code under test, each case a strict xfail: it fails the suite the day the bug
# is fixed (then delete the entry). (table, scenario, role) → reason.
KNOWN_BUGS: dict = {}


def known_bug(table_name, scenario, role):
    """The strict xfail mark of a case that fails because of a known bug, or None."""
    reason = KNOWN_BUGS.get((table_name, scenario, role))
    return pytest.mark.xfail(strict=True, reason=reason) if reason else None


def cases(table_name, table):
    """pytest params (scenario, role, expected) of a {scenario: (outcome per ROLES)} table."""
    params = []
    for scenario, outcomes in table.items():
        for role, expected in zip(ROLES, outcomes, strict=True):
            mark = known_bug(table_name, scenario, role)
            params.append(
                pytest.param(
                    scenario, role, expected, id=f"{scenario}-{role}", marks=[mark] if mark else []
                )
            )
    return params


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The record, a user of each role and the builder, signed in, built once for the module
    inside a transaction rolled back after its last test: 339 cases each building them cost
    about a third of the module's time. Each test runs in its own savepoint (`db`), so what
    one test writes is gone for the next; `record` hands each test its own copies of the rows."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            users = {role: make_user(role) for role in ROLES}
            users["builder"] = make_user("superuser", "builder")
            yield SimpleNamespace(
                record=build_record(),
                users=users,
                sessions={role: signed_in(user) for role, user in users.items()},
                pages={},
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def record(db, world):
    """The module's record, as fresh Python objects (a test may refresh or delete them)."""
    return copy.deepcopy(world.record)


class Builder:
    """The superuser whose pages give the form data that every role then posts. A page is
    asked for once per module and URL: every test starts from the same rows (rolled back), so
    the page, and the form data read from it, are the same for each role."""

    def __init__(self, world):
        self.client = client_for(world.users["builder"], world.sessions["builder"])
        self.pages = world.pages

    def get(self, url):
        if url not in self.pages:
            self.pages[url] = self.client.get(url)
        return self.pages[url]

    def __getattr__(self, name):
        return getattr(self.client, name)


@pytest.fixture
def builder(db, world):
    return Builder(world)


@pytest.fixture
def acting(db, world):
    """acting(role) → (a user of that role, a browser signed in as them)."""

    def sign_in(role):
        return copy.deepcopy(world.users[role]), client_for(world.users[role], world.sessions[role])

    return sign_in


def assert_outcome(expected, response, before, content_before):
    """The answer and the database after a write attempt, as `expected` says."""
    notes = messages_of(response)
    errors = (
        response.context.get("errors") if response.context and response.status_code == 200 else None
    )
    described = f"{response.status_code} {notes} {errors or ''}"
    if expected.kind == "denied":
        assert response.status_code == 403, described
    elif expected.kind == "refused":
        assert response.status_code == 302, described
        assert ("error", expected.message) in notes, described
    elif expected.kind == "not offered" and response.status_code == 200:
        # A role with no list action at all: the list ignores the POST and shows itself again.
        assert response.context["cl"].model is not None, described
        assert response.context["action_form"] is None, described
    elif expected.kind == "not offered":
        assert response.status_code == 302, described
        assert ("warning", expected.message) in notes, described
    else:
        assert response.status_code == 302, described
        assert not [text for level, text in notes if level == "error"], described
    if expected.kind == "ignored":
        assert changed_content(content_before, content_state()) == {}
    elif expected.kind != "allowed":
        assert changed_tables(before, stored_rows()) == []


def publication_log(seminar, user, message):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Seminar),
        object_id=str(seminar.pk),
        user=user,
        change_message=message,
    )


def assert_published_by(seminar, user):
    seminar.refresh_from_db()
    assert seminar.status == Seminar.Status.PUBLISHED
    assert seminar.published_at is not None
    assert publication_log(seminar, user, PUBLISHED_LOG).count() == 1


def assert_unpublished_by(seminar, user):
    seminar.refresh_from_db()
    assert seminar.status == Seminar.Status.DRAFT
    assert seminar.published_at is None
    assert publication_log(seminar, user, UNPUBLISHED_LOG).count() == 1


def assert_deleted_with_its_record(seminar, others, user):
    assert not Seminar.objects.filter(pk=seminar.pk).exists()
    assert TrashedEdition.objects.get(edition=seminar.edition).deleted_by == user
    for model in (Organizer, AgendaItem, Photo, Delegation):
        assert not model.objects.filter(seminar_id=seminar.pk).exists(), model.__name__
    assert not Participant.objects.filter(delegation__seminar_id=seminar.pk).exists()
    assert Seminar.objects.filter(pk=others.pk).exists()


# ---------------------------------------------------------------------------------------------
# 1 and 2. The edition's change form (a draft), and its inlines.
# ---------------------------------------------------------------------------------------------

# fmt: off
SEMINAR_FORM = {
#                        superuser  editor     translator steward    publisher  staff
    "theme_zh_hans":    WITH_TRANSLATORS,
    "dates":            TEXT_ONLY,
    # Posted although the form of editors and translators has no status field.
    "status_published": (ALLOWED,   IGNORED,   IGNORED,   DENIED,    DENIED,    DENIED),
    "agenda_row_added": TEXT_ONLY,
    # Data stewards change delegations in the delegation admin (section 7), not on the
    # edition page, which they may only view.
    "delegation_count": TEXT_ONLY,
}
# fmt: on
NEW_DAYS = (datetime.date(2020, 5, 9), datetime.date(2020, 5, 13))


def _edit_theme(data, record):
    data["theme_zh_hans"] = "新的主题"


def _edit_dates(data, record):
    data["start_date"], data["end_date"] = (day.isoformat() for day in NEW_DAYS)


def _edit_status(data, record):
    data["status"] = "published"


def _add_agenda_row(data, record):
    index = int(data["agenda_items-TOTAL_FORMS"])
    data["agenda_items-TOTAL_FORMS"] = str(index + 1)
    row = {
        "id": "",
        "seminar": str(record.draft.pk),
        "date": "2020-05-12",
        "start_time": "10:00",
        "end_time": "11:00",
        "kind": "lecture",
        "title_ja": "新しい講演",
        "title_zh_hans": "新的讲座",
        "venue_ja": "",
        "venue_zh_hans": "",
        "description_ja": "",
        "description_zh_hans": "",
        "order": "2",
    }
    data.update({f"agenda_items-{index}-{name}": value for name, value in row.items()})


def _edit_delegation_count(data, record):
    (key,) = [
        k
        for k, v in data.items()
        if k.startswith("delegations-") and k.endswith("-id") and v == str(record.delegation.pk)
    ]
    data[key.replace("-id", "-participant_count")] = "77"


def _check_theme(record, user):
    record.draft.refresh_from_db()
    assert record.draft.theme_zh_hans == "新的主题"
    assert record.draft.status == Seminar.Status.DRAFT


def _check_dates(record, user):
    record.draft.refresh_from_db()
    assert (record.draft.start_date, record.draft.end_date) == NEW_DAYS


def _check_status(record, user):
    assert_published_by(record.draft, user)


def _check_agenda_row(record, user):
    added = AgendaItem.objects.get(seminar=record.draft, title_ja="新しい講演")
    assert (added.date, added.kind, added.title_zh_hans) == (
        datetime.date(2020, 5, 12),
        "lecture",
        "新的讲座",
    )
    assert AgendaItem.objects.filter(seminar=record.draft).count() == 2


def _check_delegation_count(record, user):
    record.delegation.refresh_from_db()
    assert record.delegation.participant_count == 77


SEMINAR_FORM_STEPS = {
    "theme_zh_hans": (_edit_theme, _check_theme),
    "dates": (_edit_dates, _check_dates),
    "status_published": (_edit_status, _check_status),
    "agenda_row_added": (_add_agenda_row, _check_agenda_row),
    "delegation_count": (_edit_delegation_count, _check_delegation_count),
}


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("form", SEMINAR_FORM))
def test_seminar_change_form_post_follows_role_table(
    record, builder, acting, scenario, role, expected
):
    edit, check = SEMINAR_FORM_STEPS[scenario]
    url = reverse("admin:seminars_seminar_change", args=[record.draft.pk])
    data = change_form_data(builder.get(url))
    edit(data, record)
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, data)

    assert_outcome(expected, response, before, content)
    if expected is ALLOWED:
        assert response["Location"] == reverse("admin:seminars_seminar_changelist")
        check(record, user)
    if expected is IGNORED:
        record.draft.refresh_from_db()
        assert record.draft.status == Seminar.Status.DRAFT
        assert (record.draft.start_date, record.draft.end_date) == DRAFT_DAYS


# ---------------------------------------------------------------------------------------------
# 3. History: restoring the edition to a point (the point's page, simple-history's revert URL).
# ---------------------------------------------------------------------------------------------

# fmt: off
REVERT = {
#                         superuser  editor     translator steward    publisher  staff
    # The draft's older version is published: restoring it with its publication state publishes.
    "published_version": (ALLOWED,   ONLY_PUB,  ONLY_PUB,  DENIED,    DENIED,    DENIED),
    "older_start_date":  (ALLOWED,   ALLOWED,   ONLY_TEXT, DENIED,    DENIED,    DENIED),
    "older_theme_ja":    (ALLOWED,   ALLOWED,   ALLOWED,   DENIED,    DENIED,    DENIED),
}
# fmt: on
OLD_START = datetime.date(2021, 7, 1)


def _revert_target(scenario):
    """An edition and its older version, both written by the system (no acting user)."""
    published = scenario == "published_version"
    seminar = make_seminar(
        7,
        make_city(),
        status=Seminar.Status.PUBLISHED if published else Seminar.Status.DRAFT,
        published_at=timezone.now() - datetime.timedelta(days=3) if published else None,
        start_date=OLD_START,
        end_date=datetime.date(2021, 7, 3),
    )
    version = seminar.history.get()
    if published:
        seminar.status, seminar.published_at = Seminar.Status.DRAFT, None
    elif scenario == "older_start_date":
        seminar.start_date = datetime.date(2021, 7, 2)
    else:
        seminar.theme_ja = "改訂後のテーマ"
    seminar.save()
    return seminar, version


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("revert", REVERT))
def test_history_revert_post_follows_role_table(builder, acting, scenario, role, expected):
    seminar, version = _revert_target(scenario)
    assert seminar.history.count() == 2
    url = reverse("admin:seminars_seminar_simple_history", args=[seminar.pk, version.history_id])
    data = revert_form_data(builder.get(url))
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, data)

    assert_outcome(expected, response, before, content)
    if expected.kind == "refused":
        assert response["Location"] == url
    if expected is ALLOWED:
        assert response["Location"] == reverse("admin:seminars_seminar_change", args=[seminar.pk])
        seminar.refresh_from_db()
        if scenario == "published_version":
            assert_published_by(seminar, user)
            # The date of the version, to the second (the browser's time input has no more).
            assert seminar.published_at.replace(microsecond=0) == version.published_at.replace(
                microsecond=0
            )
            assert LogEntry.objects.filter(change_message=PUBLISHED_LOG).count() == 1
        elif scenario == "older_start_date":
            assert seminar.start_date == OLD_START
            assert seminar.status == Seminar.Status.DRAFT
        else:
            assert seminar.theme_ja == version.theme_ja
            assert seminar.status == Seminar.Status.DRAFT


# An information page's older version (its text: editors and translators edit it).
# fmt: off
INFO_REVERT = {
#                         superuser  editor     translator steward    publisher  staff
    "older_body_ja":     WITH_TRANSLATORS,
}
# fmt: on


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("info_revert", INFO_REVERT))
def test_info_page_history_revert_post_follows_role_table(
    builder, acting, scenario, role, expected
):
    page = InfoPage.objects.get(kind=InfoPageKind.PRIVACY)
    with acting_as(None):  # two versions written by the system
        page.body_ja = "以前の方針。"
        page.save()
        version = page.history.latest()
        page.body_ja = "現在の方針。"
        page.save()
    url = reverse("admin:seminars_infopage_simple_history", args=[page.pk, version.history_id])
    data = {}
    _add_form(data, builder.get(url).context["adminform"].form)
    _user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, data)

    assert_outcome(expected, response, before, content)
    page.refresh_from_db()
    assert page.body_ja == ("以前の方針。" if expected is ALLOWED else "現在の方針。")


# ---------------------------------------------------------------------------------------------
# 4. Deleting an edition (delete page, "Yes, I'm sure").
# ---------------------------------------------------------------------------------------------

# fmt: off
SEMINAR_DELETE = {
#                 superuser  editor     translator steward    publisher  staff
    "published": (KEEP_PUB,  KEEP_PUB,  DENIED,    DENIED,    DENIED,    DENIED),
    "draft":     EDITORS_ONLY,
}
# fmt: on


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("delete", SEMINAR_DELETE))
def test_seminar_delete_post_follows_role_table(record, acting, scenario, role, expected):
    seminar = record.published if scenario == "published" else record.draft
    other = record.draft if scenario == "published" else record.published
    url = reverse("admin:seminars_seminar_delete", args=[seminar.pk])
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, {"post": "yes"})

    assert_outcome(expected, response, before, content)
    if expected.kind == "refused":
        assert response["Location"] == reverse("admin:seminars_seminar_change", args=[seminar.pk])
    if expected is ALLOWED:
        assert response["Location"] == reverse("admin:seminars_seminar_changelist")
        assert_deleted_with_its_record(seminar, other, user)


# ---------------------------------------------------------------------------------------------
# 5. List actions of the edition list (as their confirmation pages post them).
# ---------------------------------------------------------------------------------------------

# fmt: off
SEMINAR_ACTIONS = {
#                                 superuser  editor     translator steward    publisher  staff
    "publish_selected":          PUBLISHERS_ACTION,
    "unpublish_selected":        PUBLISHERS_ACTION,
    "copy_as_next_edition":      EDITORS_ACTION,
    "delete_selected_draft":     EDITORS_ACTION,
    # A published edition is never deleted: the confirmation lists it as not deletable.
    "delete_selected_published": (DENIED,    DENIED,    UNOFFERED, UNOFFERED, UNOFFERED, DENIED),
}
# fmt: on


def _action_post(scenario, record):
    seminar = (
        record.published
        if scenario in ("unpublish_selected", "delete_selected_published")
        else record.draft
    )
    action = "delete_selected" if scenario.startswith("delete_selected") else scenario
    data = {"action": action, "_selected_action": [str(seminar.pk)], "post": "yes"}
    if action == "publish_selected":  # a draft not approved in review: with the reason
        data["reason"] = "公開の理由"
    if action == "copy_as_next_edition":  # no confirmation page: straight from the list
        data = {
            "action": action,
            "_selected_action": [str(seminar.pk)],
            "index": "0",
            "select_across": "0",
        }
    return seminar, data


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("action", SEMINAR_ACTIONS))
def test_seminar_list_action_follows_role_table(record, acting, scenario, role, expected):
    seminar, data = _action_post(scenario, record)
    changelist = reverse("admin:seminars_seminar_changelist")
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(changelist, data)

    assert_outcome(expected, response, before, content)
    if expected is not ALLOWED:
        return
    if scenario == "publish_selected":
        assert_published_by(seminar, user)
    elif scenario == "unpublish_selected":
        assert_unpublished_by(seminar, user)
    elif scenario == "copy_as_next_edition":
        copy = Seminar.objects.get(edition=seminar.edition + 1)
        assert response["Location"] == reverse("admin:seminars_seminar_change", args=[copy.pk])
        assert copy.status == Seminar.Status.DRAFT
        assert copy.start_date == seminar.start_date + datetime.timedelta(days=364)
        assert copy.organizers.count() == 1
        assert copy.agenda_items.count() == 1
        assert seminar.history.count() == 1  # the source is untouched
    else:
        assert_deleted_with_its_record(seminar, record.published, user)


# ---------------------------------------------------------------------------------------------
# 6. The publish and unpublish buttons' views ("Yes, publish" / "Yes, unpublish").
# ---------------------------------------------------------------------------------------------

# fmt: off
PUBLICATION_VIEWS = {
    "publish":   PUBLISHERS_ONLY,
    "unpublish": PUBLISHERS_ONLY,
}
# fmt: on


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("publication", PUBLICATION_VIEWS))
def test_publish_view_post_follows_role_table(record, acting, scenario, role, expected):
    seminar = record.draft if scenario == "publish" else record.published
    url = reverse(f"admin:seminars_seminar_{scenario}", args=[seminar.pk])
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, {"post": "yes", "reason": "公開の理由"})

    assert_outcome(expected, response, before, content)
    if expected is ALLOWED:
        assert response["Location"] == reverse("admin:seminars_seminar_change", args=[seminar.pk])
        if scenario == "publish":
            assert_published_by(seminar, user)
        else:
            assert_unpublished_by(seminar, user)


# ---------------------------------------------------------------------------------------------
# 7. Every admin registered for a content model: add, change (text / other), delete, and the
#    delete_selected list action.
# ---------------------------------------------------------------------------------------------


def content_admin(**rows):
    """A content admin's table: editors write, translators change the text (their other fields
    are ignored), nobody else; `rows` replace a line, or leave it out when None."""
    table = {
        "add": EDITORS_ONLY,
        "change_text": WITH_TRANSLATORS,
        "change_other": TEXT_ONLY,
        "delete": EDITORS_ONLY,
        "delete_selected": LIST_ACTION,
    }
    table.update(rows)
    return {op: outcomes for op, outcomes in table.items() if outcomes is not None}


CONTENT_ADMINS = {
    "seminars.City": content_admin(change_other=None),  # a city has no untranslated field
    "seminars.Organization": content_admin(),
    "seminars.AgendaItem": content_admin(),
    # "delete" is a draft's (a published edition: section 4)
    "seminars.Seminar": content_admin(delete_selected=EDITORS_ACTION),
    # One record, created by the migrations: nobody adds a second (the permission matrix) or
    # deletes it; its list action is offered to nobody.
    "seminars.SiteSettings": content_admin(
        add=None,
        delete=(DENIED,) * 6,
        delete_selected=(UNOFFERED, UNOFFERED, UNOFFERED, DENIED, UNOFFERED, DENIED),
    ),
    # Site policy, privacy, accessibility: one of each kind, created by the migrations; the kind
    # is shown, never edited (no untranslated field to change), nobody adds or deletes one.
    "seminars.InfoPage": content_admin(
        add=None,
        change_other=None,
        delete=(DENIED,) * 6,
        delete_selected=(UNOFFERED, UNOFFERED, UNOFFERED, DENIED, UNOFFERED, DENIED),
    ),
    "participants.Delegation": content_admin(
        add=STEWARDS_TOO,
        change_text=(ALLOWED, ALLOWED, ALLOWED, ALLOWED, DENIED, DENIED),
        change_other=(ALLOWED, ALLOWED, IGNORED, ALLOWED, DENIED, DENIED),
        delete_selected=EDITORS_ACTION,
    ),
    "participants.Participant": content_admin(),  # change_other: its agenda items (m2m)
}


@dataclass(frozen=True)
class Target:
    """How to write one content model: which row, what to add, which fields to change."""

    row: str  # the record's attribute changed and deleted
    add: dict  # field → value (callables get the record) for the add page
    added: dict  # lookup that finds the added row
    text: tuple  # (translated field, new value)
    other: tuple = None  # (untranslated field, new posted value, expected stored value)


TARGETS = {
    "seminars.City": Target(
        row="spare_city",
        add={"name_ja": "新市", "name_zh_hans": "新市"},
        added={"name_ja": "新市"},
        text=("name_zh_hans", "新的城市"),
    ),
    "seminars.Organization": Target(
        row="spare_organization",
        add={"name_ja": "新協会", "name_zh_hans": "新协会", "country": "JP"},
        added={"name_ja": "新協会", "country": "JP"},
        text=("name_zh_hans", "新的协会"),
        other=("country", "JP", "JP"),  # the spare organization is Chinese
    ),
    "seminars.AgendaItem": Target(
        row="item",
        add={
            "seminar": lambda r: r.draft.pk,
            "date": "2020-05-11",
            "kind": "lecture",
            "title_ja": "新しい講演",
            "title_zh_hans": "新的讲座",
            "order": "3",
        },
        added={"title_ja": "新しい講演", "order": 3},
        text=("title_zh_hans", "新的议题"),
        other=("order", "7", 7),
    ),
    "seminars.Seminar": Target(
        row="draft",
        add={
            "edition": "9",
            "fiscal_year": "2010",
            "city": lambda r: r.city.pk,
            "theme_ja": "新しい回",
            "theme_zh_hans": "新的一届",
        },
        added={"edition": 9, "fiscal_year": 2010, "status": "draft"},
        text=("theme_ja", "新しいテーマ"),
        other=("fiscal_year", "2030", 2030),
    ),
    "seminars.SiteSettings": Target(
        row="site_settings",
        add={},
        added={},
        text=("publisher_name_zh_hans", "新的发布机构"),
        other=("contact_url", "https://example.org/contact/", "https://example.org/contact/"),
    ),
    "seminars.InfoPage": Target(
        row="info_page",
        add={},
        added={},
        text=("title_zh_hans", "新的网站政策"),
    ),
    "participants.Delegation": Target(
        row="delegation",
        add={"seminar": lambda r: r.draft.pk, "side": "china", "participant_count": "5"},
        added={"seminar__edition": 5, "side": "china", "participant_count": 5},
        text=("description_zh_hans", "新的代表团"),
        other=("participant_count", "42", 42),
    ),
    "participants.Participant": Target(
        row="participant",
        add={
            "delegation": lambda r: r.delegation.pk,
            "name_ja": "新しい人",
            "name_zh_hans": "新人",
        },
        added={"name_ja": "新しい人"},
        text=("position_zh_hans", "新职务"),
        other=("agenda_items", [], []),  # unlinked from its agenda item
    ),
}


def _admin_name(label, view):
    app_label, model_name = label.lower().split(".")
    return f"admin:{app_label}_{model_name}_{view}"


def _stored(instance, field):
    instance.refresh_from_db()
    value = getattr(instance, field)
    if field == "agenda_items":
        return list(value.values_list("pk", flat=True))
    return value


def _content_admin_post(label, op, record, builder):
    """(url, POST data, check of the intended write) for one operation on one content admin."""
    target = TARGETS[label]
    row = getattr(record, target.row)
    if op == "add":
        url = reverse(_admin_name(label, "add"))
        data = change_form_data(builder.get(url))
        data.update({k: str(v(record) if callable(v) else v) for k, v in target.add.items()})
        model = type(row)

        def check():
            assert model.objects.filter(**target.added).count() == 1

        return url, data, check
    if op.startswith("change"):
        url = reverse(_admin_name(label, "change"), args=[row.pk])
        data = change_form_data(builder.get(url))
        field, posted, stored = (
            (*target.text, target.text[1]) if op == "change_text" else target.other
        )
        data[field] = posted

        def check():
            assert _stored(row, field) == stored

        return url, data, check
    if op == "delete":
        url = reverse(_admin_name(label, "delete"), args=[row.pk])
        data = {"post": "yes"}
    else:
        url = reverse(_admin_name(label, "changelist"))
        data = {"action": "delete_selected", "_selected_action": [str(row.pk)], "post": "yes"}

    def check():
        assert not type(row).objects.filter(pk=row.pk).exists()

    return url, data, check


def _content_admin_cases():
    table = {
        f"{label}.{op}": outcomes
        for label, ops in CONTENT_ADMINS.items()
        for op, outcomes in ops.items()
    }
    return cases("content_admin", table)


@pytest.mark.parametrize(("scenario", "role", "expected"), _content_admin_cases())
def test_content_admin_post_follows_role_table(record, builder, acting, scenario, role, expected):
    label, op = scenario.rsplit(".", 1)
    url, data, check = _content_admin_post(label, op, record, builder)
    _user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, data)

    assert_outcome(expected, response, before, content)
    if expected is ALLOWED:
        check()


def test_every_content_admin_has_a_table():
    registered = {m._meta.label for m in edited_models() if m in admin.site._registry}
    assert registered == set(CONTENT_ADMINS) == set(TARGETS)


def test_translator_link_change_is_refused_by_the_guard(record, acting):
    translator, _client = acting("translator")
    before = stored_rows()
    with acting_as(translator), pytest.raises(WriteRefused), transaction.atomic():
        record.participant.agenda_items.clear()
    assert changed_tables(before, stored_rows()) == []


# ---------------------------------------------------------------------------------------------
# 8. Importing delegation counts: upload, then "Confirm import".
# ---------------------------------------------------------------------------------------------

# fmt: off
IMPORT = {
#                      superuser  editor     translator steward    publisher  staff
    "delegation_csv": (ALLOWED,   DENIED,    DENIED,    ALLOWED,   DENIED,    DENIED),
}
# fmt: on


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("import", IMPORT))
def test_delegation_import_confirm_follows_role_table(
    record, builder, acting, scenario, role, expected
):
    # An import writes counts only: descriptions left empty (compared with the site otherwise).
    data = csv_bytes([[5, "japan", 44, "", ""], [5, "china", 33, "", ""]])
    crafted = upload(builder, data)  # a preview the role did not make, to confirm anyway
    assert crafted.status_code == 200
    _user, client = acting(role)
    before, content = stored_rows(), content_state()

    preview = upload(client, data)
    own = preview.status_code == 200 and "confirm_form" in preview.context
    response = confirm(client, preview if own else crafted)

    assert_outcome(expected, response, before, content)
    if expected is ALLOWED:
        assert own
        record.delegation.refresh_from_db()
        assert record.delegation.participant_count == 44
        assert Delegation.objects.get(seminar=record.draft, side="china").participant_count == 33
    else:
        assert preview.status_code == 403


# ---------------------------------------------------------------------------------------------
# 9. Deleted editions (the trash): restore as a draft, or purge for good.
# ---------------------------------------------------------------------------------------------

RESTORED_LOG = "削除済みの回から復元しました。"  # "Restored from the deleted editions."
# fmt: off
TRASH = {
    "restore": PUBLISHERS_ONLY,
    "purge":   PUBLISHERS_ONLY,
}
# fmt: on


@pytest.mark.parametrize(("scenario", "role", "expected"), cases("trash", TRASH))
def test_trash_post_follows_role_table(record, acting, scenario, role, expected):
    record.draft.delete()  # by the system: into the trash with everything of the edition
    trashed = TrashedEdition.objects.get(edition=5)
    url = reverse(f"admin:seminars_seminar_trash_{scenario}", args=[trashed.pk])
    user, client = acting(role)
    before, content = stored_rows(), content_state()

    response = client.post(url, {"post": "yes"})

    assert_outcome(expected, response, before, content)
    if expected.kind == "refused":
        assert response["Location"] == reverse("admin:seminars_seminar_trash")
    if expected is not ALLOWED:
        return
    assert not TrashedEdition.objects.filter(pk=trashed.pk).exists()
    if scenario == "purge":
        assert response["Location"] == reverse("admin:seminars_seminar_trash")
        assert not Seminar.objects.filter(edition=5).exists()
        return
    seminar = Seminar.objects.get(edition=5)
    assert response["Location"] == reverse("admin:seminars_seminar_change", args=[seminar.pk])
    assert seminar.status == Seminar.Status.DRAFT
    assert (seminar.start_date, seminar.end_date) == DRAFT_DAYS
    for model in (Organizer, AgendaItem, Photo, Delegation):
        assert model.objects.filter(seminar=seminar).count() == 1, model.__name__
    participant = Participant.objects.get(delegation__seminar=seminar)
    assert list(participant.agenda_items.all()) == list(seminar.agenda_items.all())
    assert LogEntry.objects.filter(object_id=str(seminar.pk), user=user).count() == 1
    assert LogEntry.objects.get(object_id=str(seminar.pk), user=user).change_message == (
        RESTORED_LOG
    )


# ---------------------------------------------------------------------------------------------
# Every admin URL has a write scenario here, or is read-only (or is not about the record).
# ---------------------------------------------------------------------------------------------

COVERED = {
    "seminars_seminar_change": "sections 1, 2 and 7",
    "seminars_seminar_simple_history": "section 3",
    "seminars_infopage_simple_history": "section 3",
    "seminars_seminar_delete": "sections 4 and 7",
    "seminars_seminar_changelist": "sections 5 and 7",
    "seminars_seminar_publish": "section 6",
    "seminars_seminar_unpublish": "section 6",
    "seminars_seminar_review": "tests/seminars/test_review.py: every step by every role",
    "participants_delegation_import": "section 8",
    "participants_delegation_process_import": "section 8",
    "seminars_seminar_trash_restore": "section 9",
    "seminars_seminar_trash_purge": "section 9",
    # The workbench's save by role, refused stale forms: tests/seminars/test_workbench.py;
    # the import's refusals and round trips: tests/seminars/test_workbench_files.py.
    "seminars_seminar_translate": "tests/seminars/test_workbench.py",
    "seminars_seminar_translate_import": "tests/seminars/test_workbench_files.py",
    **{
        _admin_name(label, view).removeprefix("admin:"): "section 7"
        for label in CONTENT_ADMINS
        for view in ("add", "change", "delete", "changelist")
    },
}
READ_ONLY = {
    "index",
    "app_list",
    "jsi18n",
    "autocomplete",
    "view_on_site",
    "password_change_done",
    "seminars_seminar_preview",
    "seminars_seminar_presence",  # who has the edition open: a mark in the cache, not the record
    "seminars_seminar_trash",  # the list of deleted editions
    "seminars_seminar_translate_xliff",  # downloads of the workbench's strings
    "seminars_seminar_translate_xlsx",
    "participants_delegation_export",  # a download; the export list action too
    "participants_delegation_report",
    "seminars_city_history",
    "seminars_organization_history",
    "seminars_agendaitem_history",
    "seminars_seminar_history",
    "participants_delegation_history",
    "participants_participant_history",
    "seminars_sitesettings_history",
    "seminars_infopage_history",
}
# Not the record: signing in and out, one's own password, and the superuser-only admins of
# users, groups and login throttling records (their GET matrix: test_permission_matrix.py).
NOT_THE_RECORD = {
    "login",
    "logout",
    "password_change",
    "auth_user_password_change",
    *(
        f"{model}_{view}"
        for model in (
            "auth_group",
            "auth_user",
            "axes_accessattempt",
            "axes_accesslog",
            "axes_accessfailurelog",
        )
        for view in ("changelist", "add", "change", "delete", "history")
    ),
}


def test_every_admin_url_is_a_write_scenario_or_read_only():
    names = {name for name, _pattern in admin_url_patterns()}
    missing = sorted(names - set(COVERED) - READ_ONLY - NOT_THE_RECORD)
    assert not missing, (
        "Admin URLs with no write scenario in tests/security/test_write_paths.py: add a "
        "scenario with its role table, or add the name to READ_ONLY if it writes nothing:\n"
        + "\n".join(f'    "{name}",' for name in missing)
    )
    stale = sorted((set(COVERED) | READ_ONLY | NOT_THE_RECORD) - names)
    assert not stale, f"Listed here but no longer admin URLs: {stale}"
