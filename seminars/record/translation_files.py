"""An edition's strings as files for translators and translation tools, and back.

XLIFF 2.1 (translate-toolkit's XLIFF 2 store; the core namespace of 2.1 is 2.0's) for tools, XLSX
(openpyxl) for people. Each string is a unit with its stable id (`model.pk.field`), the source,
the current target and its state: none (missing), translated, or initial with the sub-state
`seminars:stale` (its source changed after it was translated; a note keeps the old source).

Reading a file back gives an `Incoming` (its languages and units); `plan_import` compares it with
the edition as it is now: what would change, and what is refused (an unknown id, a source that
changed since the export, a target over the field's length, text an encoding lost). A file with
any refusal changes nothing.
"""

import io
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from seminars.record import translation_state
from seminars.record.completeness import language_name, languages
from seminars.record.workbench_strings import DONE, STALE, all_strings, length_error

MAX_FILE_BYTES = 5 * 1024 * 1024
XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
STALE_SUBSTATE = "seminars:stale"
# BCP 47 in files; the site's codes inside.
FILE_LANGUAGES = {"ja": "ja", "zh-hans": "zh-Hans"}
# A unit a tool (XLIFF) or a person (XLSX) marked done: a stale target kept so is still correct.
CONFIRMING_STATES = {"translated", "reviewed", "final"}
XLSX_HEADERS = ("id", "where", "field", "source", "target", "state", "source when translated")


class FileRefused(Exception):
    """The file cannot be read; str() says why, in the staff language."""


def site_language(code):
    """The site's code for a file's language tag (zh-Hans, zh-CN, ZH_hans → zh-hans), or None."""
    wanted = (code or "").strip().lower().replace("_", "-")
    aliases = {"zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh": "zh-hans", "ja-jp": "ja"}
    wanted = aliases.get(wanted, wanted)
    return wanted if wanted in languages() else None


def file_name(seminar, source, extension):
    target = translation_state.other_language(source)
    return f"edition-{seminar.edition}-{source}-{target}.{extension}"


def _state_word(string):
    return {DONE: "translated", STALE: "stale"}.get(string.state, "missing")


# --- XLIFF ---------------------------------------------------------------------------------


def export_xliff(seminar, sections, source):
    from translate.storage.xliff2 import Xliff2File  # lxml and the toolkit: only when used

    target = translation_state.other_language(source)
    store = Xliff2File(sourcelanguage=FILE_LANGUAGES[source])
    store.settargetlanguage(FILE_LANGUAGES[target])
    root = store.document.getroot()
    root.set("version", "2.1")
    for string in all_strings(sections):
        unit = store.addsourceunit(string.source)
        unit.setid(string.key)
        segment = unit.xmlelement
        if string.target:
            unit.target = string.target
            segment.set("state", "translated" if string.state == DONE else "initial")
        else:
            segment.set("state", "initial")
        if string.state == STALE:
            segment.set("subState", STALE_SUBSTATE)
        _unit_notes(segment.getparent(), string)
    for node in root.iterchildren(f"{{{XLIFF_NS}}}file"):
        node.set("id", f"edition-{seminar.edition}")
        node.set("original", f"seminar/{seminar.pk}")
    return bytes(store)


def _unit_notes(unit, string):
    """XLIFF 2 keeps notes on the unit, before its segments."""
    from lxml import etree

    notes = etree.Element(f"{{{XLIFF_NS}}}notes")
    note = etree.SubElement(notes, f"{{{XLIFF_NS}}}note", category="location")
    note.text = f"{string.owner}: {string.label}"
    if string.max_length:
        limit = etree.SubElement(notes, f"{{{XLIFF_NS}}}note", category="max-length")
        limit.text = str(string.max_length)
    if string.state == STALE:
        old = etree.SubElement(notes, f"{{{XLIFF_NS}}}note", category="source-when-translated")
        old.text = string.old_source
    unit.insert(0, notes)


@dataclass
class Incoming:
    source: str
    target: str
    units: list = field(default_factory=list)  # (id, source, target or None)
    edition: str = ""


def read_xliff(data):
    from translate.storage.xliff2 import Xliff2File

    try:
        store = Xliff2File.parsestring(data)
    except Exception as error:  # lxml and the toolkit raise many kinds
        raise FileRefused(_("This is not an XLIFF 2 file this site wrote.")) from error
    source = site_language(store.getsourcelanguage())
    target = site_language(store.gettargetlanguage())
    incoming = Incoming(source or "", target or "")
    for node in store.document.getroot().iterchildren(f"{{{XLIFF_NS}}}file"):
        incoming.edition = node.get("original", "")
    for unit in store.units:
        text = unit.target
        state = unit.xmlelement.get("state", "")
        incoming.units.append((unit.getid() or "", unit.source or "", text, state))
    return incoming


# --- XLSX ----------------------------------------------------------------------------------


