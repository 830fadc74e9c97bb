"""A photo upload on a full disk: the edition page is shown again with a clear message in the staff
language, and no row and no file (rendition, original, staged photo, truncated file) is left behind,
whatever write hit the full disk.

The disk is really full: a 64 KiB tmpfs mounted for the test (as root), or, where mounting is not
allowed, a real file-size limit (RLIMIT_FSIZE) while the page is posted, which makes the kernel
refuse the write (EFBIG) the same way. Each test posts real photos through the admin (about 1 s).
"""

import contextlib
import datetime
import io
import os
import resource
import shutil
import signal
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from seminars.models import Photo, Seminar
from tests.admin_forms import admin_form_data
from tests.factories import make_edition
from tests.security.images import image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.fault]

SMALL = 64 * 1024
MESSAGES = {
    "ja": "写真用のディスクがいっぱいです",
    "zh-hans": "照片存储磁盘已满",
}


class SmallDisk:
    """A folder on a 64 KiB filesystem, or under a 64 KiB file-size limit while `full()`."""

    def __init__(self, path):
        self.path = path
        path.mkdir(parents=True)
        self.mounted = shutil.which("mount") is not None and (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", f"size={SMALL // 1024}k", "tmpfs", str(path)],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )

    @contextlib.contextmanager
    def full(self):
        if self.mounted:
            yield
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (SMALL, hard))
        try:
            yield
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, handler)

    def unmount(self):
        if self.mounted:
            subprocess.run(["umount", str(self.path)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    disk = SmallDisk(tmp_path / f"small-{uuid.uuid4().hex[:8]}")
    yield disk
    disk.unmount()


@pytest.fixture
def seminar():
    return make_edition(5, start_date=datetime.date(2006, 7, 11))


def noisy_jpeg(size=(1000, 750)):
    """A photo that compresses badly: its re-encoded file and web size are far above 64 KiB."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "JPEG")
    return buffer.getvalue()


def add_photo(data, content, name="DSC_0412.JPG", caption="開会式"):
    index = int(data["photos-TOTAL_FORMS"])
    data["photos-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"photos-{index}-caption_ja": caption,
            f"photos-{index}-caption_zh_hans": "开幕式",
            f"photos-{index}-order": str(9 + index),
            f"photos-{index}-image": SimpleUploadedFile(name, content, "image/jpeg"),
        }
    )


def post_photos(client, seminar, disk, *contents, lang="ja"):
    client.cookies.load({"django_language": lang})
    url = reverse("admin:seminars_seminar_change", args=[seminar.pk])
    data = admin_form_data(client.get(url))
    data["theme_ja"] = "改訂テーマ"
    for number, content in enumerate(contents):
        add_photo(data, content, name=f"DSC_{number:04d}.JPG", caption=f"満杯{number}")
    with disk.full():
        return client.post(url, data)


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def assert_nothing_left(seminar, response, lang, *folders):
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(MESSAGES[lang]) >= 2  # the page's message and the photo's own error
    assert 'value="改訂テーマ"' in html  # what was typed stays on the page
    assert "-image-staged" not in html  # no photo waits: it must be picked again
    assert not Photo.objects.filter(seminar=seminar, caption_ja__startswith="満杯").exists()
    assert Seminar.objects.get(pk=seminar.pk).theme_ja != "改訂テーマ"  # the save rolled back
    for folder in folders:
        assert files_under(folder) == []


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_full_staging_disk_refuses_the_photo_in_the_staff_language(
    admin_client_ja, seminar, settings, tmp_path, small_disk, lang
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_STAGING_DIR = str(small_disk.path)

    response = post_photos(admin_client_ja, seminar, small_disk, noisy_jpeg(), lang=lang)

    assert_nothing_left(seminar, response, lang, small_disk.path, tmp_path / "media")


@pytest.mark.parametrize(
    ("failing", "sizes"),
    [
        ("web size", {}),
        ("thumbnail", {"PHOTO_WEB_SIZE": 100}),
        ("original", {"PHOTO_WEB_SIZE": 100, "PHOTO_THUMBNAIL_SIZE": 100}),
    ],
)
def test_full_media_disk_while_storing_leaves_no_file(
    admin_client_ja, seminar, settings, tmp_path, small_disk, failing, sizes
):
    """Each file the photo owns in turn hits the full disk (the ones before it were written)."""
    settings.MEDIA_ROOT = small_disk.path
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    settings.PHOTO_KEEP_ORIGINALS = failing == "original"
    for name, value in sizes.items():
        setattr(settings, name, value)

    response = post_photos(admin_client_ja, seminar, small_disk, noisy_jpeg())

    assert_nothing_left(seminar, response, "ja", small_disk.path, tmp_path / "staging")


def test_full_disk_on_the_second_photo_removes_the_first(
    admin_client_ja, seminar, settings, tmp_path, small_disk
):
    settings.MEDIA_ROOT = small_disk.path
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    small = image_bytes("JPEG", size=(800, 600))

    response = post_photos(
        admin_client_ja, seminar, small_disk, small, noisy_jpeg(), lang="zh-hans"
    )

    assert_nothing_left(seminar, response, "zh-hans", small_disk.path, tmp_path / "staging")


def test_photo_is_stored_once_space_is_back(
    admin_client_ja, seminar, settings, tmp_path, small_disk
):
    """The page shown after a full disk saves as usual when the photo is picked again."""
    settings.MEDIA_ROOT = small_disk.path
    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    post_photos(admin_client_ja, seminar, small_disk, noisy_jpeg())

    response = post_photos(
        admin_client_ja, seminar, small_disk, image_bytes("JPEG", size=(800, 600))
    )

    assert response.status_code == 302
    photo = Photo.objects.get(seminar=seminar, caption_ja="満杯0")
    assert (small_disk.path / photo.image.name).is_file()
    assert (small_disk.path / photo.thumbnail.name).is_file()
