"""An import is one more way of editing an edition: its confirm step is refused when an edition in
the file changed after the preview, and an import makes every page opened before it stale."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from seminars.models import AgendaItem
from seminars.record.permissions import acting_as
from tests.admin_forms import admin_form_data

from .conftest import EDITION, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(known):
    """The known edition's counts with the japan side's changed to 65."""
    return [
        [EDITION, "japan", 65, "", ""],
        [EDITION, "china", known.china.participant_count, "", ""],
    ]


def test_import_confirm_refused_after_an_edit_of_that_edition(
    known, importer, counts, django_user_model
):
    preview = importer.upload(csv_bytes(counts))
    assert preview.status_code == 200 and "confirm_form" in preview.context
    editor = django_user_model.objects.create_superuser("kimura", password="a-long-password-123")
    with acting_as(editor):  # another editor fixes an agenda title meanwhile
        item = AgendaItem.objects.filter(seminar=known.seminar).first()
        item.title_ja = item.title_ja + "（修正）"
        item.save()

    response = importer.confirm(preview)

    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0].startswith("インポートは行われませんでした。")
    assert texts[1].startswith(f"2行目・開催回（A 列）：kimura さんが第{EDITION}回")
    assert "プレビューの後" in texts[1]
    assert known.count("japan") == known.japan.participant_count  # nothing imported


def test_import_confirm_passes_when_nothing_changed_meanwhile(known, importer, counts):
    preview = importer.upload(csv_bytes(counts))
    assert importer.confirm(preview).status_code == 302
    assert known.count("japan") == 65


def test_import_makes_an_edition_page_opened_before_it_stale(known, importer, counts, superuser):
    editor = Client()
    editor.force_login(superuser)
    url = reverse("admin:seminars_seminar_change", args=[known.seminar.pk])
    data = admin_form_data(editor.get(url))
    data = {k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))}

    importer.confirm(importer.upload(csv_bytes(counts)))  # japan's count → 65
    data["summary_ja"] = "要約だけを変えた"
    response = editor.post(url, data)

    assert response.status_code == 200
    assert "保存はされていません" in response.content.decode()
    assert known.count("japan") == 65
