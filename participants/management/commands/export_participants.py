"""Participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participants import exports


def infer_format(output, requested):
    """The format asked for, else the one `-o`'s extension names, else CSV."""
    extension = Path(output).suffix.lower().lstrip(".") if output else ""
    if requested:
        if extension in exports.REPORT_FORMATS and extension != requested:
            raise CommandError(
                f"--format {requested} does not match the file name {output!r} "
                f"(.{extension}); leave out --format or change the name."
            )
        return requested
    return extension if extension in exports.REPORT_FORMATS else "csv"


class Command(BaseCommand):
    help = (
        "Write participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX. "
        "The format follows -o's extension (.csv, .xlsx) unless --format is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write; standard output without it.")
        parser.add_argument("--language", choices=exports.REPORT_LANGUAGES, default="ja")
        parser.add_argument(
            "--format",
            choices=exports.REPORT_FORMATS,
            default=None,
            help="csv or xlsx; by default taken from -o's extension, else csv.",
        )

    def handle(self, *args, output=None, language="ja", format=None, **options):
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
            raise CommandError(f"Cannot write {output}: {error.strerror or error}.") from None
        with stream:
            exports.write_report(stream, language, file_format)
