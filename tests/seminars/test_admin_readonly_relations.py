"""Read-only cells of the edition page show every kind of field: the reverse many-to-many
(an agenda item's speakers, defined on Participant), a foreign key (a part's session, an
organizer's organization), choices (kind, role, side) and files (a photo), for the roles that
see them read-only: Publishers (view only) and Translators (text only)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seminars.models import AgendaItem, Photo
from tests.factories import make_agenda_item
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db

SHOWN = {
    "ja": {"kind": "講演会", "role": "主催", "side": "日本側", "speaker": "講師"},
    "zh-hans": {"kind": "讲座", "role": "主办单位", "side": "日方", "speaker": "讲师"},
}


@pytest.fixture
def record(edition, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    session = make_agenda_item(
        edition, order=10, title_ja="本会議", title_zh_hans="全体会议", date=edition.start_date
    )
    part = make_agenda_item(
        edition,
        order=11,
        session=session,
        title_ja="基調講演",
        title_zh_hans="主旨演讲",
        date=edition.start_date,
        kind=AgendaItem.Kind.KEYNOTE,
    )
    photo = Photo(seminar=edition, caption_ja="会場", caption_zh_hans="会场", order=9)
    photo.image = SimpleUploadedFile("DSC_0412.JPG", image_bytes(), "image/jpeg")
    photo.save()
    return {"edition": edition, "session": session, "part": part, "photo": photo}


def cells(content, name):
    """The contents of the read-only cells of a column (<td class="field-NAME"><p>…</p>)."""
    pattern = rf'<td class="field-{name}">\s*<p>(.*?)</p>\s*</td>'
    return [cell.strip() for cell in re.findall(pattern, content, re.S)]


@pytest.mark.parametrize(
    ("group", "language"),
    [("Publishers", "ja"), ("Publishers", "zh-hans"), ("Translators", "zh-hans")],
)
def test_readonly_cells_show_every_kind_of_field(
    client, django_user_model, record, group, language
):
    user = django_user_model.objects.create_user("viewer", password=None, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    edition = record["edition"]
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    content = response.content.decode()

    speakers = cells(content, "speakers")
    speaker = SHOWN[language]["speaker"]
    assert f"{speaker}1" in speakers and f"{speaker}2" in speakers  # reverse many-to-many
    assert "-" in speakers  # an item without speakers: the empty value
    session_url = reverse("admin:seminars_agendaitem_change", args=[record["session"].pk])
    assert f'<a href="{session_url}">' in "".join(cells(content, "session"))  # a foreign key
    assert SHOWN[language]["kind"] in cells(content, "kind")  # choices, by their label
    assert SHOWN[language]["role"] in cells(content, "role")
    assert SHOWN[language]["side"] in cells(content, "side")
    images = "".join(cells(content, "image"))  # a file, linked
    assert record["photo"].image.url in images
    assert "<select" not in "".join(speakers)
