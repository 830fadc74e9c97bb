"""The e-mails of the review: to the publishers when an edition is ready for review, to the
editor who asked when it is approved or changes are requested.

Sent through Django's mail settings (the console in development, SMTP from the environment in
production: README, Deploying) once the step is committed. Staff choose their language per
browser, not per account, so each message carries both: Japanese, then Simplified Chinese.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from seminars.models import ReviewAction
from seminars.record import permissions
from seminars.record.versions import staff_name

SUBJECTS = {
    ReviewAction.SUBMIT: lambda: _("Ready for review: %(seminar)s"),
    ReviewAction.REQUEST_CHANGES: lambda: _("Changes requested: %(seminar)s"),
    ReviewAction.APPROVE: lambda: _("Approved: %(seminar)s"),
}
BODIES = {
    ReviewAction.SUBMIT: lambda: _(
        "%(who)s marked %(seminar)s ready for review. Please read it in both languages, then "
        "approve it or request changes:"
    ),
    ReviewAction.REQUEST_CHANGES: lambda: _(
        "%(who)s requested changes to %(seminar)s. Make them, then mark it ready for review again:"
    ),
    ReviewAction.APPROVE: lambda: _("%(who)s approved %(seminar)s. It can be published:"),
}


def recipients(event):
    """The addresses to tell about `event` (never its own author)."""
    if event.action == ReviewAction.SUBMIT:
        users = permissions.users_who_may_publish()
    else:
        submit = event.seminar.review_events.filter(action=ReviewAction.SUBMIT).last()
        users = [submit.user] if submit and submit.user and submit.user.is_active else []
    return sorted({u.email for u in users if u.email and u.pk != event.user_id})


def message(event):
    """(subject, body) in Japanese, then Simplified Chinese."""
    url = settings.SITE_URL + reverse("admin:seminars_seminar_review", args=[event.seminar_id])
    subjects, bodies = [], []
    for language in (code for code, _name in settings.LANGUAGES):
        with translation.override(language):
            values = {
                "seminar": str(event.seminar),
                "who": staff_name(event.user) if event.user else _("the system"),
            }
            subjects.append(SUBJECTS[event.action]() % values)
            body = [BODIES[event.action]() % values, url]
            if event.comment:
                body += ["", _("Comment:"), event.comment]
            bodies.append("\n".join(body))
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies) + "\n"


def notify(event):
    """Send the e-mails of `event`, if any, once its transaction is committed."""
    if event.action not in SUBJECTS:
        return
    to = recipients(event)
    if not to:
        return
    subject, body = message(event)
    mails = [(subject, body, None, [address]) for address in to]
    transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
