"""The file between preview and confirm, and the file kept for checking again.

The preview keeps the upload in memory; only a file whose preview passed is written, to
`import_dir()`, and the confirm step removes it whatever happens. A preview that is never
confirmed leaves its file behind (nothing tells the server that a browser tab was closed): the
next preview that writes a file removes those older than `STALE_AFTER`.

Each upload is also kept as it came (the last one of each staff member, in the same folder, swept
the same way), so that a refused file need not be picked again: it can be checked again with
another format or encoding, or after the site was corrected. A confirmed import removes it. It is
found by the staff member's id, not through the session: a refused import writes no database row.
"""

import json
import os
import time
from contextlib import suppress
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.tmp_storages import TempFolderStorage

STALE_AFTER = 2 * 60 * 60  # seconds


def import_dir():
    """Where previewed files wait for their confirmation (PARTICIPANTS_IMPORT_DIR, or var/)."""
    folder = getattr(settings, "PARTICIPANTS_IMPORT_DIR", None)
    return Path(folder) if folder else Path(settings.BASE_DIR) / "var" / "imports"


class ImportFileStorage(TempFolderStorage):
    """django-import-export's temporary file, kept in memory during the preview.

    `keep_upload` writes it once the preview passed; the confirm step reads it from there."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._data = None

    def save(self, data):
        self.name = self.name or new_name()
        self._data = data

    def read(self):
        if self._data is None:
            return super().read()
        if "b" in self.read_mode:
            return self._data
        return self._data.decode(self.encoding or "utf-8")

    def remove(self):
        discard_upload(self.name)

    def get_full_path(self):
        return str(import_dir() / os.path.basename(self.name))


def keep_upload(name, upload):
    """Write a previewed file for its confirmation, and remove files of abandoned previews."""
    folder = import_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_stale_uploads()
    path = folder / os.path.basename(name)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)


def new_name():
    return f"import-{uuid4().hex}"


def kept_name(user_id):
    return f"import-kept-{int(user_id)}"


def keep_for(user_id, filename, data):
    """Keep `data` as `user_id`'s last upload (replacing the one before), named `filename`."""
    name = kept_name(user_id)
    for suffix, content in (("", data), (".json", json.dumps({"filename": filename}).encode())):
        partial = new_name()
        keep_upload(partial, SimpleUploadedFile(partial, content))
        os.replace(import_dir() / partial, import_dir() / (name + suffix))


def kept_for(user_id):
    """{"name": its file in `import_dir()`, "filename": as uploaded} or None when there is none."""
    name = kept_name(user_id)
    try:
        filename = json.loads((import_dir() / f"{name}.json").read_text())["filename"]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None
    if not (import_dir() / name).is_file():
        return None
    return {"name": name, "filename": os.path.basename(str(filename))}


def discard_kept(user_id):
    discard_upload(kept_name(user_id))
    discard_upload(f"{kept_name(user_id)}.json")


def read_kept(name):
    """The bytes of a kept upload, or None when it is gone (swept, or the server's disk)."""
    try:
        return (import_dir() / os.path.basename(name)).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def discard_upload(name):
    if name:
        with suppress(FileNotFoundError):
            os.remove(import_dir() / os.path.basename(name))


def remove_stale_uploads(max_age=STALE_AFTER):
    """Remove the files of previews older than `max_age` seconds that nobody confirmed."""
    limit = time.time() - max_age
    with suppress(FileNotFoundError):
        for path in import_dir().glob("import-*"):
            with suppress(FileNotFoundError):
                if path.stat().st_mtime < limit:
                    path.unlink()
