"""`make backup` / `make restore`: a round trip gives back exactly the same data."""

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from participants.models import Delegation
from seminars.models import Seminar

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup.py"
spec = importlib.util.spec_from_file_location("backup_script", SCRIPT)
backup_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(backup_script)


def dump():
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", "--indent=0", "--exclude=sessions", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_the_same_data(tmp_path):
    call_command("loaddata", "seminars", "participants", verbosity=0)
    before = dump()
    db = connection.settings_dict
    connection.close()  # the backup tools need the database to themselves on SQLite
    path = backup_script.backup(db, tmp_path / "round-trip")
    assert path.stat().st_size > 10_000

    Seminar.objects.filter(edition=17).update(theme_ja="上書きされたテーマ")
    Delegation.objects.filter(seminar__edition=16).delete()
    Seminar.objects.filter(edition=1).delete()
    assert dump() != before

    connection.close()
    backup_script.restore(db, path)
    assert dump() == before


def test_restore_refuses_a_missing_file(tmp_path):
    db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    with pytest.raises(SystemExit, match="No such backup"):
        backup_script.restore(db, tmp_path / "missing.sqlite3")


def test_backup_default_name_is_timestamped():
    pg = {"ENGINE": "django.db.backends.postgresql", "NAME": "seminars"}
    path = backup_script.default_path(pg)
    assert path.parent == backup_script.BACKUP_DIR
    assert path.suffix == ".dump" and path.stem.endswith("Z")


@pytest.mark.django_db(transaction=True)
def test_restore_clears_the_public_pages(tmp_path, client):
    call_command("loaddata", "seminars", "participants", verbosity=0)
    db = connection.settings_dict
    connection.close()
    path = backup_script.backup(db, tmp_path / "before-edit")
    Seminar.objects.filter(edition=17).update(theme_ja="復元前のテーマ")  # no signal: .update()
    assert "復元前のテーマ" in client.get("/ja/seminars/17/").content.decode()  # now stored

    connection.close()
    backup_script.restore(db, path)

    page = client.get("/ja/seminars/17/").content.decode()
    assert "復元前のテーマ" not in page
    assert Seminar.objects.get(edition=17).theme_ja in page
