"""An uploaded file read within limits: bytes, encoding, rows, columns, cells, formulas.

Empty rows keep their place, so that row numbers are the spreadsheet's."""

import csv
import io
import re
import zipfile

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000  # data rows; 101 editions × 2 sides is the most the schema holds
MAX_CELL_CHARS = 1000
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX is a zip archive: what it may unpack to
MAX_SCANNED_ROWS = 10 * MAX_ROWS  # empty rows included
MAX_MESSAGES = 10

# Encoding names as Excel and Windows show them (not translated).
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8",
    "utf-8": "UTF-8",
    "cp932": "Shift_JIS (CP932)",
    "gb18030": "GB18030",
}
LEGACY_ENCODINGS = ("cp932", "gb18030")
# What Python's CP932 codec accepts but no real Shift_JIS file contains: unassigned bytes
# come back as C1 controls or private-use characters (U+0080–U+009F, U+E000–U+F8FF). A character
# class, not a set of those 6,432 characters (about 0.8 MiB in every process that imports this).
_NOT_TEXT = re.compile("[\x80-\x9f\ue000-\uf8ff]")


def column_letter(index):
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_label(index, headers):
    """`participant_count (C)`, or only the letter for a column without a header."""
    letter = column_letter(index)
    header = headers[index] if index < len(headers) else ""
    return f"{header} ({letter})" if header else letter


# --- bytes and encodings -------------------------------------------------------------------


def check_size(size):
    if size > MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s bytes); at most %(limit)s bytes can be imported.")
            % {"size": f"{size:,}", "limit": f"{MAX_BYTES:,}"}
        )


def decode_upload(data, encoding):
    """The text of an uploaded file, decoded strictly, or a ValidationError naming the encoding."""
    label = ENCODING_NAMES[encoding]
    if encoding != "utf-8-sig" and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise ValidationError(
                _("This file is UTF-8 text, not %(encoding)s. Choose “UTF-8”.")
                % {"encoding": label}
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = None
    if text is None or _NOT_TEXT.search(text):
        raise ValidationError(
            _("This file is not valid %(encoding)s text. Choose the encoding it was saved in.")
            % {"encoding": label}
        )
    return text


# --- rows and cells ------------------------------------------------------------------------


def _is_blank_cell(value):
    return value is None or (isinstance(value, str) and not value.strip())


class _Reader:
    """Collects the rows of a sheet into a tablib Dataset, checking every cell as it goes.

    Empty rows stay in place so that row numbers match the spreadsheet; trailing ones go."""

    def __init__(self):
        self.headers = None
        self.rows = []
        self.blank = []
        self.errors = []
        self.more = False  # errors beyond MAX_MESSAGES, not listed

    def add(self, number, cells):
        """Add row `number` (1 = the header); False once reading should stop."""
        cells = list(cells)
        if self.headers is None:
            if len(cells) > MAX_COLUMNS:
                self.error(_too_many_columns())
                return False
            self.headers = ["" if c is None else str(c).strip() for c in cells]
            self._check_cells(number, cells)
            return not self.errors
        width = len(self.headers)
        for index in range(width, len(cells)):
            if not _is_blank_cell(cells[index]):
                self.error(
                    _("Row %(row)s has a value in column %(letter)s, which has no header.")
                    % {"row": number, "letter": column_letter(index)}
                )
                break
        cells = (cells + [None] * width)[:width]
        self._check_cells(number, cells)
        if all(_is_blank_cell(c) for c in cells):
            self.blank.append(cells)
        else:
            self.rows.extend(self.blank)
            self.blank = []
            self.rows.append(cells)
            if len(self.rows) > MAX_ROWS:
                self.error(_too_many_rows())
                return False
        return not self.more

    def _check_cells(self, number, cells):
        for index, value in enumerate(cells):
            if not isinstance(value, str):
                continue
            where = {"row": number, "column": column_label(index, self.headers or [])}
            if "\x00" in value:
                self.error(
                    _(
                        "Row %(row)s, column %(column)s contains a NUL byte, which text never "
                        "contains. Save the file again as XLSX or CSV UTF-8."
                    )
                    % where
                )
            elif len(value) > MAX_CELL_CHARS:
                self.error(
                    _(
                        "Row %(row)s, column %(column)s has %(length)s characters; "
                        "a cell may have at most %(limit)s."
                    )
                    % {**where, "length": f"{len(value):,}", "limit": f"{MAX_CELL_CHARS:,}"}
                )

    def error(self, message):
        if len(self.errors) < MAX_MESSAGES:
            self.errors.append(message)
        else:
            self.more = True

    def dataset(self):
        if self.more:
            self.errors.append(_("There are more problems; correct these first."))
        if self.errors:
            raise ValidationError(self.errors)
        dataset = tablib.Dataset(headers=self.headers or [])
        for row in self.rows:
            dataset.append(row)
        return dataset


def _too_many_rows():
    return _(
        "The file has more than %(limit)s rows of data; import at most %(limit)s at a time."
    ) % {"limit": f"{MAX_ROWS:,}"}


def _too_many_columns():
    return _("The sheet has more than %(limit)s columns.") % {"limit": MAX_COLUMNS}


def read_csv(text):
    """A Dataset from CSV text, within the limits; a ValidationError lists what is wrong."""
    reader = _Reader()
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    number = 0
    try:
        for number, row in enumerate(rows, start=1):
            if not reader.add(number, row):
                break
    except csv.Error:
        reader.error(
            _("Row %(row)s could not be read as CSV: check its quotation marks.")
            % {"row": number + 1}
        )
    return reader.dataset()


def read_xlsx(data):
    """A Dataset from the first sheet of an XLSX workbook, within the limits.

    Cells hold the values Excel last calculated; a formula without one is refused."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _("The XLSX file is too large once unpacked (more than %(limit)s bytes).")
            % {"limit": f"{MAX_UNPACKED_BYTES:,}"}
        )
    values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        return _read_sheets(values_book.active, formulas_book.active)
    finally:
        values_book.close()
        formulas_book.close()


def _read_sheets(values, formulas):
    reader = _Reader()
    if (values.max_column or 0) > MAX_COLUMNS:
        reader.error(_too_many_columns())
        return reader.dataset()
    pairs = zip(
        values.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=False
    )
    for number, (row, written) in enumerate(pairs, start=1):
        if number > MAX_SCANNED_ROWS:
            reader.error(_too_many_rows())
            break
        for index, (value, formula) in enumerate(zip(row, written, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                reader.error(
                    _(
                        "Row %(row)s, column %(column)s holds a formula (%(formula)s) whose "
                        "result was never calculated. Open the file in Excel and save it "
                        "again, or type the value."
                    )
                    % {
                        "row": number,
                        "column": column_label(index, reader.headers or []),
                        "formula": formula[:50],
                    }
                )
        if not reader.add(number, row):
            break
    return reader.dataset()
