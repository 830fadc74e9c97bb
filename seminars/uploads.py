"""Photo uploads: checked by content, re-encoded, and refused before anything reaches MEDIA_ROOT."""

import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from seminars import images
from seminars.images import MAX_PIXELS, pillow

MAX_UPLOAD_BYTES = 8 * 1024 * 1024  # 8 MiB
ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
ALLOWED_FORMATS["WEBP"] = ("webp", "image/webp")


def _open_checked(upload):
    """The verified Pillow format and size of `upload`, or a ValidationError."""
    Image, _ImageOps = pillow()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(mib)s MiB)."),
            code="too_large",
            params={"mib": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, size = image.format, image.size
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Only JPEG, PNG and WebP images are accepted."), code="bad_type"
                    )
                if size[0] * size[1] > MAX_PIXELS:
                    raise _too_many_pixels()
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many types for broken files
        raise ValidationError(_("The file is not a valid image."), code="invalid_image") from exc
    return image_format


def _too_many_pixels():
    return images.too_many_pixels()


def reencode_image(upload):
    """A fresh file with only the pixels: no EXIF/GPS, no trailing data, a generated-style name."""
    image_format = _open_checked(upload)
    try:
        content = images.reencode(upload, image_format)  # one decoded frame, no copies
    except ValidationError:
        raise
    except Exception as exc:  # truncated data shows only while decoding
        raise ValidationError(_("The file is not a valid image."), code="invalid_image") from exc
    extension, content_type = ALLOWED_FORMATS[image_format]
    stem = PurePath(upload.name or "photo").stem[:50] or "photo"
    return SimpleUploadedFile(f"{stem}.{extension}", content, content_type)


class PhotoUploadForm(forms.ModelForm):
    """The photo form (admin inline and page): the image is checked and re-encoded before saving."""

    class Meta:
        field_classes = {"image": images.ImageField}  # pixel count checked before Django's check

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pillow()  # Django's own ImageField check, which runs first, then uses our pixel limit

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or upload is False or not hasattr(upload, "content_type"):
            return upload  # unchanged, cleared, or empty
        # The uploader's file name, kept for reference by Photo.save() (never used on disk).
        self.instance._upload_name = PurePath(upload.name or "").name
        return reencode_image(upload)


class SiteSettingsForm(forms.ModelForm):
    """The site settings: a replacement map image is checked and re-encoded like a photo."""

    class Meta:
        field_classes = {"map_image": images.ImageField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pillow()

    def clean_map_image(self):
        upload = self.cleaned_data.get("map_image")
        if not upload or upload is False or not hasattr(upload, "content_type"):
            return upload
        return reencode_image(upload)
