"""Staff forms: the delegation import (with the file's encoding and its limits), the export
(with its layouts) and the report download."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .exports import REPORT_FORMATS, REPORT_LANGUAGES
from .imports import kinds, reading
from .imports.files import read_kept
from .imports.headers import ALLOWED_COLUMNS, COLUMN_LABELS, header_errors, machine_headers

ENCODINGS = [
    ("utf-8-sig", _("UTF-8 (with or without BOM)")),
    ("cp932", _("Shift_JIS (CP932, Japanese Excel)")),
    ("gb18030", _("GB18030 (Chinese Excel)")),
]


class DelegationImportForm(ImportForm):
    """The file (or the one kept from the last upload), what it is, and its encoding for CSV.

    The format is taken from the file itself (`kinds`); the select only says what staff expect,
    and a file that is something else is read as what it is, with a notice (`notices`)."""

    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=ENCODINGS,
        initial="utf-8-sig",
        help_text=_(
            "For CSV files only. For a file edited in Excel, XLSX is the safe choice: it keeps "
            "Japanese and Chinese text intact. Excel saves “CSV UTF-8” as UTF-8, a plain CSV "
            "as Shift_JIS (CP932) on Japanese Windows and as GB18030 on Chinese Windows."
        ),
    )
    field_order = ["resource", "import_file", "format", "encoding"]
    # Shown on the import page.
    limits = {
        "megabytes": reading.MAX_BYTES // (1024 * 1024),
        "rows": reading.MAX_ROWS,
        "characters": reading.MAX_CELL_CHARS,
    }

    def __init__(self, formats, resources, kept=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.kept = kept  # {"name": ..., "filename": ...}: the last upload, kept on the server
        self.notices = []
        # Without a new file, the kept one is checked again.
        self.fields["import_file"].required = False
        self.fields["format"].required = False
        self.fields["format"].choices = [
            ("", _("From the file (its content and extension)")),
            *self.fields["format"].choices[1:],
        ]
        self.fields["format"].help_text = _(
            "The file's content decides: an XLSX workbook is read as XLSX even when its name "
            "ends in .csv, and you are told so."
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        name, data = self._file()
        reading.check_size(len(data))
        kind = kinds.file_kind(data, name)
        chosen = cleaned_data.get("format")
        notice = kinds.mismatch_notice(kind, name, self._title(chosen) if chosen else None)
        if notice:
            self.notices.append(notice)
        index = next(i for i, f in enumerate(self.formats) if self._title(i) == kind)
        cleaned_data["format"] = str(index)
        input_format = self.formats[index]()
        if input_format.is_binary():
            dataset = self._read(input_format, data)
        else:
            text = decode(data, cleaned_data.get("encoding") or "utf-8-sig")
            dataset = self._read(input_format, text)
            # From here on the library reads UTF-8, whatever the staff member's Excel wrote.
            data = text.encode("utf-8")
        messages = header_errors(dataset.headers)
        if messages:
            raise forms.ValidationError([forms.ValidationError(m) for m in messages])
        cleaned_data["import_file"] = SimpleUploadedFile(name, data)
        return cleaned_data

    def _file(self):
        """(name, bytes) of the new upload, or of the kept one when none was chosen."""
        upload = self.cleaned_data.get("import_file")
        if upload is not None and not self.data.get("use_kept"):
            return upload.name, b"".join(upload.chunks())
        if self.kept is None:
            raise forms.ValidationError(
                {"import_file": self.fields["import_file"].error_messages["required"]}
            )
        data = read_kept(self.kept["name"])
        if data is None:
            raise forms.ValidationError(
                {"import_file": _("The kept file is no longer available: choose it again.")}
            )
        return self.kept["filename"], data

    def _title(self, index):
        return self.formats[int(index)]().get_title().lower()

    @staticmethod
    def _read(input_format, data):
        try:
            return input_format.create_dataset(data)
        except forms.ValidationError:
            raise
        except Exception:
            raise forms.ValidationError(
                _("This file could not be read as %(format)s. Check the format."),
                code="format",
                params={"format": input_format.get_title()},
            ) from None


def decode(data, encoding):
    """The text of a CSV upload; a refusal names the encoding the file seems to be in."""
    try:
        return reading.decode_upload(data, encoding)
    except forms.ValidationError as refusal:
        likely = likely_encoding(data, encoding)
        if likely in (None, "utf-8-sig"):  # the refusal already says when it is UTF-8
            raise
        raise forms.ValidationError(
            [
                *refusal.messages,
                _(
                    "It seems to be %(encoding)s: choose “%(choice)s” and check the file again "
                    "(it is kept, you need not choose it again)."
                )
                % {"encoding": reading.ENCODING_NAMES[likely], "choice": dict(ENCODINGS)[likely]},
            ]
        ) from None


def likely_encoding(data, refused):
    """The encoding among ENCODINGS, other than `refused`, that decodes `data` and reads the
    most known headers, when one does so better than the others; else None."""
    fits = []
    for encoding, _label in ENCODINGS:
        if encoding == refused:
            continue
        try:
            text = reading.decode_upload(data, encoding)
        except forms.ValidationError:
            continue
        header = next(iter(text.removeprefix("\ufeff").splitlines()), "")
        known = [h for h in machine_headers(header.split(",")) if h in ALLOWED_COLUMNS]
        fits.append((len(known), encoding))
    fits.sort(reverse=True)
    if fits and (len(fits) == 1 or fits[0][0] > fits[1][0]):
        return fits[0][1]
    return None


class ReportForm(forms.Form):
    """The query string of the report download: ?language=ja&format=csv."""

    language = forms.ChoiceField(
        choices=[(code, code) for code in REPORT_LANGUAGES], required=False
    )
    format = forms.ChoiceField(choices=[(code, code) for code in REPORT_FORMATS], required=False)

    def clean_language(self):
        return self.cleaned_data["language"] or "ja"

    def clean_format(self):
        return self.cleaned_data["format"] or "csv"


class DelegationExportForm(SelectableFieldsExportForm):
    """The layouts and formats explained; each column in the staff member's language, with the
    header it gets in the file."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        # XLSX first: it keeps Japanese and Chinese intact through Excel.
        titles = [f().get_title().lower() for f in formats]
        if "xlsx" in titles:
            self.fields["format"].initial = str(titles.index("xlsx"))
        self.fields["resource"].label = _("Layout")
        self.fields["resource"].help_text = _(
            "Counts only: edition, fiscal year, side and count, with headers and sides in your "
            "language; choose it to edit counts in Excel. The other layout adds the host city "
            "and the descriptions for reading: an import compares them with the site and "
            "never changes them. An import reads the headers in Japanese, Chinese or as "
            "machine names (edition, side, participant_count)."
        )
        self.fields["format"].help_text = _(
            "For Excel, choose XLSX: it keeps Japanese and Chinese text intact when the file "
            "is edited and imported again. Excel on Japanese Windows saves CSV as Shift_JIS, "
            "which has no Simplified Chinese."
        )

    def _get_field_label(self, resource, field_name):
        label = COLUMN_LABELS.get(field_name)
        return str(label) if label else super()._get_field_label(resource, field_name)
