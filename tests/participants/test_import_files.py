"""The files of an import: the one between preview and confirm (written only for a preview that
passed, removed when the import is confirmed or fails at that step), the upload kept as it came
for checking it again (one per staff member, removed by a confirmed import), both swept when
abandoned."""

import json
import os
import stat
import time

from seminars.models import Seminar

from .conftest import EDITION, NEW, csv_bytes, delegation_state, row_errors

GOOD_ROWS = [[EDITION, "japan", 60, "", ""], [NEW, "china", 12, "", ""]]


def files_in(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def kept_files(importer):
    """The staff member's upload kept as it came, for checking it again, and its file name."""
    name = f"import-kept-{importer.session['_auth_user_id']}"
    return [name, f"{name}.json"]


def test_preview_refused_by_the_form_keeps_the_upload_as_it_came(known, importer, import_dir):
    data = csv_bytes([[EDITION, "japan", "6\x001", "", ""]])

    response = importer.upload(data)

    assert response.context["form"].errors
    assert "confirm_form" not in response.context
    kept, about = kept_files(importer)
    assert files_in(import_dir) == [kept, about]
    assert (import_dir / kept).read_bytes() == data
    assert json.loads((import_dir / about).read_text()) == {"filename": "counts.csv"}
    for name in (kept, about):
        assert stat.S_IMODE((import_dir / name).stat().st_mode) == 0o600


def test_preview_refused_for_its_rows_keeps_only_the_last_upload(known, importer, import_dir):
    for rows, file_format in [
        ([[99, "japan", 1, "", ""]], "csv"),
        ([[EDITION, "mars", 1, "", ""]], "xlsx"),
    ]:
        response = importer.upload_rows(rows, file_format)

        assert row_errors(response) and "confirm_form" not in response.context
        assert files_in(import_dir) == kept_files(importer)  # the earlier one is replaced


def test_preview_that_passed_keeps_its_file_for_the_server_only(known, importer, import_dir):
    preview = importer.upload_rows(GOOD_ROWS)

    name = preview.context["confirm_form"].initial["import_file_name"]
    assert files_in(import_dir) == sorted([name, *kept_files(importer)])
    assert stat.S_IMODE((import_dir / name).stat().st_mode) == 0o600
    assert (import_dir / name).read_text(encoding="utf-8").startswith("edition,side,")


def test_confirmed_import_removes_its_files(known, importer, import_dir):
    for file_format in ["csv", "xlsx"]:
        done = importer.confirm(importer.upload_rows(GOOD_ROWS, file_format))

        assert done.status_code == 302
        assert files_in(import_dir) == []


def test_confirm_that_fails_the_checks_keeps_only_the_upload(known, importer, import_dir):
    before = delegation_state()
    preview = importer.upload_rows(GOOD_ROWS)
    Seminar.objects.filter(edition=NEW).update(edition=99)

    importer.confirm(preview)

    assert delegation_state() == before
    assert files_in(import_dir) == kept_files(importer)


def test_new_preview_removes_files_of_abandoned_previews(known, importer, import_dir):
    import_dir.mkdir()
    hours = 60 * 60
    for name, age in [("import-abandoned", 3 * hours), ("import-recent", hours)]:
        (import_dir / name).write_bytes(b"edition,side,participant_count\r\n")
        os.utime(import_dir / name, (time.time() - age, time.time() - age))
    (import_dir / "unrelated").write_bytes(b"")
    os.utime(import_dir / "unrelated", (time.time() - 3 * hours, time.time() - 3 * hours))

    preview = importer.upload_rows(GOOD_ROWS)

    name = preview.context["confirm_form"].initial["import_file_name"]
    expected = [name, *kept_files(importer), "import-recent", "unrelated"]
    assert files_in(import_dir) == sorted(expected)
