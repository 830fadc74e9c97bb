"""Photos picked on a refused save are kept: staged outside MEDIA_ROOT, shown as waiting by their
original name, stored by the corrected save without picking them again; stored photos are shown
by their original file names."""

import datetime
import os
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from seminars.media import uploads
from seminars.models import Photo
from tests.admin_forms import admin_form_data
from tests.factories import make_edition
from tests.security.images import image_bytes

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="(photos-\d+-image-staged)" value="([^"]+)"')


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    return tmp_path


@pytest.fixture
def seminar():
    return make_edition(5, start_date=datetime.date(2006, 7, 11))


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def new_photo(data, name="DSC_0412.JPG", caption="開会式"):
    index = int(data["photos-TOTAL_FORMS"])
    data["photos-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"photos-{index}-caption_ja": caption,
            f"photos-{index}-caption_zh_hans": "开幕式",
            f"photos-{index}-order": "9",
            f"photos-{index}-image": SimpleUploadedFile(
                name, image_bytes("JPEG", size=(800, 600)), "image/jpeg"
            ),
        }
    )
    return index


def shown_names(html):
    return re.findall(r'class="photo-file-name"\s*>([^<]+)</a>', html)


def staged_files(folders):
    return sorted(p.name for p in (folders / "staging").glob("*"))


def refused_with_photo(client, seminar, **broken):
    data = admin_form_data(client.get(change_url(seminar)))
    new_photo(data)
    correct = {key: data[key] for key in broken}
    data.update(broken)
    response = client.post(change_url(seminar), data)
    return data, correct, response


def corrected(data, correct, response):
    """The page's data again, as the browser posts it after a refused save: the file input is
    empty, the waiting photo's token is posted, the broken field corrected."""
    data = {k: v for k, v in data.items() if not hasattr(v, "read")}
    data.update(dict(TOKEN.findall(response.content.decode())))
    data.update(correct)
    return data


@pytest.mark.parametrize(
    ("lang", "waiting"),
    [("ja", "保存待ち：DSC_0412.JPG"), ("zh-hans", "等待保存：DSC_0412.JPG")],
)
def test_refused_save_keeps_the_picked_photo(admin_client_ja, seminar, folders, lang, waiting):
    admin_client_ja.cookies.load({"django_language": lang})
    *_data, response = refused_with_photo(
        admin_client_ja, seminar, end_date="2006-07-01", theme_ja="改訂テーマ"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert waiting in html
    assert 'value="改訂テーマ"' in html  # typed fields stay
    assert len(TOKEN.findall(html)) == 1
    assert not Photo.objects.filter(seminar=seminar, caption_ja="開会式").exists()
    assert len(staged_files(folders)) == 1
    assert not (folders / "media").exists() or not list((folders / "media").rglob("*"))


def test_refused_save_shows_no_thumbnail_of_a_photo_not_stored_yet(admin_client_ja, seminar):
    """The picked photo is not in MEDIA_ROOT yet: no <img>/link to a URL that answers 404."""
    *_data, response = refused_with_photo(admin_client_ja, seminar, end_date="2006-07-01")

    html = response.content.decode()
    assert "保存待ち：DSC_0412.JPG" in html
    assert "/media/DSC_0412" not in html


def test_corrected_save_stores_the_waiting_photo_by_its_original_name(
    admin_client_ja, seminar, folders, django_capture_on_commit_callbacks
):
    data, correct, response = refused_with_photo(admin_client_ja, seminar, end_date="2006-07-01")
    correct["end_date"] = "2006-07-13"

    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client_ja.post(change_url(seminar), corrected(data, correct, response))

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    photo = Photo.objects.get(seminar=seminar, caption_ja="開会式")
    assert photo.original_name == "DSC_0412.JPG"
    assert (photo.width, photo.height) == (800, 600)
    assert (folders / "media" / photo.image.name).is_file()
    assert staged_files(folders) == []  # taken by the save


def test_stale_version_keeps_the_picked_photo(admin_client_ja, seminar, folders):
    *_data, response = refused_with_photo(admin_client_ja, seminar, edition_version="999")

    assert response.status_code == 200
    assert "保存待ち：DSC_0412.JPG" in response.content.decode()
    assert len(staged_files(folders)) == 1


def test_photo_waits_through_two_refused_saves(admin_client_ja, seminar, folders):
    data, correct, response = refused_with_photo(admin_client_ja, seminar, end_date="2006-07-01")
    again = corrected(data, {}, response)
    second = admin_client_ja.post(change_url(seminar), again)
    assert "保存待ち：DSC_0412.JPG" in second.content.decode()

    correct["end_date"] = "2006-07-13"
    saved = admin_client_ja.post(change_url(seminar), corrected(again, correct, second))

    assert saved.status_code == 302
    assert Photo.objects.get(caption_ja="開会式").original_name == "DSC_0412.JPG"


def test_tampered_token_reads_no_file(admin_client_ja, seminar, folders):
    (folders / "secret.jpg").write_bytes(image_bytes("JPEG"))
    forged = uploads.signing.dumps(
        {"key": "../secret", "ext": "jpg", "name": "x.jpg"}, salt="other"
    )
    assert uploads.staged_upload(forged) is None
    assert uploads.staged_upload("not-a-token") is None
    wrong_key = uploads.signing.dumps(
        {"key": "../secret", "ext": "jpg", "name": "x"}, salt=uploads.STAGING_SALT
    )
    assert uploads.staged_upload(wrong_key) is None


def test_sweep_removes_staged_photos_after_a_day(folders):
    old = uploads.stage(SimpleUploadedFile("a.jpg", image_bytes("JPEG"), "image/jpeg"), "a.jpg")
    path = next((folders / "staging").glob("*.jpg"))
    stamp = time.time() - uploads.STAGING_MAX_AGE - 60
    os.utime(path, (stamp, stamp))

    uploads.sweep()

    assert staged_files(folders) == []
    assert uploads.staged_upload(old.staged_token) is None


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_stored_photo_is_shown_by_its_original_name(admin_client_ja, seminar, lang):
    photo = Photo(seminar=seminar, caption_ja="会場", caption_zh_hans="会场", order=5)
    photo.image = SimpleUploadedFile("DSC_0413.JPG", image_bytes("JPEG"), "image/jpeg")
    photo.save()
    admin_client_ja.cookies.load({"django_language": lang})

    html = admin_client_ja.get(change_url(seminar)).content.decode()

    assert shown_names(html) == ["DSC_0413.JPG"]
    assert f">{photo.image.name}<" not in html


def test_photo_without_original_name_is_shown_by_its_file_name(admin_client_ja, seminar):
    photo = Photo(seminar=seminar, caption_ja="会場", caption_zh_hans="会场", order=5)
    photo.image = SimpleUploadedFile("old.jpg", image_bytes("JPEG"), "image/jpeg")
    photo.save()
    Photo.objects.filter(pk=photo.pk).update(original_name="")  # stored before names were kept

    html = admin_client_ja.get(change_url(seminar)).content.decode()

    assert shown_names(html) == [photo.image.name.rsplit("/", 1)[-1]]
