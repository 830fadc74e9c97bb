"""Accepted photos are re-encoded: no EXIF/GPS, no trailing payload, a generated file name."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from seminars.models import Photo
from tests.security import images
from tests.security.photo_posts import with_new_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client, name, content, edition):
    upload = SimpleUploadedFile(name, content)
    change_url, data, _n = with_new_photo(client, edition, upload, "会場", "会场")
    response = client.post(change_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return Photo.objects.get(seminar=edition, order=99)


def test_upload_jpeg_drops_exif_and_gps(admin_client_ja, edition, media_root):
    original = images.jpeg_with_gps()
    assert b"SpyCam 3000" in original
    photo = _upload(admin_client_ja, "IMG_0001 secret name.jpg", original, edition)
    stored = (media_root / photo.image.name).read_bytes()
    assert b"SpyCam 3000" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)
        assert not image.getexif()


def test_upload_strips_trailing_payload(admin_client_ja, edition, media_root):
    payload = b"PK\x03\x04<script>alert(1)</script>"
    photo = _upload(admin_client_ja, "photo.png", images.image_bytes("PNG") + payload, edition)
    for name in (photo.image.name, photo.thumbnail.name):  # the web size and the thumbnail
        stored = (media_root / name).read_bytes()
        assert b"<script>" not in stored and b"PK\x03\x04" not in stored
        assert stored.endswith(b"\xff\xd9")  # JPEG's end of image, nothing after it


def test_upload_is_stored_under_generated_name(admin_client_ja, edition, media_root):
    photo = _upload(admin_client_ja, "../../etc/passwd.webp", images.image_bytes("WEBP"), edition)
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.image.name)  # the web size
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.thumbnail.name)
    assert sorted(p.name for p in (media_root / "photos").iterdir()) == sorted(
        [photo.image.name[7:], photo.thumbnail.name[7:]]
    )
    assert photo.original_name == "passwd.webp"  # for reference only, never on disk


def test_upload_type_follows_content_not_extension(admin_client_ja, edition, media_root):
    photo = _upload(admin_client_ja, "photo.png", images.image_bytes("JPEG"), edition)
    assert photo.image.name.endswith(".jpg")
    with Image.open(media_root / photo.image.name) as image:
        assert image.format == "JPEG"
