"""The page cache's file backend keeps a read page's bytes per process (config.cache.FileBytes):
a hit of an unchanged file reads only its metadata, and a file replaced, removed or expired is
never served from what was kept. Another worker is another PageFileCache on the same folder (it
writes and removes files as a separate process does: a new file renamed over the old one)."""

import os
import time

import pytest

from config import cache as file_cache
from config.cache import FileBytes, PageFileCache


@pytest.fixture
def caches(tmp_path, monkeypatch):
    """Two workers' view of one page folder, and the per-process bytes emptied around the test."""
    monkeypatch.setattr(file_cache, "FILE_BYTES", FileBytes(limit=64 * 1024))
    folder = str(tmp_path / "pages")
    return PageFileCache(folder, {}), PageFileCache(folder, {})


@pytest.fixture
def no_file_reads(monkeypatch):
    """Opening a file in config.cache fails the test: the hit must come from the kept bytes."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a page file was opened: {args[0]}")

    def refusing():
        monkeypatch.setattr(file_cache, "open", refuse, raising=False)

    return refusing


def test_second_hit_of_an_unchanged_file_opens_no_file(caches, no_file_reads):
    this, _other = caches
    this.set("page", {"body": "第17回"}, 60)
    assert this.get("page") == {"body": "第17回"}  # read from the file once
    no_file_reads()
    assert this.get("page") == {"body": "第17回"}
    assert this.get("page") is not this.get("page")  # each hit unpickles its own object


def test_a_file_another_worker_replaced_is_read_again_even_at_the_same_size(caches):
    this, other = caches
    for round_ in range(50):  # quick rewrites: the same size, often in the same clock tick
        old, new = f"A{round_:03d}" * 100, f"B{round_:03d}" * 100
        other.set("page", old, 60)
        assert this.get("page") == old
        other.set("page", new, 60)
        assert this.get("page") == new


def test_a_file_another_worker_removed_is_a_miss(caches):
    this, other = caches
    other.set("page", "绵阳", 60)
    assert this.get("page") == "绵阳"
    other.delete("page")
    assert this.get("page", "miss") == "miss"
    other.set("page", "四川", 60)  # written again after the removal: a new file
    assert this.get("page") == "四川"


def test_a_file_removed_then_written_again_at_once_by_this_worker_is_read_again(caches):
    this, _other = caches
    for round_ in range(50):
        this.set("page", f"X{round_:03d}", 60)
        assert this.get("page") == f"X{round_:03d}"
        this.delete("page")
        this.set("page", f"Y{round_:03d}", 60)
        assert this.get("page") == f"Y{round_:03d}"


def test_an_expired_page_is_a_miss_and_its_file_is_removed(caches, monkeypatch):
    this, _other = caches
    this.set("page", "old", 60)
    assert this.get("page") == "old"
    path = this._key_to_file("page")
    later = time.time() + 61
    monkeypatch.setattr(file_cache.time, "time", lambda: later)
    assert this.get("page", "miss") == "miss"
    assert not os.path.exists(path)


def test_kept_bytes_stay_within_their_limit_least_recently_used_first(caches):
    this, _other = caches
    kept = file_cache.FILE_BYTES
    pages = {f"page-{n}": os.urandom(6 * 1024).hex() for n in range(20)}  # ~12 KiB each pickled
    for key, value in pages.items():
        this.set(key, value, 60)
        assert this.get(key) == value
        assert kept.size <= kept.limit
    assert len(kept.entries) < len(pages)
    assert this._key_to_file("page-19") in kept.entries  # the newest stay
    assert this._key_to_file("page-0") not in kept.entries
    assert all(this.get(key) == value for key, value in pages.items())  # misses read the files