def export_xlsx(seminar, sections, source):
    # openpyxl only when a file is made (participants/tablib_formats.py: memory of every worker).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    target = translation_state.other_language(source)
    book = Workbook()
    sheet = book.active
    sheet.title = "strings"
    headers = [
        "id",
        _("Where"),
        _("Field"),
        _("Source (%(language)s)") % {"language": language_name(source)},
        _("Translation (%(language)s)") % {"language": language_name(target)},
        _("State"),
        _("Source when translated"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for string in all_strings(sections):
        values = [
            string.key,
            string.owner,
            string.label,
            string.source,
            string.target,
            _state_word(string),
            string.old_source,
        ]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFG", (28, 24, 14, 50, 50, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    about = book.create_sheet("about")
    for row in (
        ("edition", str(seminar.edition)),
        ("seminar", f"seminar/{seminar.pk}"),
        ("source", source),
        ("target", target),
    ):
        about.append(row)
    about.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_xlsx(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        about = {row[0]: row[1] for row in book["about"].iter_rows(values_only=True) if row}
        rows = list(book["strings"].iter_rows(min_row=2, values_only=True))
    except Exception as error:  # zip, XML and key errors alike
        raise FileRefused(
            _("This is not an XLSX file of this site's translation export.")
        ) from error
    incoming = Incoming(
        site_language(str(about.get("source") or "")) or "",
        site_language(str(about.get("target") or "")) or "",
        edition=str(about.get("seminar") or ""),
    )
    for row in rows:
        cells = [("" if value is None else str(value)) for value in (*row, "", "", "", "", "")]
        if not cells[0].strip():
            continue
        incoming.units.append((cells[0].strip(), cells[3], cells[4] or None, cells[5].strip()))
    return incoming


def read_file(upload):
    """An Incoming from an uploaded XLIFF or XLSX file (told apart by content)."""
    if upload.size > MAX_FILE_BYTES:
        raise FileRefused(_("The file is larger than 5 MiB."))
    data = upload.read()
    if data[:2] == b"PK":
        return read_xlsx(data)
    return read_xliff(data)


# --- the plan ------------------------------------------------------------------------------


def comparable(text):
    text = unicodedata.normalize("NFC", str(text or ""))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def lost_text(text, source):
    """Marks that stand for characters an encoding could not hold: U+FFFD anywhere, or "?" where
    the source has none."""
    if "\ufffd" in text:
        return True
    return "?" in text and "?" not in source


@dataclass
class Plan:
    changes: list = field(default_factory=list)  # (String, new text)
    # Stale strings the file keeps as they are but marks translated: "still correct".
    confirmed: list = field(default_factory=list)  # String
    refusals: list = field(default_factory=list)  # messages
    unchanged: int = 0


def plan_import(seminar, sections, source, incoming):
    """What importing `incoming` into `seminar` (strings `sections`, from `source`) would do."""
    plan = Plan()
    target = translation_state.other_language(source)
    if (incoming.source, incoming.target) != (source, target):
        plan.refusals.append(
            _("The file translates %(file)s; this page translates %(page)s.")
            % {"file": _pair(incoming.source, incoming.target), "page": _pair(source, target)}
        )
        return plan
    if incoming.edition and incoming.edition != f"seminar/{seminar.pk}":
        plan.refusals.append(_("The file was exported from another edition."))
        return plan
    by_key = {s.key: s for s in all_strings(sections)}
    seen = set()
    for key, unit_source, text, state in incoming.units:
        reason = _unit_refusal(by_key, seen, key, unit_source, text)
        seen.add(key)
        if reason:
            plan.refusals.append(reason)
        elif _is_change(by_key[key], text):
            plan.changes.append((by_key[key], comparable(text)))
        elif by_key[key].state == STALE and state in CONFIRMING_STATES:
            plan.confirmed.append(by_key[key])
        else:
            plan.unchanged += 1
    return plan


def _is_change(string, text):
    return text is not None and comparable(text) and comparable(text) != comparable(string.target)


def _pair(source, target):
    if not source or not target:
        return _("unknown languages")
    return f"{language_name(source)} → {language_name(target)}"


def _unit_refusal(by_key, seen, key, unit_source, text):
    string = by_key.get(key)
    if string is None:
        return _("%(id)s: no such text in this edition.") % {"id": key}
    if key in seen:
        return _("%(id)s: appears twice in the file.") % {"id": key}
    if comparable(unit_source) != comparable(string.source):
        return _(
            "%(id)s (%(where)s): the source has changed since the export. Export again and "
            "translate the new source."
        ) % {"id": key, "where": f"{string.owner}: {string.label}"}
    if text is None or not comparable(text):
        return None
    if lost_text(comparable(text), string.source):
        return _(
            "%(id)s (%(where)s): the translation contains “?” or U+FFFD in place of "
            "characters: the file was saved in an encoding that cannot hold them. Save it as "
            "UTF-8 and import it again."
        ) % {"id": key, "where": f"{string.owner}: {string.label}"}
    error = length_error(string, comparable(text))
    return f"{key}: {error}" if error else None
