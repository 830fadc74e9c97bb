"""`manage.py render_pdfs [--edition N …] [--force] [--requests]`: store the PDFs ahead of visitors.

Started by the site itself after a change (`--requests`, seminars.takeaway.render); by hand after
a deploy (a new build names new files) to have every PDF ready before the first visitor asks.
"""

import os

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from seminars.management.staff import StaffCommand
from seminars.takeaway import render


class Command(StaffCommand):
    help = gettext_lazy(
        "Render and store the programme and report PDFs, in both languages, of the published "
        "editions that have none for their current version yet."
    )

    def add_command_arguments(self, parser):
        parser.add_argument(
            "--edition",
            type=int,
            action="append",
            help=gettext_lazy("Only this edition (its number; may be repeated)."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=gettext_lazy("Render again even the PDFs already stored."),
        )
        parser.add_argument(
            "--requests",
            action="store_true",
            help=gettext_lazy("Render what the site asked for, until nothing is left (internal)."),
        )

    def handle(self, edition=None, force=False, requests=False, **options):
        database_name = os.environ.get("PDF_RENDER_DATABASE_NAME")
        if database_name:  # the database of the process that asked (e.g. a test database)
            settings.DATABASES["default"]["NAME"] = database_name
        if requests:  # the runner the site started: the web workers' pages come first
            render.lower_priority()
            render.run_requests()
            return
        from seminars.models import Seminar

        ids = None
        if edition:
            ids = list(Seminar.objects.filter(edition__in=edition).values_list("pk", flat=True))
        written = render.render_missing(ids, force=force)
        self.stdout.write(
            ngettext("%(count)d PDF rendered.", "%(count)d PDFs rendered.", len(written))
            % {"count": len(written)}
        )
        if not written and not force:
            self.stdout.write(_("Every PDF was already stored."))
