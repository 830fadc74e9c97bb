"""Fill the gettext catalogs from the translation tables in translations/*.json.

Each table maps a msgid (the English source string, exactly as in the code) to its Japanese and
Simplified Chinese translations: {"Host cities": {"ja": "開催地", "zh_Hans": "举办地"}}. For a
plural entry the value holds lists: {"ja": ["…"], "zh_Hans": ["…"]} (both languages have one form).
A context-qualified msgid is written "context\x04msgid", as gettext stores it.

Usage (run from the project root; `make messages` does all three steps):
    python manage.py makemessages -l ja -l zh_Hans --no-obsolete --no-wrap -i .venv ...
    python scripts/i18n_fill.py            # fills empty and fuzzy entries, reports what is left
    python manage.py compilemessages --ignore=.venv

Existing translations are never overwritten unless the entry is fuzzy (makemessages' guess) or
the table is given with --force.
"""

import argparse
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIRS = ["locale", "seminars/locale", "participants/locale"]
LANGUAGES = ["ja", "zh_Hans"]


def load_tables():
    table = {}
    for path in sorted((ROOT / "translations").glob("*.json")):
        for msgid, value in json.loads(path.read_text(encoding="utf-8")).items():
            table[msgid] = value
    return table


def key_of(entry):
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def fill(force=False):
    table = load_tables()
    missing = []
    for catalog_dir in CATALOG_DIRS:
        for language in LANGUAGES:
            path = ROOT / catalog_dir / language / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            catalog = polib.pofile(str(path), wrapwidth=0)
            changed = False
            for entry in catalog:
                if entry.obsolete:
                    continue
                fuzzy = "fuzzy" in entry.flags
                empty = not (entry.msgstr or any(entry.msgstr_plural.values()))
                value = table.get(key_of(entry), {}).get(language)
                if value is not None and (empty or fuzzy or force):
                    if entry.msgid_plural:
                        forms = value if isinstance(value, list) else [value]
                        entry.msgstr_plural = dict(enumerate(forms))
                    else:
                        entry.msgstr = value if isinstance(value, str) else value[0]
                    if fuzzy:
                        entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                    entry.previous_msgid_plural = None
                    entry.previous_msgctxt = None
                    changed = True
                elif empty or fuzzy:
                    missing.append(f"{path.relative_to(ROOT)}: {key_of(entry)!r}")
            if changed:
                catalog.save(str(path))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="overwrite existing translations")
    args = parser.parse_args()
    missing = fill(force=args.force)
    for line in missing:
        print(f"untranslated or fuzzy: {line}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
