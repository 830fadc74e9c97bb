"""Every translation catalog is complete in both languages, and its committed .mo matches it."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(
    path
    for path in ROOT.glob("**/locale/*/LC_MESSAGES/django*.po")
    if ".venv" not in path.parts and "var" not in path.parts
)
# Japanese glyphs that proper Simplified Chinese writes differently (綿陽 → 绵阳, 弁公室 → 办公室).
JAPANESE_ONLY_GLYPHS = set("綿弁図気単県駅円価辺関広変")


def test_both_languages_have_catalogs_for_every_app():
    languages = {path.parts[-3] for path in CATALOGS}
    assert languages == {"ja", "zh_Hans"}
    by_folder = {}
    for path in CATALOGS:
        by_folder.setdefault(path.parents[2], set()).add(path.parts[-3])
    assert all(found == {"ja", "zh_Hans"} for found in by_folder.values()), by_folder


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_fully_translated(path):
    catalog = polib.pofile(str(path))
    assert catalog.untranslated_entries() == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_mo_matches_its_po(path):
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(path.with_suffix(".mo")))
    }
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(path)).translated_entries()
    }
    assert compiled == source


@pytest.mark.parametrize(
    "path",
    [p for p in CATALOGS if p.parts[-3] == "zh_Hans"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_chinese_catalog_uses_simplified_glyphs(path):
    for entry in polib.pofile(str(path)).translated_entries():
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        wrong = {glyph for text in texts for glyph in text if glyph in JAPANESE_ONLY_GLYPHS}
        assert not wrong, f"{entry.msgid!r}: {sorted(wrong)}"
