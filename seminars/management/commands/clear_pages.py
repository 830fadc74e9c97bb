"""`manage.py clear_pages`: empty the public page cache (after a restore, or by hand)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seminars.management.staff import StaffCommand
from seminars.public.pagecache import cache_available, clear_pages


class Command(StaffCommand):
    help = gettext_lazy(
        "Remove every stored public page; the next request renders it from the database."
    )

    def handle(self, *args, **options):
        clear_pages()
        if not cache_available():
            self.stderr.write(_("The page cache is unavailable (see the log); nothing to clear."))
            return
        self.stdout.write(_("Public pages cleared."))
