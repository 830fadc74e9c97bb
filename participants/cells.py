"""Formula-neutralised spreadsheet cells, without the import machinery of participants.exports.

The public open data (seminars.takeaway.opendata) escapes its cells the same way; importing them
from here keeps django-import-export, tablib's formats and PyYAML out of a web worker that only
serves public pages (participants.exports, which needs them, re-exports these names).
"""

import re

# A text cell starting with one of these is read as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe.

    Numbers, and text that is only a number such as "-5", are left as they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def unescape_cell(value):
    """The inverse of `safe_cell` on import, so that an export can be re-imported unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value
