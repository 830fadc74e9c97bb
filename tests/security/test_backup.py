"""`make backup` / `make restore`: a round trip gives back exactly the same data."""

import importlib.util
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from participants.models import Delegation
from seminars.models import Seminar
from tests.factories import make_edition, make_seminar

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "backup.py"
spec = importlib.util.spec_from_file_location("backup_script", SCRIPT)
backup_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(backup_script)


def dump():
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", "--indent=0", "--exclude=sessions", stdout=out)
    return out.getvalue()


def record():
    """Three editions built with factories, two of them complete."""
    return make_seminar(1), make_edition(5), make_edition(6)


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_the_same_data(tmp_path):
    first, fifth, sixth = record()
    before = dump()
    db = connection.settings_dict
    connection.close()  # the backup tools need the database to themselves on SQLite
    path = backup_script.backup(db, tmp_path / "round-trip")
    assert path.stat().st_size > 10_000

    Seminar.objects.filter(pk=sixth.pk).update(theme_ja="上書きされたテーマ")
    assert Delegation.objects.filter(seminar=fifth).delete()[1]["participants.Delegation"] == 2
    Seminar.objects.filter(pk=first.pk).delete()
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
    _first, _fifth, sixth = record()
    url = f"/ja/seminars/{sixth.edition}/"
    db = connection.settings_dict
    connection.close()
    path = backup_script.backup(db, tmp_path / "before-edit")
    Seminar.objects.filter(pk=sixth.pk).update(theme_ja="復元前のテーマ")  # no signal: .update()
    assert "復元前のテーマ" in client.get(url).content.decode()  # now stored

    connection.close()
    backup_script.restore(db, path)

    page = client.get(url).content.decode()
    assert "復元前のテーマ" not in page
    assert Seminar.objects.get(pk=sixth.pk).theme_ja == sixth.theme_ja
    assert sixth.theme_ja in page
