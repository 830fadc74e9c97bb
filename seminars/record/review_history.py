"""The review's steps as entries of the edition's history (seminars.record.history.timeline):
who marked it ready, approved it, requested changes (with the comment and the field it names),
scheduled or published it, and when an approval was withdrawn by a later change."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from seminars.models import ReviewAction, Seminar
from seminars.record import history


@dataclass
class ReviewChange(history.Change):
    """One review step: `verb` is the step itself; `comment` the reviewer's words, if any."""

    text: str = ""
    comment: str = ""

    @property
    def verb(self):
        return self.text


def entries(seminar):
    """The edition's review steps as history entries (no restore point of their own)."""
    labels = {}
    result = []
    for event in seminar.review_events.select_related("user"):
        text = ReviewAction(event.action).label
        details = []
        if event.field:
            if not labels:
                labels = _field_labels()
            details.append(_("on %(field)s") % {"field": labels.get(event.field, event.field)})
        for name, moment in (
            ("publish_at", event.publish_at),
            ("unpublish_at", event.unpublish_at),
        ):
            if moment:
                label = str(event._meta.get_field(name).verbose_name)
                details.append(f"{label} {history.format_time(moment)}")
        if event.action == ReviewAction.SCHEDULE and not (event.publish_at or event.unpublish_at):
            details.append(_("schedule cleared"))
        if event.action == ReviewAction.PUBLISH_UNAPPROVED and not event.comment:
            details.append(_("from the edition page or a restore: no reason was asked"))
        if details:
            text = _("%(step)s (%(details)s)") % {"step": text, "details": _("; ").join(details)}
        change = ReviewChange(_("Review"), event.action, text=text, comment=event.comment)
        result.append(
            history.Entry(
                event.created_at,
                history.user_name(event.user),
                [change],
                point=f"review-{event.pk}",
                restorable=False,
            )
        )
    return result


def _field_labels():
    return {f.name: history.field_label(f) for f in Seminar._meta.concrete_fields}
