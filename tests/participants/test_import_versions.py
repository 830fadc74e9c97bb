"""An import is one more way of editing an edition: its confirm step is refused when an edition in
the file changed after the preview, and an import makes every page opened before it stale."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from participants.models import Delegation
from seminars.models import AgendaItem
from seminars.permissions import acting_as
from tests.admin_forms import admin_form_data

from .conftest import confirm, csv_bytes, upload

pytestmark = pytest.mark.django_db

COUNTS = [[17, "japan", 65, "", ""], [17, "china", 88, "", ""]]


@pytest.fixture
def steward(client, make_staff):
    client.force_login(
        make_staff("view_delegation", "import_delegation", "add_delegation", "change_delegation")
    )
    return client


def japan_count():
    return Delegation.objects.get(seminar__edition=17, side="japan").participant_count


def test_import_confirm_refused_after_an_edit_of_that_edition(seed, steward, django_user_model):
    preview = upload(steward, csv_bytes(COUNTS))
    assert preview.status_code == 200 and "confirm_form" in preview.context
    editor = django_user_model.objects.create_superuser("kimura", password="a-long-password-123")
    with acting_as(editor):  # another editor fixes an agenda title meanwhile
        item = AgendaItem.objects.filter(seminar__edition=17).first()
        item.title_ja = item.title_ja + "（修正）"
        item.save()

    response = confirm(steward, preview)

    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("インポートは行われませんでした。")
    assert texts[1].startswith("2行目：kimura さんが第17回")
    assert "プレビューの後" in texts[1]
    assert japan_count() == 59  # nothing imported


def test_import_confirm_passes_when_nothing_changed_meanwhile(seed, steward):
    preview = upload(steward, csv_bytes(COUNTS))
    assert confirm(steward, preview).status_code == 302
    assert japan_count() == 65


def test_import_makes_an_edition_page_opened_before_it_stale(seed, steward, superuser):
    editor = Client()
    editor.force_login(superuser)
    url = reverse("admin:seminars_seminar_change", args=[17])
    data = admin_form_data(editor.get(url))
    data = {k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))}

    confirm(steward, upload(steward, csv_bytes(COUNTS)))  # 59 → 65
    data["summary_ja"] = "要約だけを変えた"
    response = editor.post(url, data)

    assert response.status_code == 200
    assert "保存はされていません" in response.content.decode()
    assert japan_count() == 65
