"""What an uploaded file is: its content first, its name second.

The browser sets the format select from the file's extension, and staff rename files. The content
decides: an XLSX workbook is a ZIP archive (it starts with `PK`) holding `xl/workbook.xml`, and
is read as XLSX whatever its name or the chosen format; a file that is neither CSV nor XLSX is
refused saying what it is and how to save it from Excel, never as a problem of its encoding."""

import io
import os
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 (.xls), WPS (.et)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
TEXT_EXTENSIONS = frozenset({"", "csv", "txt"})


def extension(name):
    """ "counts.CSV" → "csv"; "" for a name without one."""
    return os.path.splitext(os.path.basename(name or ""))[1].lstrip(".").lower()


def file_kind(data, name):
    """CSV or XLSX, as the bytes show; a ValidationError naming any other kind of file."""
    if data.startswith(ZIP_SIGNATURE):
        return _archive_kind(data)
    if data.startswith(OLE_SIGNATURE) or extension(name) in ("xls", "et"):
        raise _refusal(
            _(
                "“%(name)s” is an Excel 97–2003 workbook (.xls), which cannot be imported. Open "
                "it in Excel and save it as “Excel Workbook (*.xlsx)” or “CSV UTF-8 (comma "
                "delimited)”."
            ),
            name,
        )
    if data.startswith(UTF16_BOMS):
        raise _refusal(
            _(
                "“%(name)s” is UTF-16 text (Excel's “Unicode Text”), not CSV. Save it from "
                "Excel as “CSV UTF-8 (comma delimited)” or as XLSX."
            ),
            name,
        )
    if (
        data.startswith(b"%PDF")
        or _looks_binary(data)
        or extension(name) not in TEXT_EXTENSIONS | {XLSX}
    ):
        raise _not_a_spreadsheet(name)
    return CSV


def _looks_binary(data, sample=4096):
    """Control characters (other than tab and line breaks) in more than 1 byte of 20 at the
    start: an image or a program, not text (a CSV with one stray NUL is text, told where)."""
    head = data[:sample]
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r")
    return controls * 20 > len(head) > 0


def _archive_kind(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        names, mimetype = set(), b""
    if "xl/workbook.xml" in names:
        return XLSX
    if b"opendocument.spreadsheet" in mimetype:
        raise ValidationError(
            _(
                "This file is an OpenDocument spreadsheet (.ods, from LibreOffice or WPS), not "
                "XLSX. Save it as “Excel 2007-365 (.xlsx)” and import that."
            ),
            code="format",
        )
    raise ValidationError(
        _(
            "This file is a ZIP archive but not an XLSX workbook (it may be a Word document, "
            "a Numbers file or damaged). Open the spreadsheet in Excel and save it as XLSX."
        ),
        code="format",
    )


def _not_a_spreadsheet(name):
    return _refusal(
        _(
            "“%(name)s” is neither CSV nor XLSX. Import the spreadsheet saved from Excel as "
            "“Excel Workbook (*.xlsx)” or “CSV UTF-8 (comma delimited)”."
        ),
        name,
    )


def _refusal(message, name):
    return ValidationError(message % {"name": os.path.basename(name or "")}, code="format")


def mismatch_notice(kind, name, chosen):
    """A message when the file is not what its extension or the chosen format said (the file
    was read as what it is), None when they agree. `chosen` is "csv", "xlsx" or None."""
    said = {extension(name) if extension(name) in (CSV, XLSX) else None, chosen} - {None}
    if not said or said == {kind}:
        return None
    if kind == XLSX:
        message = _(
            "“%(name)s” is an XLSX workbook, not a CSV file: it was read as XLSX (the encoding "
            "does not matter for XLSX)."
        )
    else:
        message = _("“%(name)s” is CSV text, not an XLSX workbook: it was read as CSV.")
    return message % {"name": os.path.basename(name)}
