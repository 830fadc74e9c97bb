"""Delegations and named people: counts, import/export and the participant report.

The delegation inline of the edition page is part of the one Seminar admin
(seminars/admin/editions.py).
"""

import os
import tempfile

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import (
    FileResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from import_export.admin import ExportActionMixin, ImportMixin
from modeltranslation.admin import TabbedTranslationAdmin

from seminars.admin.mixins import EditionSearchMixin, RecordAdminMixin, language_column
from seminars.models import EditionVersion, agenda_item_label
from seminars.record import permissions
from seminars.record.versions import EditionVersionForm

from . import exports
from .forms import DelegationExportForm, DelegationImportForm, ReportForm
from .imports import reading
from .imports.files import (
    ImportFileStorage,
    discard_kept,
    discard_upload,
    keep_for,
    keep_upload,
    kept_for,
)
from .imports.headers import (
    EXPORT_ORDER,
    INFORMATIVE_COLUMNS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    cell_label,
    column_header,
)
from .models import Delegation, Participant
from .resources import DelegationCountsResource, DelegationResource


@admin.register(Delegation)
class DelegationAdmin(
    EditionSearchMixin, RecordAdminMixin, ImportMixin, ExportActionMixin, TabbedTranslationAdmin
):
    """Counts by side; import and export need their own permissions, the report only view."""

    form = EditionVersionForm
    list_display = ["seminar", "side", "participant_count"]
    list_filter = [("seminar", admin.RelatedOnlyFieldListFilter), "side"]
    search_fields = ["seminar__theme_ja", "seminar__theme_zh_hans", "=seminar__edition"]
    edition_lookup = "seminar__edition"
    ordering = ["-seminar__edition", "-side"]
    autocomplete_fields = ["seminar"]
    list_select_related = ["seminar__city"]

    # Export offers the counts-only layout first; the import reads either layout.
    resource_classes = [DelegationCountsResource, DelegationResource]
    tmp_storage_class = ImportFileStorage
    import_formats = exports.FORMATS
    export_formats = exports.FORMATS
    import_form_class = DelegationImportForm
    export_form_class = DelegationExportForm
    to_encoding = exports.CSV_ENCODING
    # Import, export and report buttons; each shown only with its permission.
    import_export_change_list_template = "admin/participants/delegation/change_list.html"
    import_template_name = "admin/participants/delegation/import.html"

    def get_urls(self):
        report = path(
            "report/",
            self.admin_site.admin_view(self.report_view),
            name="participants_delegation_report",
        )
        return [report, *super().get_urls()]

    def has_import_permission(self, request):
        # An import adds and changes rows: it needs those permissions as well as its own.
        return permissions.may_import(request.user, self.model)

    def has_export_permission(self, request):
        return permissions.may_export(request.user, self.model)

    def get_import_resource_classes(self, request):
        return [DelegationResource]

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "kept": kept_for(request.user.pk)}

    def import_action(self, request, **kwargs):
        """The library's preview, in the staff member's words, keeping the file as it came."""
        response = super().import_action(request, **kwargs)
        context = response.context_data
        form = context["form"]
        if request.method == "POST":
            upload = request.FILES.get("import_file")
            if upload is not None and 0 < upload.size <= reading.MAX_BYTES:
                data = b"".join(upload.chunks())
                keep_for(request.user.pk, os.path.basename(upload.name), data)
            for notice in getattr(form, "notices", []):
                self.message_user(request, notice, level="warning")
        result = context.get("result")
        context.update(
            {
                "kept_file": kept_for(request.user.pk),
                "fields_list": [(None, [column_header(c) for c in EXPORT_ORDER])],
                "required_columns": ", ".join(column_header(c) for c in REQUIRED_COLUMNS),
                "other_columns": ", ".join(
                    column_header(c) for c in (*INFORMATIVE_COLUMNS, *OPTIONAL_COLUMNS)
                ),
                "error_rows": error_rows(result) if result is not None else [],
                "file_headers": [
                    column_header(c) for c in getattr(result, "file_columns", None) or []
                ],
            }
        )
        return response

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            # The preview passed: only now is the file written, for the confirm step.
            name = os.path.basename(initial["import_file_name"])
            keep_upload(name, import_form.cleaned_data["import_file"])
            # Only a file this staff member uploaded may be confirmed.
            names = request.session.get(UPLOADS_SESSION_KEY, [])[-9:]
            request.session[UPLOADS_SESSION_KEY] = [*names, name]
            # The editions as previewed: the confirm step is refused for any that moved on.
            versions = request.session.get(VERSIONS_SESSION_KEY, {})
            versions = {n: v for n, v in versions.items() if n in names}
            versions[name] = dict(
                EditionVersion.objects.values_list("seminar_id", "number").iterator()
            )
            request.session[VERSIONS_SESSION_KEY] = {
                n: {str(k): v for k, v in snapshot.items()} for n, snapshot in versions.items()
            }
        return initial

    def process_import(self, request, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = os.path.basename(request.POST.get("import_file_name", ""))
        if name not in request.session.get(UPLOADS_SESSION_KEY, []):
            return self._upload_again(request)
        try:
            response = super().process_import(request, **kwargs)
        except OSError:
            # The temporary file is gone (restart, clean-up): ask for the file again.
            return self._upload_again(request)
        finally:
            discard_upload(name)  # confirmed, refused or failed: never left behind
        if getattr(response, "url", "") == reverse("admin:participants_delegation_changelist"):
            discard_kept(request.user.pk)  # imported: nothing to check again
        return response

    def _upload_again(self, request):
        self.message_user(
            request, _("The uploaded file is no longer available. Upload it again."), "error"
        )
        return HttpResponseRedirect(reverse("admin:participants_delegation_import"))

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing, also at the confirm step: one invalid row rolls everything back.
        data_kwargs = {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }
        request = kwargs.get("request")
        name = os.path.basename(request.POST.get("import_file_name", "")) if request else ""
        if name:  # the confirm step: the editions' versions when the preview was made
            snapshot = request.session.get(VERSIONS_SESSION_KEY, {}).get(name, {})
            data_kwargs["edition_versions"] = snapshot
        return data_kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                _(
                    "Nothing was imported: the file no longer passes the checks. It is kept: "
                    "check it again once the site is corrected, or upload a corrected file."
                ),
                level="error",
            )
            for row in error_rows(result)[:5]:
                for column, message in row["errors"]:
                    self.message_user(
                        request,
                        _("Row %(row)s, %(column)s: %(message)s")
                        % {"row": row["number"], "column": column, "message": message},
                        level="error",
                    )
            return HttpResponseRedirect(reverse("admin:participants_delegation_import"))
        return super().process_result(result, request)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # The library keeps numbers as numbers only for its own XLSX class, not subclasses.
        data = self.get_data_for_export(
            request,
            queryset,
            force_native_type=file_format.is_binary(),
            **kwargs,
        )
        data.title = exports.sheet_title(
            capfirst(str(Delegation._meta.verbose_name_plural)),
            self._export_years(request, queryset),
        )
        export_data = file_format.export_data(data)
        if not file_format.is_binary():
            export_data = export_data.encode(exports.CSV_ENCODING)
        return export_data

    def get_export_filename(self, request, queryset, file_format):
        """ "delegations-2018.xlsx": what and which fiscal years (the date when there is none)."""
        stem = exports.file_stem("delegations", self._export_years(request, queryset))
        return f"{stem}.{file_format.get_extension()}"

    @staticmethod
    def _export_years(request, queryset):
        """The fiscal years in the export (one query, for the sheet and the file name)."""
        if not hasattr(request, "_export_years"):
            years = queryset.order_by().values_list("seminar__fiscal_year", flat=True)
            request._export_years = sorted(set(years.distinct()))
        return request._export_years

    def get_valid_export_item_pks(self, request):
        # The export action validates the posted ids against this list. The library's default
        # is deprecated (it warns on every action export) and ignores the admin's queryset.
        return self.get_queryset(request).values_list("pk", flat=True)

    def report_view(self, request):
        """The participant report (one row per seminar) for anyone who may view delegations."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ReportForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(
                _("Unknown report parameters: use language=ja or zh-hans and format=csv or xlsx."),
                content_type="text/plain; charset=utf-8",
            )
        language, file_format = form.cleaned_data["language"], form.cleaned_data["format"]
        filename = exports.report_filename(language, file_format)
        if file_format == "xlsx":
            stream = tempfile.TemporaryFile()
            exports.write_report_xlsx(stream, language)
            stream.seek(0)
            response = FileResponse(
                stream, as_attachment=True, filename=filename, content_type=XLSX_TYPE
            )
        else:
            response = StreamingHttpResponse(
                exports.iter_report_csv(language), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


def error_rows(result):
    """The refused rows as the page and the messages show them: the spreadsheet row, each
    error with its column in the staff language and letter, and the row's cells."""
    columns = getattr(result, "file_columns", None) or []
    return [
        {
            "number": row.number,
            "errors": [
                (cell_label(column, columns) if column != NON_FIELD_ERRORS else "", message)
                for column, messages in row.error_dict.items()
                for message in messages
            ],
            "values": list(row.values),
        }
        for row in result.invalid_rows
    ]


