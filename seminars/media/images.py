"""Photos decoded within a memory budget: refused by pixel count before any pixel is decoded.

A decoded image costs width × height × 4 bytes in Pillow (RGB is stored as 32-bit pixels), and
compressed size says nothing about it: a 154 KB PNG can hold 40 megapixels. So every upload is
measured from its header first (Pillow reads the size without decoding), anything above
MAX_PIXELS gets the one "too many pixels" message whatever its size (81 or 144 megapixels
included, which Pillow's own guard would otherwise turn into "not an image"), and the one image
that passes is re-encoded in place: no copy for the EXIF orientation, no conversion unless the
format needs it. Peak memory of a re-encode is about one decoded frame (DECODE_BUDGET_BYTES).
"""

import io
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PIXELS = 40_000_000  # 40 megapixels
DECODE_BUDGET_BYTES = MAX_PIXELS * 4
ORIENTATION_TAG = 0x0112


def pillow():
    """Pillow with our pixel limit, imported on first use (it costs every web worker ~3 MiB)."""
    from PIL import Image, ImageFile, ImageOps

    # Pillow's own guard for any other caller: warns above the limit, refuses above twice it.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    # A truncated file is refused, whatever another library set (WeasyPrint sets True on import).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return Image, ImageOps


def too_many_pixels():
    return ValidationError(
        _("The image has too many pixels (at most %(mpx)s megapixels)."),
        code="too_many_pixels",
        params={"mpx": MAX_PIXELS // 1_000_000},
    )


def check_pixels(file):
    """Refuse by the header's width × height, before anything is decoded.

    Files that are no image are left to the caller's own check (its message says so).
    """
    Image, _ImageOps = pillow()
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
    except Image.DecompressionBombError as exc:  # more than twice the limit
        raise too_many_pixels() from exc
    except Exception:
        return
    finally:
        file.seek(0)
    if width * height > MAX_PIXELS:
        raise too_many_pixels()


class ImageField(forms.ImageField):
    """Django's ImageField, with the pixel count checked first (one message for every size)."""

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "seek"):
            check_pixels(data)
        return super().to_python(data)


def reencode(file, image_format):
    """The pixels of `file` (already checked) in a fresh `image_format` file, without metadata."""
    Image, ImageOps = pillow()
    file.seek(0)
    with Image.open(file) as image:
        if image.size[0] * image.size[1] > MAX_PIXELS:
            raise too_many_pixels()
        image.load()  # the one decoded frame
        if image.getexif().get(ORIENTATION_TAG, 1) != 1:
            ImageOps.exif_transpose(image, in_place=True)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        elif image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        buffer = io.BytesIO()
        options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
        image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


# Renditions made on upload (Photo.save): the page shows the thumbnail in the grid (srcset with
# the web size) and links to the web size, or to the original when the site keeps originals.
WEB_SIZE = 1600  # longest side, pixels
THUMBNAIL_SIZE = 480


def _setting(name, default):
    from django.conf import settings

    return getattr(settings, name, default)


def _encode(image, max_side):
    """`image` scaled down to fit `max_side` (never up), as JPEG, or WebP when it has alpha:
    (bytes, extension, (width, height))."""
    copy = image.copy()
    copy.thumbnail((max_side, max_side))
    has_alpha = copy.mode in ("RGBA", "LA") or (copy.mode == "P" and "transparency" in copy.info)
    if has_alpha:  # keep WebP for images that are actually transparent somewhere
        has_alpha = copy.convert("RGBA").getchannel("A").getextrema()[0] < 255
    if has_alpha:
        image_format, extension = "WEBP", "webp"
        copy = copy.convert("RGBA")
    else:
        image_format, extension = "JPEG", "jpg"
        if copy.mode != "RGB":
            copy = copy.convert("RGB")
    buffer = io.BytesIO()
    copy.save(buffer, format=image_format, quality=85, optimize=True)
    return buffer.getvalue(), extension, copy.size


def make_renditions(photo):
    """Replace a newly uploaded `photo.image` by its web size and add the thumbnail.

    The uploaded file (already checked and re-encoded by the upload form) is kept as
    `photo.original` only when the setting PHOTO_KEEP_ORIGINALS is on; its name is kept in
    `photo.original_name` for reference whatever the setting.
    """
    from django.core.files.base import ContentFile

    Image, ImageOps = pillow()
    upload = photo.image.file
    name = PurePath(getattr(upload, "name", "") or photo.image.name or "photo").name
    photo.original_name = (getattr(photo, "_upload_name", "") or name)[:255]
    upload.seek(0)
    data = upload.read()
    with Image.open(io.BytesIO(data)) as image:
        if image.size[0] * image.size[1] > MAX_PIXELS:
            raise too_many_pixels()
        image.draft("RGB", (WEB_SIZE, WEB_SIZE))  # JPEG: decode at a reduced scale
        image.load()
        if image.getexif().get(ORIENTATION_TAG, 1) != 1:
            image = ImageOps.exif_transpose(image)
        web, web_ext, web_size = _encode(image, _setting("PHOTO_WEB_SIZE", WEB_SIZE))
        thumb, thumb_ext, thumb_size = _encode(
            image, _setting("PHOTO_THUMBNAIL_SIZE", THUMBNAIL_SIZE)
        )
    if _setting("PHOTO_KEEP_ORIGINALS", False):
        photo.original = ContentFile(data, name=name)
    photo.image = ContentFile(web, name=f"web.{web_ext}")
    photo.thumbnail = ContentFile(thumb, name=f"thumb.{thumb_ext}")
    photo.width, photo.height = web_size
    photo.thumbnail_width, photo.thumbnail_height = thumb_size
