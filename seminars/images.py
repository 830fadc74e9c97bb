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

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_PIXELS = 40_000_000  # 40 megapixels
DECODE_BUDGET_BYTES = MAX_PIXELS * 4
ORIENTATION_TAG = 0x0112


def pillow():
    """Pillow with our pixel limit, imported on first use (it costs every web worker ~3 MiB)."""
    from PIL import Image, ImageOps

    # Pillow's own guard for any other caller: warns above the limit, refuses above twice it.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
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
