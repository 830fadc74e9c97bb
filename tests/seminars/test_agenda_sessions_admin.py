"""The agenda inline's session select offers only the edition's own top-level items."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from seminars.models import AgendaItem
from tests.factories import make_agenda_item, make_edition

pytestmark = pytest.mark.django_db


def session_options(html):
    select = re.search(r'<select name="agenda_items-0-session"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the first agenda row has a session select"
    return re.findall(r'<option value="(\d+)"', select.group(1))


def test_session_choices_are_this_editions_top_level_items(admin_client_ja):
    edition = make_edition(5)
    other = make_edition(6)
    plenary = make_agenda_item(
        edition, kind=AgendaItem.Kind.PLENARY, title_ja="本会議", title_zh_hans="全体会议", order=90
    )
    part = make_agenda_item(edition, title_ja="基調講演", session=plenary, order=91)

    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    options = {int(pk) for pk in session_options(admin_client_ja.get(url).content.decode())}

    top_level = set(edition.agenda_items.filter(session__isnull=True).values_list("pk", flat=True))
    assert options == top_level
    assert plenary.pk in options and part.pk not in options
    assert not options & set(other.agenda_items.values_list("pk", flat=True))


def test_session_from_another_edition_is_not_a_valid_choice(admin_client_ja):
    edition = make_edition(5)
    foreign = make_edition(6).agenda_items.first()
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    formsets = admin_client_ja.get(url).context["inline_admin_formsets"]
    formset = next(f.formset for f in formsets if f.formset.model is AgendaItem)

    field = formset.forms[0].fields["session"]

    assert field.queryset.filter(seminar=edition).exists()
    with pytest.raises(ValidationError):
        field.clean(foreign.pk)
