"""Delegation counts in and out of spreadsheets (django-import-export).

An export's header row and sides are in the staff member's language ("開催回", "日本側"); an import
reads them in either language, and the machine names (`edition`, `japan`) too, so any export can
be edited in Excel and imported again. Every problem is reported with the file's row number (the
header is row 1) and its column.

An import writes counts only: a data steward owns them, while the descriptions belong to editors
and translators, and a spreadsheet round trip is exactly where text gets damaged (Excel on
Japanese Windows saves CSV in Shift_JIS, which has no 关 or 员). The file's other columns are
checked against the site instead: fiscal year and host city identify the row, and a description
must be the site's own text (or empty). A cell that differs refuses the file, saying whether its
characters were lost, the file was read in the wrong encoding, or the text was edited."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import InvalidRow, Result, RowResult

from seminars.models import Seminar
from seminars.record import versions

from .exports import unescape_cell
from .imports.headers import (
    ALLOWED_COLUMNS,
    COUNTS_ONLY_COLUMNS,
    EXPORT_ORDER,
    column_header,
    header_errors,
    machine_headers,
)
from .imports.text import DESCRIPTION_COLUMNS, LOST_MARKS, city_errors, description_errors
from .models import Delegation, Side

# Model field → file column, for the errors raised by the model's own validation.
COLUMN_OF_FIELD = {"seminar": "edition"}


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# Digits as Excel and IMEs write them: "59", "59.0", "1,200", and full-width "５９" or "１，２００".
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?\Z")


def parse_whole_number(value):
    """A whole number ≥ 0 from a CSV string or an XLSX number; ValueError says what is wrong.

    Full-width digits (５９, as a Japanese or Chinese IME types them), digit-group commas and
    Excel's "59.0" are read as the number; 59.5, -3 and text are refused."""
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, str):
        text = value.strip()
        digits = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u2212", "-")
        if not _NUMBER_TEXT.match(digits):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
        number = Decimal(digits.replace(",", ""))
    elif isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
    if number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    if number < 0:
        raise ValueError(_("“%(value)s” is negative; counts are 0 or more.") % {"value": value})
    return int(number)


def version_errors(seminar, previewed):
    """At the confirm step: the edition must be as it was at the preview (its row stays locked)."""
    if previewed is None:
        return {}  # the preview itself
    try:
        loaded = previewed.get(str(seminar.pk), 0)
        versions.check_current(seminar.pk, loaded, refused=versions.PREVIEW)
    except ValidationError as stale:
        return {"edition": list(stale.messages)}
    return {}


