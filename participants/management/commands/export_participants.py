"""Participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX."""

import os
import sys

from django.core.management.base import BaseCommand

from participants import exports


class Command(BaseCommand):
    help = "Write participant counts, one row per seminar, as CSV (UTF-8 with BOM) or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="File to write; standard output without it.")
        parser.add_argument("--language", choices=exports.REPORT_LANGUAGES, default="ja")
        parser.add_argument("--format", choices=exports.REPORT_FORMATS, default="csv")

    def handle(self, *args, output=None, language="ja", format="csv", **options):
        if output:
            with open(output, "wb") as stream:
                exports.write_report(stream, language, format)
            return
        stream = sys.stdout.buffer
        try:
            exports.write_report(stream, language, format)
            stream.flush()
        except BrokenPipeError:
            # The reader stopped early (`| head`): not an error of the export.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
