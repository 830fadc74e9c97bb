"""A text cell of the file compared with the site's text: the same, damaged, misread or edited.

Text columns are never written by an import. Host cities identify the row; descriptions must be
the site's own text or empty. Either way a difference refuses the row, and the message says why:
characters lost to an encoding that lacks them, a file read in the wrong encoding, or an edit."""

import difflib
import unicodedata

from django.utils.translation import gettext as _

from ..exports import unescape_cell
from .reading import ENCODING_NAMES, LEGACY_ENCODINGS

LOST_MARKS = frozenset("?\ufffd")
# File column → the site's field: the host city's name, the delegation's description.
CITY_COLUMNS = {"city_ja": "name_ja", "city_zh_hans": "name_zh_hans"}
DESCRIPTION_COLUMNS = ("description_ja", "description_zh_hans")


def comparable(text):
    """Text as compared with the site: NFC, one kind of line break, no outer spaces."""
    text = unicodedata.normalize("NFC", str(text))
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def lost_characters(value, original):
    """The characters of `original` that `value` shows as “?” or U+FFFD, or "" when `value`
    differs from `original` in any other way."""
    lost = []
    matcher = difflib.SequenceMatcher(None, original, value, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace" or not set(value[j1:j2]) <= LOST_MARKS:
            return ""
        lost.append(original[i1:i2])
    return "".join(lost)


def spelled_alike(value, original):
    """`value` is `original` as a legacy encoding spells it (〜 comes back from CP932 as ～)."""
    for encoding in LEGACY_ENCODINGS:
        try:
            data = original.encode(encoding)
        except UnicodeEncodeError:
            continue
        if data.decode(encoding) == value:
            return True
    return False


def misread(value, original):
    """(written, read): `original` saved in one encoding and read in another gives `value`."""
    for written in ("utf-8", *LEGACY_ENCODINGS):
        data = original.encode(written, errors="replace")
        for read in ("utf-8", *LEGACY_ENCODINGS):
            if read != written and comparable(data.decode(read, errors="replace")) == value:
                return ENCODING_NAMES[written], ENCODING_NAMES[read]
    return None


def diagnose_text(value, original):
    """How a file's text cell relates to the site's text:

    ("same", None), ("lost", characters), ("misread", (written, read)) or ("different", None)."""
    value, original = comparable(value), comparable(original)
    if value == original or spelled_alike(value, original):
        return "same", None
    if LOST_MARKS.intersection(value):
        lost = lost_characters(value, original)
        if lost:
            return "lost", lost
    encodings = misread(value, original)
    if encodings:
        return "misread", encodings
    return "different", None


# --- messages for a row --------------------------------------------------------------------


def city_errors(row, seminar):
    """{column: [message]} for host-city cells that are not the edition's city."""
    errors = {}
    for column, name_field in CITY_COLUMNS.items():
        value, city = cell_text(row.get(column)), getattr(seminar.city, name_field) or ""
        if not value or not city:  # nothing given, or nothing on the site to compare with
            continue
        message = text_problem(value, city)
        if message is DIFFERENT:
            message = _("Edition %(edition)s was held in %(city)s, not “%(value)s”.") % {
                "edition": seminar.edition,
                "city": city,
                "value": shorten(value),
            }
        if message:
            errors[column] = [message]
    return errors


def description_errors(row, site):
    """{column: [message]} for description cells that are not the site's text (`site`: the
    delegation's descriptions, None for a new delegation)."""
    errors = {}
    for column in DESCRIPTION_COLUMNS:
        value, original = cell_text(row.get(column)), (site or {}).get(column) or ""
        if not value:
            continue
        if not original:
            errors[column] = [
                _(
                    "An import does not write descriptions, and the site has none here: leave "
                    "this cell empty and enter the description on the delegation's page."
                )
            ]
            continue
        message = text_problem(value, original)
        if message is DIFFERENT:
            message = _(
                "An import does not change descriptions, and this cell differs from the "
                "site's “%(text)s”. Leave it as exported or empty; descriptions are edited "
                "on the delegation's page."
            ) % {"text": shorten(original)}
        if message:
            errors[column] = [message]
    return errors


DIFFERENT = object()


def text_problem(value, original):
    """None when the file's text is the site's; a message when characters were lost or the file
    was read in the wrong encoding; DIFFERENT when it is simply other text."""
    kind, detail = diagnose_text(value, original)
    if kind == "same":
        return None
    if kind == "lost":
        return _(
            "“%(value)s” has lost characters (%(characters)s): the file was saved in an encoding "
            "that cannot hold them, such as Shift_JIS for Simplified Chinese. Export the file as "
            "XLSX, or in the counts-only layout, and import that."
        ) % {"value": shorten(value), "characters": ", ".join(dict.fromkeys(detail))}
    if kind == "misread":
        written, read = detail
        return _(
            "“%(value)s” is “%(text)s” saved as %(written)s and read as %(read)s. Choose "
            "%(written)s as the encoding and upload the file again."
        ) % {"value": shorten(value), "text": shorten(original), "written": written, "read": read}
    return DIFFERENT


def cell_text(value):
    """A text cell as the export wrote it: stripped, the formula escape undone ("" if blank)."""
    if value is None or not str(value).strip():
        return ""
    return unescape_cell(str(value).strip())


def shorten(text, length=80):
    return text if len(text) <= length else text[: length - 1] + "…"
