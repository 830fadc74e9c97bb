"""Participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX."""

import os
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants import exports
from seminars.management.staff import StaffCommand


def infer_format(output, requested):
    """The format asked for, else the one `-o`'s extension names, else CSV."""
    extension = Path(output).suffix.lower().lstrip(".") if output else ""
    if requested:
        if extension in exports.REPORT_FORMATS and extension != requested:
            raise CommandError(
                _(
                    "--format %(format)s does not match the file name %(file)s (.%(extension)s); "
                    "leave out --format or change the name."
                )
                % {"format": requested, "file": output, "extension": extension}
            )
        return requested
    return extension if extension in exports.REPORT_FORMATS else "csv"


class Command(StaffCommand):
    """The report's language is the command's (--language, else the shell's)."""

    help = gettext_lazy(
        "Write participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX. "
        "The format follows -o's extension (.csv, .xlsx) unless --format is given."
    )

    def add_command_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help=gettext_lazy("File to write; standard output without it.")
        )
        parser.add_argument(
            "--format",
            choices=exports.REPORT_FORMATS,
            default=None,
            help=gettext_lazy("csv or xlsx; by default taken from -o's extension, else csv."),
        )

    def handle(self, *args, output=None, language, format=None, **options):
        file_format = infer_format(output, format)
        if output:
            self._write_file(output, language, file_format)
            return
        stream = sys.stdout.buffer
        try:
            exports.write_report(stream, language, file_format)
            stream.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error of the export.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    @staticmethod
    def _write_file(output, language, file_format):
        try:
            stream = open(output, "wb")  # closed below; the error is ours to word
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s.")
                % {"file": output, "reason": error.strerror or error}
            ) from None
        with stream:
            exports.write_report(stream, language, file_format)
