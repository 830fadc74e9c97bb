"""Staff forms: the delegation import (with the file's encoding and its limits), the export
(with its layouts) and the report download."""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .exports import REPORT_FORMATS, REPORT_LANGUAGES
from .imports import reading
from .resources import COLUMN_LABELS, header_errors

ENCODINGS = [
    ("utf-8-sig", _("UTF-8 (with or without BOM)")),
    ("cp932", _("Shift_JIS (CP932, Japanese Excel)")),
    ("gb18030", _("GB18030 (Chinese Excel)")),
]


class DelegationImportForm(ImportForm):
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

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        file_format = cleaned_data.get("format")
        if upload is None or file_format in (None, "") or self.errors:
            return cleaned_data
        reading.check_size(upload.size)
        input_format = self.formats[int(file_format)]()
        data = b"".join(upload.chunks())
        if input_format.is_binary():
            dataset = self._read(input_format, data)
        else:
            text = reading.decode_upload(data, cleaned_data.get("encoding") or "utf-8-sig")
            dataset = self._read(input_format, text)
            # From here on the library reads UTF-8, whatever the staff member's Excel wrote.
            upload = SimpleUploadedFile(upload.name, text.encode("utf-8"), "text/csv")
        messages = header_errors(dataset.headers)
        if messages:
            raise forms.ValidationError([forms.ValidationError(m) for m in messages])
        cleaned_data["import_file"] = upload
        return cleaned_data

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