class SeminarEditionWidget(widgets.ForeignKeyWidget):
    """A seminar by its edition number (the N in 第N回), the stable key staff know."""

    def __init__(self, **kwargs):
        super().__init__(Seminar, field="edition", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            raise ValueError(_("The edition is required."))
        edition = parse_whole_number(value)
        seminar = Seminar.objects.select_related("city").filter(edition=edition).first()
        if seminar is None:
            raise ValueError(
                _("There is no seminar with edition %(edition)s.") % {"edition": edition}
            )
        return seminar


class SideWidget(widgets.Widget):
    """`japan` / `china`; the labels in either language (日本側, 中方…) are accepted too."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            raise ValueError(_("The side is required."))
        text = str(value).strip()
        if text.lower() in Side.values:
            return text.lower()
        if set(text) <= LOST_MARKS:
            raise ValueError(
                _(
                    "“%(value)s” has lost its characters: the file was saved in an encoding that "
                    "cannot hold them. Save it from Excel as “CSV UTF-8 (comma delimited)” or as "
                    "XLSX, and import it again."
                )
                % {"value": text}
            )
        for language in ("ja", "zh-hans"):
            with translation.override(language):
                for side in Side:
                    if text == str(side.label):
                        return side.value
        raise ValueError(
            _("Unknown side “%(value)s”: write %(choices)s.")
            % {"value": text, "choices": " / ".join(str(side.label) for side in Side)}
        )

    def render(self, value, obj=None, **kwargs):
        """The side's name in the staff language (日本側 / 中方), as the import reads it back."""
        return str(Side(value).label) if value in Side.values else (value or "")


class CountWidget(widgets.IntegerWidget):
    """Strict: no fractions, no negative numbers, no text, no silent rounding."""

    def clean(self, value, row=None, **kwargs):
        if _is_blank(value):
            raise ValueError(_("The participant count is required."))
        return parse_whole_number(value)


class SafeTextWidget(widgets.Widget):
    """Text that undoes the export's formula escaping (a leading apostrophe)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        return unescape_cell(str(value).strip())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SpreadsheetRowResult(Result):
    """Numbers rows as the spreadsheet does: the header is row 1, the first data row is 2."""

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + 1, row, errors)

    def append_invalid_row(self, number, row, validation_error):
        # The row's cells as the file has them (the library lines them up with the preview's
        # columns, which a file need not have).
        self.invalid_rows.append(InvalidRow(number + 1, validation_error, list(row.values())))


def _column(name, attribute=None, **kwargs):
    """The field of file column `name`, reading the model's `attribute` (the same name if None)."""
    return fields.Field(attribute=attribute or name, column_name=name, **kwargs)


class DelegationResource(resources.ModelResource):
    edition = _column("edition", "seminar", widget=SeminarEditionWidget())
    fiscal_year = _column(
        "fiscal_year", "seminar__fiscal_year", readonly=True, widget=widgets.IntegerWidget()
    )
    city_ja = _column("city_ja", "seminar__city__name_ja", readonly=True)
    city_zh_hans = _column("city_zh_hans", "seminar__city__name_zh_hans", readonly=True)
    side = _column("side", widget=SideWidget())
    participant_count = _column("participant_count", widget=CountWidget())
    # Exported for reading; on import compared with the site, never written.
    description_ja = _column("description_ja", readonly=True, widget=SafeTextWidget())
    description_zh_hans = _column("description_zh_hans", readonly=True, widget=SafeTextWidget())

    class Meta:
        model = Delegation
        fields = ALLOWED_COLUMNS
        export_order = EXPORT_ORDER
        import_order = EXPORT_ORDER  # the preview's columns, as the export orders them
        import_id_fields = ("edition", "side")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen_keys = {}
        self._descriptions = {}
        self._checked_editions = set()

    @classmethod
    def get_display_name(cls):
        return _("Counts with host city and descriptions")

    def get_result_class(self):
        return SpreadsheetRowResult

    def get_queryset(self):
        return super().get_queryset().select_related("seminar__city")

    def get_diff_headers(self):
        """The preview's columns in the staff language, as the export heads them."""
        return [column_header(field.column_name) for field in self.get_import_fields()]

    def import_data(self, dataset, **kwargs):
        result = super().import_data(dataset, **kwargs)
        # The file's columns (machine names once `before_import` read them), for messages.
        result.file_columns = list(dataset.headers or [])
        return result

    def get_export_headers(self, selected_fields=None):
        return [column_header(name) for name in super().get_export_headers(selected_fields)]

    def init_instance(self, row=None):
        # A new delegation starts with empty descriptions: the import never writes text.
        return Delegation(**dict.fromkeys(DESCRIPTION_COLUMNS, ""))

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("seminar__city")

    def before_import(self, dataset, **kwargs):
        """Refuse a file whose header row is wrong before any row is read."""
        dataset.headers = machine_headers(dataset.headers or [])
        self._seen_keys = {}
        self._descriptions = {}
        self._checked_editions = set()
        errors = header_errors(dataset.headers)
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        if all(_is_blank(value) for value in row.values()):
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, row_number=None, **kwargs):
        """Check every cell first, so a bad key is a row error, never a crash."""
        errors = {}
        cleaned = {}
        for name in ("edition", "side", "participant_count"):
            field = self.fields[name]
            try:
                cleaned[name] = field.clean(row)
            except ValueError as error:
                errors[name] = [str(error)]
        if "edition" in cleaned and not _is_blank(row.get("fiscal_year")):
            self._check_fiscal_year(row["fiscal_year"], cleaned["edition"], errors)
        if "edition" in cleaned:
            errors.update(city_errors(row, cleaned["edition"]))
            if cleaned["edition"].pk not in self._checked_editions:  # once: its row stays locked
                self._checked_editions.add(cleaned["edition"].pk)
                errors.update(version_errors(cleaned["edition"], kwargs.get("edition_versions")))
        if "edition" in cleaned and "side" in cleaned:
            site = self._site_descriptions(cleaned["edition"], cleaned["side"])
            errors.update(description_errors(row, site))
            key = (cleaned["edition"].edition, cleaned["side"])
            first = self._seen_keys.setdefault(key, (row_number or 0) + 1)
            if first != (row_number or 0) + 1:
                errors.setdefault("side", []).append(
                    _("Edition %(edition)s, side %(side)s is already in row %(row)s.")
                    % {"edition": key[0], "side": Side(key[1]).label, "row": first}
                )
        if errors:
            raise ValidationError(errors)

    def _check_fiscal_year(self, value, seminar, errors):
        try:
            year = parse_whole_number(value)
        except ValueError as error:
            errors["fiscal_year"] = [str(error)]
            return
        if year != seminar.fiscal_year:
            errors["fiscal_year"] = [
                _("Edition %(edition)s was held in fiscal year %(year)s, not %(value)s.")
                % {"edition": seminar.edition, "year": seminar.fiscal_year, "value": year}
            ]

    def _site_descriptions(self, seminar, side):
        """The delegation's descriptions on the site, None for a new one (a query per edition)."""
        if seminar.pk not in self._descriptions:
            delegations = Delegation.objects.filter(seminar=seminar)
            self._descriptions[seminar.pk] = {
                values["side"]: values
                for values in delegations.values("side", *DESCRIPTION_COLUMNS)
            }
        return self._descriptions[seminar.pk].get(side)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    COLUMN_OF_FIELD.get(key, key): messages
                    for key, messages in error.message_dict.items()
                }
            ) from None


class DelegationCountsResource(DelegationResource):
    """The counts-only layout, for editing in Excel: exported only (imports read any layout)."""

    class Meta(DelegationResource.Meta):
        fields = COUNTS_ONLY_COLUMNS
        export_order = COUNTS_ONLY_COLUMNS

    @classmethod
    def get_display_name(cls):
        return _("Counts only (edition, fiscal year, side, count)")
