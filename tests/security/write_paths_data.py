"""Users, a small record and database snapshots for tests/security/test_write_paths.py."""

import datetime
from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from seminars.models import InfoPage, InfoPageKind, Seminar, SiteSettings
from seminars.record.content import edited_models
from seminars.record.roles import DATA_STEWARDS, EDITORS, PUBLISHERS, TRANSLATORS
from tests.admin_forms import _add_form, admin_form_data
from tests.factories import (
    make_agenda_item,
    make_city,
    make_delegation,
    make_organization,
    make_organizer,
    make_participant,
    make_photo,
    make_seminar,
)

from .snapshots import database_rows

ROLES = ("superuser", "editor", "translator", "steward", "publisher", "staff")
# The groups of seminars.record.roles, by the role names the tests use.
GROUP_OF_ROLE = dict(
    zip(ROLES[1:5], (EDITORS, TRANSLATORS, DATA_STEWARDS, PUBLISHERS), strict=True)
)
# Sessions and login throttling records change with every sign-in, whoever writes the record.
VOLATILE_TABLES = ("django_session", "axes_")
DRAFT_DAYS = (datetime.date(2020, 5, 10), datetime.date(2020, 5, 12))


def make_user(role, username=None):
    """A user of `role` (see ROLES); without a password (the tests sign in with force_login)."""
    users = get_user_model().objects
    username = username or role
    if role == "superuser":
        return users.create_superuser(username=username, email=f"{username}@example.org")
    user = users.create_user(username=username, is_staff=True)
    if role in GROUP_OF_ROLE:
        user.groups.add(Group.objects.get(name=GROUP_OF_ROLE[role]))
    return user


def signed_in(user):
    """The key of a new session signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def client_for(user, session_key=None):
    """A browser signed in as `user` (in the session given, or a new one), asking for Japanese
    (the staff's default language)."""
    client = Client(headers={"accept-language": "ja"})
    if session_key is None:
        client.force_login(user)
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def build_record():
    """A draft edition with one of everything, a published edition and two unused rows."""
    city = make_city()
    draft = make_seminar(
        5,
        city,
        status=Seminar.Status.DRAFT,
        start_date=DRAFT_DAYS[0],
        end_date=DRAFT_DAYS[1],
        summary_ja="概要",
        summary_zh_hans="概要",
    )
    organization = make_organization()
    organizer = make_organizer(draft, organization)
    item = make_agenda_item(draft, date=datetime.date(2020, 5, 11))
    photo = make_photo(draft)
    delegation = make_delegation(
        draft, "japan", 10, description_ja="代表団", description_zh_hans="代表团"
    )
    participant = make_participant(delegation, position_ja="市長", position_zh_hans="市长")
    participant.agenda_items.add(item)
    published = make_seminar(
        2,
        city,
        published_at=timezone.now(),
        start_date=datetime.date(2004, 6, 1),
        end_date=datetime.date(2004, 6, 2),
    )
    published_delegation = make_delegation(published, "china", 20)
    return SimpleNamespace(
        city=city,
        draft=draft,
        organization=organization,
        organizer=organizer,
        item=item,
        photo=photo,
        delegation=delegation,
        participant=participant,
        published=published,
        published_delegation=published_delegation,
        spare_city=make_city("予備市", "备用市"),
        spare_organization=make_organization("予備協会", "备用协会", country="CN"),
        # Created by the migrations; again here for tests that flushed the database.
        site_settings=SiteSettings.objects.get_or_create(
            pk=SiteSettings.SINGLETON_ID,
            defaults={"publisher_name_ja": "発行者", "publisher_name_zh_hans": "发布机构"},
        )[0],
        info_page=InfoPage.objects.get_or_create(
            kind=InfoPageKind.SITE_POLICY,
            defaults={"title_ja": "サイトポリシー", "title_zh_hans": "网站政策", "body_ja": "本文"},
        )[0],
    )


# --- what a write changed ---


def stored_rows():
    """Every row of every table but sessions and login throttling records."""
    return {
        table: rows
        for table, rows in database_rows().items()
        if not table.startswith(VOLATILE_TABLES)
    }


def changed_tables(before, after):
    """The tables whose rows differ between two stored_rows() snapshots."""
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def content_state():
    """Every value of every content row (and their many-to-many links), `updated_at` left out
    and empty text taken as NULL (a form saves empty text as ""): what a save that changed
    nothing leaves as it was."""
    state = {}
    for model in edited_models():
        names = [f.attname for f in model._meta.concrete_fields if f.name != "updated_at"]
        rows = model._base_manager.order_by("pk").values_list(*names)
        state[model._meta.label] = sorted(
            (tuple(None if value == "" else value for value in row) for row in rows), key=repr
        )
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            columns = [f.attname for f in through._meta.concrete_fields]
            state[through._meta.label] = sorted(through.objects.values_list(*columns), key=repr)
    return state


def changed_content(before, after):
    """{model label: (rows only before, rows only after)} of two content_state() snapshots."""
    changed = {}
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, []), after.get(label, [])
        if old != new:
            changed[label] = ([r for r in old if r not in new], [r for r in new if r not in old])
    return changed


def messages_of(response):
    """(level tag, text) of the messages the request left for the next page."""
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# --- what a browser posts back ---


def _fix_browser_fields(data, form):
    """What admin_form_data leaves out: split date/time inputs as two fields, no file inputs."""
    for bound_field in form:
        widget = bound_field.field.widget
        name = bound_field.html_name
        if isinstance(bound_field.field, forms.ModelMultipleChoiceField) and not data.get(name):
            data[name] = []  # nothing chosen: the browser sends no value at all
        elif isinstance(widget, forms.MultiWidget):
            value = bound_field.value()
            parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
            data.pop(name, None)
            for i, (subwidget, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                formatted = None if part in (None, "") else subwidget.format_value(part)
                data[f"{name}_{i}"] = formatted or ""
        elif isinstance(bound_field.field, forms.FileField):
            data.pop(name, None)


def change_form_data(response):
    """The POST a browser sends back unchanged from an admin add or change page."""
    data = admin_form_data(response)
    _fix_browser_fields(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            _fix_browser_fields(data, form)
    return data


def revert_form_data(response):
    """The POST a browser sends from a history point's page, "restore the publication state
    of that time" ticked (offered to publishers; the write guard decides for everyone)."""
    data = {}
    _add_form(data, response.context["form"])
    data["restore_publication"] = "on"
    return data
