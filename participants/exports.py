"""Excel-safe files: formula-neutralised cells, CSV as UTF-8 with BOM, files read back within
the import limits, and the streamed participant-count report (one row per seminar) shared by the
command and the admin."""

import csv
import re

from django.db.models import Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from modeltranslation.utils import build_localized_fieldname

from seminars.models import Seminar

from .imports.reading import read_csv, read_xlsx
from .models import Side

BOM = b"\xef\xbb\xbf"
CSV_ENCODING = "utf-8-sig"
# A text cell starting with one of these is read as a formula by Excel or LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")
REPORT_LANGUAGES = ("ja", "zh-hans")
REPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


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


class SafeFormatMixin:
    """Replaces the library's escaping, which only strips a leading "=" and turns
    every cell, numbers included, into text."""

    def _escape_formulae(self, dataset):
        rows = [[safe_cell(cell) for cell in row] for row in dataset]
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)


class SafeCSV(SafeFormatMixin, base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or CSV_ENCODING)
        return read_csv(in_stream)


class SafeXLSX(SafeFormatMixin, base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)


FORMATS = [SafeCSV, SafeXLSX]


# --- the report: one row per seminar ---------------------------------------------------


def report_queryset():
    """Seminars with one participant sum per side and the total, in a single query."""
    sums = {
        f"count_{side}": Sum("delegations__participant_count", filter=Q(delegations__side=side))
        for side in Side.values
    }
    return (
        Seminar.objects.select_related("city")
        .annotate(**sums, count_total=Sum("delegations__participant_count"))
        .order_by("edition")
    )


def report_headers(language):
    with translation.override(language):
        return [
            _("Edition"),
            _("Fiscal year"),
            _("City"),
            _("Theme"),
            *(str(label) for label in Side.labels),
            _("Total"),
        ]


def report_rows(language, chunk_size=CHUNK_SIZE):
    """Data rows of the report, streamed from the database in chunks."""
    city_field = build_localized_fieldname("name", language)
    theme_field = build_localized_fieldname("theme", language)
    for seminar in report_queryset().iterator(chunk_size=chunk_size):
        yield [
            seminar.edition,
            seminar.fiscal_year,
            safe_cell(getattr(seminar.city, city_field)),
            safe_cell(getattr(seminar, theme_field)),
            *(getattr(seminar, f"count_{side}") for side in Side.values),
            seminar.count_total,
        ]


class _Line:
    """A write-only buffer: csv.writer hands back each line instead of storing it."""

    def write(self, value):
        return value


def iter_report_csv(language, chunk_size=CHUNK_SIZE):
    """The report as CSV bytes, UTF-8 with a BOM, one line at a time."""
    writer = csv.writer(_Line())
    yield BOM
    yield writer.writerow(report_headers(language)).encode()
    for row in report_rows(language, chunk_size):
        yield writer.writerow(["" if cell is None else cell for cell in row]).encode()


def write_report_xlsx(stream, language, chunk_size=CHUNK_SIZE):
    """The report as an XLSX workbook written to `stream`, in openpyxl's write-only mode."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(title=_("Participants"))
    sheet.append(report_headers(language))
    for row in report_rows(language, chunk_size):
        sheet.append(row)
    workbook.save(stream)


def write_report(stream, language, file_format, chunk_size=CHUNK_SIZE):
    """Write the report to a binary stream."""
    if file_format == "xlsx":
        write_report_xlsx(stream, language, chunk_size)
        return
    for chunk in iter_report_csv(language, chunk_size):
        stream.write(chunk)


def report_filename(language, file_format):
    return f"participants-{language}.{file_format}"
