"""The header row of a delegation file: its columns, their headers in the staff language (as the
export writes them), and what is wrong with a header row, said in the staff member's words.

An import reads headers in Japanese, in Chinese or as machine names (`edition`), so any export can
be edited in Excel and imported again. A header row that is one cell of semicolon- or tab-separated
names, that is text read in the wrong encoding, or whose characters came back as "?" (saved
through an encoding without them) is explained with its fix."""

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import ENCODING_NAMES, column_letter
from .text import LOST_MARKS

REQUIRED_COLUMNS = ("edition", "side", "participant_count")
# Exported for reading only; accepted (and checked) on import so that an export re-imports.
INFORMATIVE_COLUMNS = ("fiscal_year", "city_ja", "city_zh_hans")
OPTIONAL_COLUMNS = ("description_ja", "description_zh_hans")
ALLOWED_COLUMNS = (*REQUIRED_COLUMNS, *INFORMATIVE_COLUMNS, *OPTIONAL_COLUMNS)
EXPORT_ORDER = (
    "edition",
    "fiscal_year",
    "city_ja",
    "city_zh_hans",
    "side",
    "participant_count",
    "description_ja",
    "description_zh_hans",
)
# The counts-only layout: the four columns a data steward edits in Excel.
COUNTS_ONLY_COLUMNS = ("edition", "fiscal_year", "side", "participant_count")


# The header of each column in the staff language; an import reads either language.
COLUMN_LABELS = {
    "edition": gettext_lazy("edition"),
    "fiscal_year": gettext_lazy("fiscal year"),
    "city_ja": gettext_lazy("host city (Japanese)"),
    "city_zh_hans": gettext_lazy("host city (Chinese)"),
    "side": gettext_lazy("side"),
    "participant_count": gettext_lazy("participant count"),
    "description_ja": gettext_lazy("description (Japanese)"),
    "description_zh_hans": gettext_lazy("description (Chinese)"),
}
HEADER_LANGUAGES = ("ja", "zh-hans")


def column_header(name):
    """The column's header in the active language ("参加者数"); the name itself if unknown."""
    label = COLUMN_LABELS.get(name)
    return capfirst(str(label)) if label is not None else name


def _header_key(text):
    return "".join(str(text).split()).casefold()


def _machine_names():
    names = {_header_key(name): name for name in ALLOWED_COLUMNS}
    for language in HEADER_LANGUAGES:
        with translation.override(language):
            names.update({_header_key(label): name for name, label in COLUMN_LABELS.items()})
    return names


def machine_headers(headers):
    """A header row with every known header, in either language, as its machine name."""
    names = _machine_names()
    cleaned = [(h or "").strip() if isinstance(h, str) or h is None else str(h) for h in headers]
    return [names.get(_header_key(h), h) for h in cleaned]


def header_errors(headers):
    """Messages for missing and unknown columns (an empty list when the header row is fine)."""
    headers = machine_headers(headers or [])
    errors = []
    separator = wrong_separator(headers)
    if separator:
        return [separator]
    misread = misread_encoding(headers)
    if misread:
        return [misread]
    lost = lost_headers(headers)
    if lost:
        return [lost]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing:
        errors.append(
            _("Missing column(s): %(columns)s.")
            % {"columns": ", ".join(column_header(c) for c in missing)}
        )
    for index, header in enumerate(headers):
        if header and header not in ALLOWED_COLUMNS:
            errors.append(
                _("Unknown column “%(column)s” (column %(letter)s, row 1).")
                % {"column": header, "letter": column_letter(index)}
            )
    seen = set()
    for index, header in enumerate(headers):
        if header in seen:
            errors.append(
                _("Column “%(column)s” appears twice (column %(letter)s, row 1).")
                % {"column": column_header(header), "letter": column_letter(index)}
            )
        if header:
            seen.add(header)
    return errors


SEPARATORS = {";": gettext_lazy("semicolons (;)"), "\t": gettext_lazy("tabs")}


def wrong_separator(headers):
    """A message when the header row is one cell holding the columns separated by ; or tabs."""
    if len(headers) != 1 or not headers[0]:
        return None
    for separator, name in SEPARATORS.items():
        parts = [part.strip() for part in headers[0].split(separator)]
        if len(parts) > 1 and any(part in ALLOWED_COLUMNS for part in machine_headers(parts)):
            return _(
                "The columns of this file are separated by %(separator)s, not commas. Save it "
                "from Excel as “CSV UTF-8 (comma delimited)” or as XLSX, and import it again."
            ) % {"separator": name}
    return None


# (the encoding a file was read in, the one it was saved in): Excel's legacy encodings.
MISREADINGS = [("gb18030", "cp932"), ("cp932", "gb18030")]


def misread_encoding(headers):
    """A message when the headers are Japanese or Chinese headers read in the wrong encoding."""
    names = _machine_names()
    for header in headers:
        if not header or header in ALLOWED_COLUMNS:
            continue
        for read_as, saved_in in MISREADINGS:
            try:
                repaired = header.encode(read_as).decode(saved_in)
            except UnicodeError:
                continue
            if _header_key(repaired) in names:
                return _(
                    "The header row is %(saved)s text read as %(read)s. Choose %(saved)s as "
                    "the encoding and upload the file again."
                ) % {"saved": ENCODING_NAMES[saved_in], "read": ENCODING_NAMES[read_as]}
    return None


def lost_headers(headers):
    """A message when headers came back as "??": saved through an encoding without their
    characters (Shift_JIS has no 类 or 别, Latin-1 no Japanese or Chinese at all)."""
    damaged = [
        _("“%(header)s” (column %(letter)s)") % {"header": header, "letter": column_letter(index)}
        for index, header in enumerate(headers)
        if header and header not in ALLOWED_COLUMNS and LOST_MARKS.intersection(header)
    ]
    if not damaged:
        return None
    return _(
        "The header row has lost characters: %(headers)s. The file was saved in an encoding "
        "that cannot hold Chinese or Japanese (a plain “CSV” from Excel is Shift_JIS on Japanese "
        "Windows, which has no Simplified Chinese, and Latin-1 on Western Windows, which has "
        "neither), so Excel wrote “?” in their place. Save the file from Excel as “CSV UTF-8 "
        "(comma delimited)” or as XLSX, and import it again."
    ) % {"headers": ", ".join(damaged)}


def cell_label(column, file_columns=()):
    """ "参加者数（C 列）": a column of the file as staff call it, with its letter if known."""
    if column not in file_columns:
        return column_header(column)
    return _("%(header)s (column %(letter)s)") % {
        "header": column_header(column),
        "letter": column_letter(list(file_columns).index(column)),
    }
