"""`manage.py publish_scheduled`: publish and unpublish the editions whose scheduled (China) time
has come, through the review (seminars.record.review), as a publisher's click would. Meant for
cron or a systemd timer (README); running it twice does nothing more."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seminars.management.staff import StaffCommand
from seminars.record import review, review_schedule


class Command(StaffCommand):
    help = gettext_lazy(
        "Publish the approved editions whose scheduled publication time has come, and unpublish "
        "those whose unpublication time has come (run it every few minutes from cron or a "
        "systemd timer)."
    )

    def handle(self, *args, **options):
        done = review_schedule.run_schedule()
        refused = [(seminar, reason) for seminar, _step, reason in done if reason]
        for seminar, step, reason in done:
            if reason:
                continue
            if step == review.PUBLISH:
                self.stdout.write(_("Published: %(seminar)s") % {"seminar": seminar})
            else:
                self.stdout.write(_("Unpublished: %(seminar)s") % {"seminar": seminar})
        if not done:
            self.stdout.write(_("Nothing is due."))
        if refused:
            lines = [f"{seminar}: {reason}" for seminar, reason in refused]
            raise CommandError("\n".join([_("Not done:"), *lines]))
