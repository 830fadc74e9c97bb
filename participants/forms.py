"""Staff forms: the delegation import (with the file's encoding) and the report download."""

import re

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .exports import REPORT_FORMATS, REPORT_LANGUAGES
from .resources import header_errors

ENCODINGS = [
    ("utf-8-sig", _("UTF-8 (with or without BOM)")),
    ("cp932", _("Shift_JIS (CP932, Japanese Excel)")),
    ("gb18030", _("GB18030 (Chinese Excel)")),
]
# Encoding names as Excel and Windows show them (not translated).
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "cp932": "Shift_JIS (CP932)", "gb18030": "GB18030"}
# What Python's CP932 codec accepts but no real Shift_JIS file contains: unassigned bytes
# come back as C1 controls or private-use characters.
_NOT_TEXT = re.compile("[\x80-\x9f\ue000-\uf8ff]")


def decode_upload(data, encoding):
    """The text of an uploaded file, or a ValidationError naming the chosen encoding."""
    label = ENCODING_NAMES[encoding]
    error = forms.ValidationError(
        _("This file is not valid %(encoding)s text. Choose the encoding it was saved in."),
        code="encoding",
        params={"encoding": label},
    )
    if encoding != "utf-8-sig" and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise forms.ValidationError(
                _("This file is UTF-8 text, not %(encoding)s. Choose “UTF-8”."),
                code="encoding",
                params={"encoding": label},
            )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise error from None
    if _NOT_TEXT.search(text):
        raise error
    return text


class DelegationImportForm(ImportForm):
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=ENCODINGS,
        initial="utf-8-sig",
        help_text=_(
            "For CSV files. Excel on Japanese Windows saves CSV as Shift_JIS (CP932), "
            "on Chinese Windows as GB18030."
        ),
    )
    field_order = ["resource", "import_file", "format", "encoding"]

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("import_file")
        file_format = cleaned_data.get("format")
        if upload is None or file_format in (None, "") or self.errors:
            return cleaned_data
        input_format = self.formats[int(file_format)]()
        data = b"".join(upload.chunks())
        if input_format.is_binary():
            dataset = self._read(input_format, data)
        else:
            text = decode_upload(data, cleaned_data.get("encoding") or "utf-8-sig")
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


# The export page's column checkboxes: django-import-export titles the machine names in English.
COLUMN_LABELS = {
    "edition": _("edition"),
    "fiscal_year": _("fiscal year"),
    "city_ja": _("host city (Japanese)"),
    "city_zh_hans": _("host city (Chinese)"),
    "side": _("side"),
    "participant_count": _("participant count"),
    "description_ja": _("description (Japanese)"),
    "description_zh_hans": _("description (Chinese)"),
}


class DelegationExportForm(SelectableFieldsExportForm):
    """Each column in the staff member's language, with the header it gets in the file."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        label = COLUMN_LABELS.get(field_name)
        return f"{label} ({column})" if label else super()._get_field_label(resource, field_name)
