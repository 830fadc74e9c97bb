"""A second static copy into the same folder rewrites only what changed: the changed edition's
files and the pages listing it keep new bytes, every other file keeps its bytes and its time, and
the copy is the same as a fresh one (complete, no stale file). Each test exports the site two or
three times, the first one rendering and storing the editions' PDFs (5-15 s each on a busy host)."""

import hashlib
import json

import pytest
from django.core.management import call_command

from seminars.models import Seminar
from seminars.record import versions
from seminars.takeaway.export import MANIFEST, export_site
from tests.factories import make_edition

# Each export renders the editions' PDFs (WeasyPrint): a PDF test, run once (the SQLite pass), as
# the others are; the export on each database is tested by tests/takeaway/test_export.py.
pytestmark = [pytest.mark.django_db, pytest.mark.pdf]

BASE_URL = "https://example.org/mirror/"
EDITION_FILES = ("/seminars/5/",)
# Pages that list every edition (its theme, title or dates) and the site's aggregate files.
LISTINGS = (
    "index.html",
    "ja/index.html",
    "zh-hans/index.html",
    "ja/seminars/index.html",
    "zh-hans/seminars/index.html",
    "ja/feed.atom",
    "zh-hans/feed.atom",
    "sitemap.xml",
    "data/",
)


def snapshot(root):
    """{file: (sha256, mtime_ns)} of every file of the copy."""
    return {
        path.relative_to(root).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in root.rglob("*")
        if path.is_file()
    }


def contents(root):
    return {name: digest for name, (digest, _time) in snapshot(root).items() if name != MANIFEST}


@pytest.fixture
def editions():
    return [make_edition(number) for number in (3, 4, 5)]


def test_second_export_rewrites_only_the_changed_edition_and_its_listings(editions, tmp_path):
    copy = tmp_path / "copy"
    export_site(copy, BASE_URL)
    before = snapshot(copy)
    changed = Seminar.objects.get(edition=5)
    changed.theme_ja, changed.theme_zh_hans = "新しいテーマ", "新的主题"
    changed.save()
    versions.bump(changed.pk)

    second = export_site(copy, BASE_URL)
    after = snapshot(copy)

    rewritten = {name for name in after if name in before and after[name] != before[name]}
    rewritten.discard(MANIFEST)
    assert any(name.startswith("ja/seminars/5/") for name in rewritten)
    assert any(name.startswith("zh-hans/seminars/5/") for name in rewritten)
    elsewhere = [
        name
        for name in rewritten
        if "/seminars/5/" not in f"/{name}" and not name.startswith(LISTINGS)
    ]
    assert elsewhere == []
    assert not any("/seminars/3/" in f"/{name}" or "/seminars/4/" in name for name in rewritten)
    assert len(second.written) == len(rewritten) and len(second.unchanged) > len(rewritten)
    # The other editions' own pages were not even rendered again; the changed one's were.
    assert (
        "/ja/seminars/3/" in second.skipped and "/zh-hans/seminars/4/programme/" in second.skipped
    )
    assert not [path for path in second.skipped if "/seminars/5/" in path]
    assert "新しいテーマ" in (copy / "ja" / "seminars" / "5" / "index.html").read_text()
    # Complete: the same files and bytes as a fresh copy of the same site.
    fresh = export_site(tmp_path / "fresh", BASE_URL)
    assert fresh.written and contents(copy) == contents(tmp_path / "fresh")
    manifest = json.loads((copy / MANIFEST).read_text())
    entry = manifest["files"]["ja/seminars/5/index.html"]
    assert entry["editions"] == {"5": versions.current(changed.pk).number}


def test_second_export_removes_the_files_of_an_unpublished_edition(editions, tmp_path):
    copy = tmp_path / "copy"
    export_site(copy, BASE_URL)
    assert (copy / "ja" / "seminars" / "4" / "index.html").is_file()
    Seminar.objects.filter(edition=4).update(status=Seminar.Status.DRAFT)

    second = export_site(copy, BASE_URL)

    assert not (copy / "ja" / "seminars" / "4").exists()
    assert not (copy / "zh-hans" / "seminars" / "4").exists()
    assert "ja/seminars/4/index.html" in second.removed
    export_site(tmp_path / "fresh", BASE_URL)
    assert contents(copy) == contents(tmp_path / "fresh")


def test_export_with_another_base_url_rewrites_every_file(editions, tmp_path):
    copy = tmp_path / "copy"
    export_site(copy, BASE_URL)

    second = export_site(copy, "https://example.net/")

    assert second.unchanged == [] and second.written
    assert "example.org" not in (copy / "sitemap.xml").read_text()


def test_renamed_city_renders_its_editions_again(editions, tmp_path, capsys):
    """A city's name is on its editions' pages but not in their version: they are rendered again."""
    copy = tmp_path / "copy"
    call_command("export_site", str(copy), base_url=BASE_URL)
    city = editions[0].city
    city.name_ja, city.name_zh_hans = "新市名", "新市名"
    city.save()

    call_command("export_site", str(copy), base_url=BASE_URL)

    assert "新市名" in (copy / "ja" / "seminars" / "3" / "index.html").read_text()
    assert capsys.readouterr().out.splitlines()[-1].rstrip("。.").endswith("0")  # none removed
    export_site(tmp_path / "fresh", BASE_URL)
    assert contents(copy) == contents(tmp_path / "fresh")


def test_export_removes_nothing_outside_the_copy_whatever_its_manifest_says(editions, tmp_path):
    copy, outside = tmp_path / "copy", tmp_path / "keep.txt"
    outside.write_text("not part of the copy")
    export_site(copy, BASE_URL)
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["files"][str(outside)] = {"sha256": "0", "size": 20}
    manifest["files"]["../keep.txt"] = {"sha256": "0", "size": 20}
    (copy / MANIFEST).write_text(json.dumps(manifest))

    export_site(copy, BASE_URL)

    assert outside.read_text() == "not part of the copy"
