"""`manage.py clear_pages`: empty the public page cache (after a restore, or by hand)."""

from django.core.management.base import BaseCommand

from seminars.pagecache import cache_available, clear_pages


class Command(BaseCommand):
    help = "Remove every stored public page; the next request renders it from the database."

    def handle(self, *args, **options):
        clear_pages()
        if not cache_available():
            self.stderr.write("The page cache is unavailable (see the log); nothing to clear.")
            return
        self.stdout.write("Public pages cleared.")
