"""`manage.py export_site DIR [--base-url URL]`: the public site as static files."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from seminars.management.staff import StaffCommand
from seminars.takeaway.export import NotACopy, export_site


class Command(StaffCommand):
    help = gettext_lazy(
        "Write every public page in both languages, the sitemap, robots.txt, static files, "
        "photos, PDFs, calendars and data files into DIR, for a plain web server. Drafts never "
        "appear. DIR must be empty or hold an earlier copy, which is brought up to date: only the "
        "files that changed are written, and those no longer published are removed."
    )

    def add_command_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--base-url",
            default="http://localhost",
            help=gettext_lazy(
                "The origin the copy will be served from (absolute links, sitemap, feed)."
            ),
        )

    def handle(self, directory, base_url, **options):
        try:
            export = export_site(directory, base_url)
        except (NotACopy, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if export.broken:
            raise CommandError(
                _("Links that do not answer 200 (nothing is missing from a complete copy):")
                + "\n"
                + "\n".join(sorted(set(export.broken)))
            )
        count = len(export.written)
        self.stdout.write(
            ngettext(
                "%(count)d file written to %(directory)s.",
                "%(count)d files written to %(directory)s.",
                count,
            )
            % {"count": count, "directory": directory}
        )
        self.stdout.write(
            _("Unchanged: %(unchanged)d, removed: %(removed)d.")
            % {"unchanged": len(export.unchanged), "removed": len(export.removed)}
        )