UPLOADS_SESSION_KEY = "participants_import_files"
VERSIONS_SESSION_KEY = "participants_import_versions"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(Participant)
class ParticipantAdmin(EditionSearchMixin, RecordAdminMixin, TabbedTranslationAdmin):
    form = EditionVersionForm
    list_display = [
        language_column(Participant, "name", "ja"),
        language_column(Participant, "name", "zh-hans"),
        language_column(Participant, "position", "ja"),
        "delegation",
    ]
    list_filter = [("delegation__seminar", admin.RelatedOnlyFieldListFilter), "delegation__side"]
    search_fields = ["name_ja", "name_zh_hans", "position_ja", "position_zh_hans"]
    edition_lookup = "delegation__seminar__edition"
    ordering = ["-delegation__seminar__edition", "-delegation__side", "order", "pk"]
    autocomplete_fields = ["delegation", "agenda_items"]
    list_select_related = ["delegation__seminar"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "agenda_items" and field is not None:
            field.queryset = field.queryset.select_related("seminar")
            field.label_from_instance = agenda_item_label
        return field


# django-import-export strings that its own ja / zh-hans catalogs leave untranslated; our
# catalog translates them (Django uses the app's translation where the library has none).
LIBRARY_STRINGS = [
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop("Resource"),
    gettext_noop("Select all"),
    gettext_noop("Home"),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    ngettext_lazy("Export %(len)s selected item.", "Export %(len)s selected items.", "len"),
]
