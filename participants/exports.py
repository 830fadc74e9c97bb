"""Excel-safe files: formula-neutralised cells, CSV as UTF-8 with BOM, files read back within
the import limits, and the streamed participant-count report (one row per seminar) shared by the
command and the admin."""

import csv
import io
import unicodedata

from django.db.models import Max, Min, Q, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from modeltranslation.utils import build_localized_fieldname

from seminars.models import Seminar

from .cells import safe_cell, unescape_cell  # noqa: F401 (imported from here too)
from .imports.reading import read_csv, read_xlsx
from .models import Side

BOM = b"\xef\xbb\xbf"
CSV_ENCODING = "utf-8-sig"
REPORT_LANGUAGES = ("ja", "zh-hans")
REPORT_FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000


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

    def export_data(self, dataset, **kwargs):
        return polish_xlsx(super().export_data(dataset, **kwargs))


# --- spreadsheets staff open: widths, a frozen header row and a filter -------------------

MIN_WIDTH, MAX_WIDTH = 8, 60


def display_width(value):
    """Columns a value takes in Excel: Japanese and Chinese characters count twice."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(rows):
    """The width of each column for `rows` (the header included), within bounds."""
    widths = []
    for row in rows:
        for index, value in enumerate(row):
            if index >= len(widths):
                widths.append(MIN_WIDTH)
            widths[index] = max(widths[index], min(MAX_WIDTH, display_width(value) + 2))
    return widths


def dress_sheet(sheet, widths, last_row=None):
    """Column widths and the header row frozen (before the rows of a write-only sheet), and a
    filter on the header (once the last row is known)."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    if last_row is not None:
        add_filter(sheet, len(widths), last_row)


def add_filter(sheet, columns, last_row):
    from openpyxl.utils import get_column_letter

    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(last_row, 1)}"


def polish_xlsx(data):
    """tablib's workbook with widths, a frozen header row and a filter."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    dress_sheet(sheet, column_widths(rows), len(rows))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def sheet_title(name, years):
    """ "代表団 2002–2018": what and which years, within Excel's 31 characters."""
    years = sorted(set(years))
    span = "" if not years else f" {years[0]}" if len(years) == 1 else f" {years[0]}–{years[-1]}"
    title = f"{name}{span}"
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]


def file_stem(name, years, today=None):
    """ "delegations-2018", "delegations-2002-2018", or the date for no seminar at all."""
    years = sorted(set(years))
    if not years:
        from django.utils.timezone import localdate

        return f"{name}-{(today or localdate()).isoformat()}"
    if len(years) == 1:
        return f"{name}-{years[0]}"
    return f"{name}-{years[0]}-{years[-1]}"


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


# The report's columns: edition, fiscal year, city, theme, one per side, total.
REPORT_WIDTHS = [8, 10, 14, 60, *(12 for _side in Side.values), 10]


def report_years():
    """The first and last fiscal year of the report (one query)."""
    span = Seminar.objects.aggregate(first=Min("fiscal_year"), last=Max("fiscal_year"))
    return [year for year in span.values() if year is not None]


def write_report_xlsx(stream, language, chunk_size=CHUNK_SIZE):
    """The report as an XLSX workbook written to `stream`, in openpyxl's write-only mode.

    The sheet is named for what and which years it holds; widths, the frozen header row and
    the filter are set as the rows stream (the filter's range once they are counted)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    headers = report_headers(language)
    with translation.override(language):
        sheet = workbook.create_sheet(title=sheet_title(_("Participants"), report_years()))
    widths = [max(w, display_width(h) + 2) for w, h in zip(REPORT_WIDTHS, headers, strict=True)]
    dress_sheet(sheet, widths)
    sheet.append(headers)
    rows = 1
    for row in report_rows(language, chunk_size):
        sheet.append(row)
        rows += 1
    add_filter(sheet, len(widths), rows)
    workbook.save(stream)


def write_report(stream, language, file_format, chunk_size=CHUNK_SIZE):
    """Write the report to a binary stream."""
    if file_format == "xlsx":
        write_report_xlsx(stream, language, chunk_size)
        return
    for chunk in iter_report_csv(language, chunk_size):
        stream.write(chunk)


def report_filename(language, file_format):
    """ "participants-2002-2018-ja.xlsx": what, which years, which language."""
    return f"{file_stem('participants', report_years())}-{language}.{file_format}"
