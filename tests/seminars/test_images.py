"""Photos within a memory budget: refused by pixel count before decoding, one message for all."""

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from seminars.media import images
from tests.security.images import image_bytes, png_header_only

ROOT = Path(__file__).resolve().parents[2]


def flat_png(width, height):
    """A valid, fully decodable RGB PNG of one colour: tiny on disk, huge when decoded."""

    def chunk(kind, data):
        import struct

        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    import struct

    compressor, parts = zlib.compressobj(9), []
    row = b"\x00" + b"\x10\x80\xf0" * width
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = b"".join(parts)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("width", "height"), [(6_500, 6_500), (9_000, 9_000), (12_000, 12_000), (40_001, 1_000)]
)
def test_image_over_the_pixel_limit_gets_the_too_many_pixels_message(width, height):
    upload = SimpleUploadedFile("big.png", png_header_only(width, height))
    with pytest.raises(ValidationError) as refused, translation.override("ja"):
        images.ImageField().clean(upload)
    assert refused.value.code == "too_many_pixels"
    assert refused.value.params == {"mpx": 40}


def test_image_within_the_limit_passes_the_field():
    upload = SimpleUploadedFile("ok.jpg", image_bytes("JPEG", size=(640, 480)))
    cleaned = images.ImageField().clean(upload)
    assert cleaned.image.size == (640, 480)


def test_not_an_image_keeps_djangos_message():
    with pytest.raises(ValidationError) as refused:
        images.ImageField().clean(SimpleUploadedFile("x.png", b"<html></html>"))
    assert refused.value.code == "invalid_image"


def test_reencode_of_a_40_megapixel_png_costs_about_one_decoded_frame(tmp_path):
    """The issue's 154 KB, 39.7 Mpx PNG took a worker from 157 to 396 MiB; now one frame."""
    width = height = 6_300  # 39.69 megapixels
    source = tmp_path / "flat.png"
    source.write_bytes(flat_png(width, height))
    assert source.stat().st_size < 200_000
    script = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
