"""Photo uploads: checked by content, re-encoded, and refused before anything reaches MEDIA_ROOT.

A photo picked on a save that is refused for any reason (another field, another row, a stale
version) waits, checked and re-encoded, in a staging folder outside MEDIA_ROOT; the page shows it
as waiting by its original name and posts its signed token again, so the corrected save stores
it without picking it again. Staged files are removed when saved, and swept after a day.
"""

import contextlib
import contextvars
import errno
import re
import time
import uuid
import warnings
from pathlib import Path, PurePath

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from seminars.media import images
from seminars.media.images import MAX_PIXELS, pillow

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


# --- a full disk: a clear message, and no row or file left behind ---

# What a write answers when the disk (or a quota, or the process's file-size limit) is full.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
DISK_FULL_MESSAGE = _(
    "The disk for photos is full: the photo could not be stored and nothing on this page was "
    "saved. Ask the web operator to free some space, then pick the photo again."
)


def disk_full(exc):
    """Whether `exc` (or what it was raised from) is a write refused for want of space."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        exc = exc.__cause__
    return False


class MediaWrites:
    """The files one request wrote (stored photo files, staged photos): removed if it fails."""

    def __init__(self):
        self.files, self.staged = [], []

    def remove(self):
        for storage, name in self.files:
            with contextlib.suppress(OSError):
                storage.delete(name)
        for path in self.staged:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


_writes = contextvars.ContextVar("seminars_media_writes", default=None)


@contextlib.contextmanager
def media_writes():
    """Track the files written inside; if anything raises, remove them all (its transaction is
    rolled back too, so no row points to them), staged photos of this request included."""
    writes = MediaWrites()
    token = _writes.set(writes)
    try:
        yield writes
    except BaseException:
        writes.remove()
        raise
    finally:
        _writes.reset(token)


def _remove_files(written):
    for storage, name in written:
        with contextlib.suppress(OSError):
            storage.delete(name)


def store_new_files(instance, field_names):
    """Write `instance`'s new (uncommitted) files under their generated names, before its row
    is saved; on any failure (a full disk midway through a file included) remove every file
    written for it, the partial one too, and raise. Returns [(storage, name)] written."""
    written = []
    try:
        for field_name in field_names:
            file = getattr(instance, field_name)
            if not file or file._committed:
                continue
            field, storage = file.field, file.storage
            target = storage.get_available_name(
                field.generate_filename(instance, file.name), max_length=field.max_length
            )
            written.append((storage, target))  # before writing: a partial file is removed too
            stored = storage.save(target, file.file, max_length=field.max_length)
            if stored != target:
                written.append((storage, stored))
            setattr(instance, field.attname, stored)  # a committed file of that name
    except BaseException:
        _remove_files(written)
        raise
    tracker = _writes.get()
    if tracker is not None:
        tracker.files.extend(written)
    return written


def saving_files(instance, field_names, save):
    """Store `instance`'s new files, then `save()` its row; if the row is not saved, its files
    are removed."""
    written = store_new_files(instance, field_names)
    try:
        save()
    except BaseException:
        _remove_files(written)
        raise


# --- photos picked on a refused save: staged, shown as waiting, saved by the corrected save ---

STAGING_SALT = "seminars.media.uploads.staged-photo"
STAGED_SUFFIX = "-staged"  # the hidden input beside the file input: its signed token
STAGING_MAX_AGE = 24 * 60 * 60  # seconds; older staged files are swept
STAGED_KEY = re.compile(r"^[0-9a-f]{32}$")


def staging_dir():
    """Where staged photos wait: PHOTO_STAGING_DIR, by default "photo-staging" beside MEDIA_ROOT
    (var/photo-staging; outside MEDIA_ROOT, so never served)."""
    folder = getattr(settings, "PHOTO_STAGING_DIR", None)
    return Path(folder) if folder else Path(settings.MEDIA_ROOT).parent / "photo-staging"


class StagedUpload(SimpleUploadedFile):
    """A checked, re-encoded photo kept from a refused save (`original_name`: the picked one)."""

    def __init__(self, token, original_name, name, content, content_type):
        super().__init__(name, content, content_type)
        self.staged_token, self.original_name = token, original_name


def stage(upload, original_name):
    """Keep the re-encoded `upload` until a save takes it; the StagedUpload carries its token."""
    sweep()
    folder = staging_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key, extension = uuid.uuid4().hex, PurePath(upload.name).suffix.lstrip(".")
    upload.seek(0)
    content = upload.read()
    path = folder / f"{key}.{extension}"
    try:
        path.write_bytes(content)
    except OSError as exc:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # the truncated or empty file
        if disk_full(exc) and _writes.get() is None:  # no page to handle it: a form error
            raise ValidationError(DISK_FULL_MESSAGE, code="disk_full") from exc
        raise
    _track_staged(path)
    token = signing.dumps({"key": key, "ext": extension, "name": original_name}, salt=STAGING_SALT)
    return StagedUpload(token, original_name, upload.name, content, upload.content_type)


def _track_staged(path):
    tracker = _writes.get()
    if tracker is not None:
        tracker.staged.append(path)


def _staged_path(token):
    try:
        found = signing.loads(token, salt=STAGING_SALT, max_age=STAGING_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None, None
    key, extension = str(found.get("key", "")), str(found.get("ext", ""))
    extensions = {ext for ext, _type in ALLOWED_FORMATS.values()}
    if not STAGED_KEY.match(key) or extension not in extensions:
        return None, None
    return staging_dir() / f"{key}.{extension}", found


def staged_upload(token):
    """The photo staged under `token`, or None (unknown, tampered with, swept or taken)."""
    path, found = _staged_path(token)
    if path is None or not path.is_file():
        return None
    extension = path.suffix.lstrip(".")
    content_type = next(t for ext, t in ALLOWED_FORMATS.values() if ext == extension)
    original = str(found.get("name", ""))[:255] or path.name
    stem = PurePath(original).stem[:50] or "photo"
    return StagedUpload(token, original, f"{stem}.{extension}", path.read_bytes(), content_type)


def discard(upload):
    """Remove a staged photo once the save that took it is committed."""
    path, _found = _staged_path(getattr(upload, "staged_token", ""))
    if path is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def sweep(now=None):
    """Remove staged photos older than STAGING_MAX_AGE (the page that held them is gone)."""
    folder = staging_dir()
    if not folder.is_dir():
        return
    limit = (now or time.time()) - STAGING_MAX_AGE
    for path in folder.iterdir():
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()


class PhotoFileInput(AdminFileWidget):
    """The photo's file input: the stored photo by its original file name, and a photo picked on
    a refused save shown as waiting (its token posted again, beside the file input)."""

    template_name = "admin/widgets/photo_file_input.html"
    staged = None

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        if upload is None:  # no new file picked: the one waiting from a refused save, if any
            token = data.get(name + STAGED_SUFFIX)
            staged = staged_upload(token) if token else None
            if staged is not None:
                self.staged = upload = staged
        return upload

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if self.is_initial(value):
            instance = getattr(value, "instance", None)
            widget["display_name"] = getattr(instance, "file_name", "") or PurePath(value.name).name
        staged = self.staged if self.staged is not None else value
        if getattr(staged, "staged_token", None):
            widget["staged"] = {
                "name": name + STAGED_SUFFIX,
                "token": staged.staged_token,
                "original_name": staged.original_name,
            }
        return context


class PhotoUploadForm(forms.ModelForm):
    """The photo form (admin inline and page): the image is checked and re-encoded before saving,
    and kept (staged) until a save takes it, whatever else on the page is refused."""

    class Meta:
        field_classes = {"image": images.ImageField}  # pixel count checked before Django's check
        widgets = {"image": PhotoFileInput}

    # Set on the page shown again after a full disk refused its save: every photo picked is
    # refused with the message (nothing staged), so the page cannot be saved without them.
    disk_full = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pillow()  # Django's own ImageField check, which runs first, then uses our pixel limit
        self.staged = None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or upload is False or not hasattr(upload, "content_type"):
            return upload  # unchanged, cleared, or empty
        if self.disk_full:
            raise ValidationError(DISK_FULL_MESSAGE, code="disk_full")
        if isinstance(upload, StagedUpload):  # checked and re-encoded when it was picked
            self.staged = upload
            path, _found = _staged_path(upload.staged_token)
            if path is not None:
                _track_staged(path)
        else:
            # The uploader's file name, kept for reference by Photo.save() (never used on disk).
            original = PurePath(upload.name or "").name
            self.staged = stage(reencode_image(upload), original)
        self.fields["image"].widget.staged = self.staged
        self.instance._upload_name = self.staged.original_name
        return self.staged

    def save(self, commit=True):
        photo = super().save(commit=commit)
        if self.staged is not None:
            discard(self.staged)
        return photo


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
