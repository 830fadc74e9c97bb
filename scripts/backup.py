"""Consistent backups of the database: `backup [FILE]` and `restore [FILE]`.

PostgreSQL (DATABASE_URL): pg_dump's custom format, restored with pg_restore --clean.
SQLite: sqlite3's online backup API (a consistent copy even while the site is running).
Default file: var/backups/<UTC timestamp>.dump (PostgreSQL) or .sqlite3; `restore` without a
file takes the newest one there. Media files (photos) are not included: copy MEDIA_ROOT too.
After a restore the public page cache is cleared, so no visitor gets a page of the state before.
"""

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BACKUP_DIR = BASE_DIR / "var" / "backups"


def is_postgresql(db):
    return "postgresql" in db["ENGINE"]


def default_path(db):
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return BACKUP_DIR / f"{stamp}.{'dump' if is_postgresql(db) else 'sqlite3'}"


def latest_backup(db):
    suffix = ".dump" if is_postgresql(db) else ".sqlite3"
    candidates = sorted(BACKUP_DIR.glob(f"*{suffix}"))
    if not candidates:
        raise SystemExit(f"No backup (*{suffix}) in {BACKUP_DIR}.")
    return candidates[-1]


def _pg_env(db):
    """libpq settings passed by environment, so that the password never shows in `ps`."""
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db["NAME"],
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _sqlite_connect(db):
    name = str(db["NAME"])
    return sqlite3.connect(name, uri=name.startswith("file:"))


def backup(db, path=None):
    """Write a consistent copy of the database `db` (a DATABASES entry) to `path`."""
    path = Path(path) if path else default_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_postgresql(db):
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(path)]
        subprocess.run(command, env=_pg_env(db), check=True)
    else:
        source, target = _sqlite_connect(db), sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
    return path


def restore(db, path=None):
    """Replace the contents of the database `db` by the backup at `path`."""
    path = Path(path) if path else latest_backup(db)
    if not path.exists():
        raise SystemExit(f"No such backup: {path}")
    if is_postgresql(db):
        command = [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            db["NAME"],
            str(path),
        ]
        subprocess.run(command, env=_pg_env(db), check=True)
    else:
        source, target = sqlite3.connect(path), _sqlite_connect(db)
        with target:
            source.backup(target)
        source.close()
        target.close()
    clear_pages()
    return path


def clear_pages():
    """No visitor may get a page of the state before the restore (needs django.setup())."""
    from seminars.public.pagecache import clear_pages

    clear_pages()  # never raises: with the cache unavailable there is nothing stored to serve


def main(argv):
    if len(argv) not in (2, 3) or argv[1] not in ("backup", "restore"):
        raise SystemExit("usage: backup.py backup|restore [FILE]")
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    path = argv[2] if len(argv) == 3 and argv[2] else None
    try:
        done = backup(db, path) if argv[1] == "backup" else restore(db, path)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"{argv[1]} failed: {exc.cmd[0]} exited with {exc.returncode}.") from exc
    print(f"{argv[1]}: {done}")


if __name__ == "__main__":
    main(sys.argv)