from seminars.media import images
images.pillow()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open({str(source)!r}, "rb") as handle:
    out = images.reencode(handle, "PNG")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, len(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    grown, size = (int(v) for v in result.stdout.split())
    frame = width * height * 4
    assert size > 1_000  # a real PNG came out
    assert grown <= 1.25 * frame, f"{grown / 2**20:.0f} MiB for a {frame / 2**20:.0f} MiB frame"
    assert images.DECODE_BUDGET_BYTES >= frame


# --- renditions made on upload (Photo.save): web size, thumbnail, original only on request ---


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _photo(seminar, name, content, **fields):
    from seminars.models import Photo

    photo = Photo(seminar=seminar, caption_ja="会場", caption_zh_hans="会场", **fields)
    photo.image = SimpleUploadedFile(name, content)
    photo.save()
    photo.refresh_from_db()
    return photo


def _stored(media_root):
    return sorted(
        p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file()
    )


def _size(media_root, name):
    from PIL import Image

    with Image.open(media_root / name) as image:
        return image.format, image.size


@pytest.mark.django_db
def test_upload_makes_a_web_size_and_a_thumbnail_and_keeps_the_name(edition, media_root):
    photo = _photo(edition, "DSC_0042 開会式.jpg", image_bytes("JPEG", size=(4000, 3000)))

    assert _size(media_root, photo.image.name) == ("JPEG", (1600, 1200))
    assert _size(media_root, photo.thumbnail.name) == ("JPEG", (480, 360))
    assert (photo.width, photo.height, photo.thumbnail_width, photo.thumbnail_height) == (
        1600,
        1200,
        480,
        360,
    )
    assert photo.original_name == "DSC_0042 開会式.jpg"
    assert not photo.original  # PHOTO_KEEP_ORIGINALS is off by default
    assert _stored(media_root) == sorted([photo.image.name, photo.thumbnail.name])


@pytest.mark.django_db
def test_small_image_is_not_enlarged_and_transparency_stays_webp(edition, media_root):
    from PIL import Image

    buffer = __import__("io").BytesIO()
    Image.new("RGBA", (300, 200), (10, 20, 30, 0)).save(buffer, format="PNG")

    photo = _photo(edition, "logo.png", buffer.getvalue())

    assert _size(media_root, photo.image.name) == ("WEBP", (300, 200))
    assert _size(media_root, photo.thumbnail.name) == ("WEBP", (300, 200))


@pytest.mark.django_db
def test_original_is_kept_only_when_the_setting_says_so(edition, media_root, settings):
    settings.PHOTO_KEEP_ORIGINALS = True
    content = image_bytes("JPEG", size=(2000, 1000))

    photo = _photo(edition, "full.jpg", content)

    assert (media_root / photo.original.name).read_bytes() == content
    assert photo.large_url == photo.original.url
    assert len(_stored(media_root)) == 3


@pytest.mark.django_db
def test_files_leave_storage_with_their_row_and_when_replaced(
    edition, media_root, settings, django_capture_on_commit_callbacks
):
    settings.PHOTO_KEEP_ORIGINALS = True
    with django_capture_on_commit_callbacks(execute=True):
        photo = _photo(edition, "a.jpg", image_bytes("JPEG", size=(800, 600)))
    first = _stored(media_root)
    assert len(first) == 3

    with django_capture_on_commit_callbacks(execute=True):
        photo.image = SimpleUploadedFile("b.jpg", image_bytes("JPEG", size=(900, 600)))
        photo.save()
    second = _stored(media_root)
    assert len(second) == 3 and not set(first) & set(second)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert _stored(media_root) == []


@pytest.mark.django_db
def test_photo_renditions_command_completes_photos_uploaded_before(
    edition, media_root, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from seminars.models import Photo

    photo = edition.photos.first()
    name = photo.image.storage.save("photos/old.jpg", ContentFile(image_bytes(size=(2000, 1500))))
    Photo.objects.filter(pk=photo.pk).update(image=name)  # as stored before renditions

    with django_capture_on_commit_callbacks(execute=True):
        call_command("photo_renditions", stdout=__import__("io").StringIO())

    photo.refresh_from_db()
    assert (photo.width, photo.thumbnail_width) == (1600, 480)
    assert photo.original_name == "old.jpg"
    assert _stored(media_root) == sorted([photo.image.name, photo.thumbnail.name])


@pytest.mark.django_db
def test_a_deleted_edition_keeps_every_rendition_in_the_trash_and_gets_it_back(
    edition, media_root, django_capture_on_commit_callbacks, django_user_model
):
    from django.contrib.auth.models import Group

    from seminars.models import Seminar, TrashedEdition
    from seminars.record import trash

    with django_capture_on_commit_callbacks(execute=True):
        photo = _photo(edition, "a.jpg", image_bytes("JPEG", size=(900, 600)))
    names = sorted([photo.image.name, photo.thumbnail.name])
    seminar = edition
    seminar.status = Seminar.Status.DRAFT
    seminar.save()

    with django_capture_on_commit_callbacks(execute=True):
        seminar.delete()
    trashed = TrashedEdition.objects.get(edition=edition.edition)
    assert sorted(entry["name"] for entry in trashed.files) == names
    assert not set(_stored(media_root)) & set(names)

    publisher = django_user_model.objects.create_user("pub", is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publishers"))
    trash.restore(trashed, publisher)

    assert _stored(media_root) == names


# --- the upload form keeps a checked photo for the next save (seminars.media.uploads staging) ---


@pytest.mark.django_db
def test_upload_form_stages_the_photo_and_takes_it_back_by_token(
    edition, media_root, settings, tmp_path
):
    from django.forms import modelform_factory

    from seminars.media.uploads import PhotoUploadForm, StagedUpload
    from seminars.models import Photo

    settings.PHOTO_STAGING_DIR = str(tmp_path / "staging")
    Form = modelform_factory(
        Photo, form=PhotoUploadForm, fields=["seminar", "caption_ja", "caption_zh_hans", "image"]
    )
    data = {"seminar": "999999", "caption_ja": "会場", "caption_zh_hans": "照片"}
    picked = SimpleUploadedFile("DSC_0412.JPG", image_bytes("JPEG", size=(640, 480)))
    refused = Form(data, {"image": picked})
    assert not refused.is_valid() and "seminar" in refused.errors
    html = str(refused["image"])
    token = html.split('name="image-staged" value="')[1].split('"')[0]
    assert "DSC_0412.JPG" in html
    assert len(list((tmp_path / "staging").iterdir())) == 1
    assert not list(media_root.rglob("*")) if media_root.exists() else True

    again = Form({**data, "seminar": edition.pk, "image-staged": token}, {})

    assert again.is_valid(), again.errors
    assert isinstance(again.cleaned_data["image"], StagedUpload)
    photo = again.save()
    assert (photo.original_name, photo.width, photo.height) == ("DSC_0412.JPG", 640, 480)
