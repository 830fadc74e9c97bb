"""`manage.py record_history`: one history point for every row written outside the history.

Run after `loaddata` (`make seed` does) and after any write that bypasses the ORM: each edition's
rows then have a history point as they are, so the first edit can be undone. Running it again
writes nothing unless something changed meanwhile.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from seminars.management.staff import StaffCommand
from seminars.record.history_record import record


class Command(StaffCommand):
    help = gettext_lazy(
        "Record, as one point of the history, every row that differs from its latest history "
        "record (after loaddata or any write outside the admin)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            written = record()
        self.stdout.write(
            ngettext(
                "%(count)d history record written.", "%(count)d history records written.", written
            )
            % {"count": written}
            if written
            else _("The history is up to date; nothing written.")
        )
