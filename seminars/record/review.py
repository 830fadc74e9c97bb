"""Review before publishing, and scheduled publishing: every step passes `transition()`.

    draft ──submit──▶ ready ──approve──▶ approved ──publish──▶ (published; review back to draft)
      ▲                │ ▲   ◀─request changes─┘  │
      └───withdraw─────┘ └─submit── changes requested ◀─┘

Editors mark a draft ready for review (or take it back); publishers approve it or request
changes with a comment, on the edition or on one of its fields, and may set an approved edition
to be published (and a published one unpublished) at a China time. Who may take which step is
decided by seminars.record.permissions.review_refusal; which step may follow which, here. An
illegal step raises ReviewRefused (the staff language) and changes nothing.

An approval is of the edition as it was then: any later change to the edition or to anything of
it (whatever page, import or restore made it) sends it back to "ready for review", drops a
scheduled publication and says so in the history. Publishing consumes the approval; publishing a
draft that was never approved needs a reason, kept in the history. `manage.py
publish_scheduled` (seminars.record.review_schedule) publishes and unpublishes what is due
through this same function, hence the same service (seminars.record.services), history and
page-cache rules as a publisher's click.
"""

import contextvars

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from seminars.models import EditionReview, ReviewAction, ReviewEvent, ReviewState, Seminar
from seminars.record import permissions, services, versions
from seminars.record.content import content_models

SUBMIT, WITHDRAW = ReviewAction.SUBMIT, ReviewAction.WITHDRAW
REQUEST_CHANGES, APPROVE = ReviewAction.REQUEST_CHANGES, ReviewAction.APPROVE
SCHEDULE, PUBLISH, UNPUBLISH = ReviewAction.SCHEDULE, ReviewAction.PUBLISH, ReviewAction.UNPUBLISH
DRAFT, READY = ReviewState.DRAFT, ReviewState.READY
CHANGES_REQUESTED, APPROVED = ReviewState.CHANGES_REQUESTED, ReviewState.APPROVED

# step → (the states it may start from, the state it leads to, who may take it)
STEPS = {
    SUBMIT: ({DRAFT, CHANGES_REQUESTED}, READY, permissions.SUBMIT_FOR_REVIEW),
    WITHDRAW: ({READY}, DRAFT, permissions.SUBMIT_FOR_REVIEW),
    REQUEST_CHANGES: ({READY, APPROVED}, CHANGES_REQUESTED, permissions.DECIDE_REVIEW),
    APPROVE: ({READY}, APPROVED, permissions.DECIDE_REVIEW),
}
# Fields of the edition a comment may name (not the publication, not the bookkeeping).
NOT_COMMENTED = permissions.PUBLICATION_FIELDS | permissions.AUTOMATIC_FIELDS | {"id"}


# Set while transition() publishes or unpublishes: any other publication is "outside the review".
_in_transition = contextvars.ContextVar("review_transition", default=False)


class ReviewRefused(permissions.WriteRefused):
    """A review step that may not be taken now, or not by this user; str() says why."""


def review_of(seminar, lock=False):
    """The edition's review row (created as "in preparation" when it has none)."""
    rows = EditionReview.objects.select_for_update() if lock else EditionReview.objects
    review, _created = rows.get_or_create(seminar_id=seminar.pk)
    return review


def current(seminar):
    """The edition's review as it stands, without writing (unsaved when it has none yet)."""
    found = EditionReview.objects.filter(seminar_id=seminar.pk).first()
    return found or EditionReview(seminar_id=seminar.pk, state=DRAFT)


def state_label(seminar):
    return ReviewState(current(seminar).state).label


def commentable_fields():
    """(name, label) of the edition's fields a comment may name, per language where translated."""
    from seminars.record.history import field_label
    from seminars.record.history_tables import virtual_translation_fields

    left_out = NOT_COMMENTED | set(virtual_translation_fields(Seminar))
    return [
        (f.name, field_label(f))
        for f in Seminar._meta.concrete_fields
        if f.name not in left_out and (not f.is_relation or f.name == "city")
    ]


def is_approved(seminar):
    return EditionReview.objects.filter(seminar_id=seminar.pk, state=APPROVED).exists()


def needs_reason(seminar):
    """Publishing this edition needs a reason: a draft that is not approved as it is now."""
    return not seminar.is_published and not is_approved(seminar)


def transition(seminar, step, user, *, comment="", field="", reason="", version=None, **schedule):
    """Take `step` (a ReviewAction) for `seminar` as `user` (None: the system), in one
    transaction; raise ReviewRefused (nothing changed) when it may not be taken. `version`: the
    edition's version the deciding page showed (a decision about an edition changed meanwhile
    is refused). SCHEDULE takes `publish_at` and `unpublish_at` (aware datetimes or None)."""
    comment, reason = comment.strip(), reason.strip()
    with transaction.atomic(), permissions.acting_as(user):
        seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
        review = review_of(seminar, lock=True)
        if version is not None and str(version) != str(versions.current(seminar.pk).number):
            raise ReviewRefused(
                _(
                    "The edition was saved after you opened this page: nothing was decided. "
                    "Read it again, then decide."
                )
            )
        if step == PUBLISH:
            return _publish(seminar, review, user, reason)
        if step == UNPUBLISH:
            return _unpublish(seminar, review, user)
        if step == SCHEDULE:
            return _schedule(seminar, review, user, **schedule)
        return _step(seminar, review, step, user, comment, field)


def _refuse_unless_allowed(user, kind):
    reason = permissions.review_refusal(user, kind)
    if reason:
        raise ReviewRefused(reason)


def _step(seminar, review, step, user, comment, field):
    if step not in STEPS:
        raise ReviewRefused(_("Unknown review step."))
    sources, target, kind = STEPS[step]
    _refuse_unless_allowed(user, kind)
    if seminar.is_published:
        raise ReviewRefused(_("A published edition is not reviewed: unpublish it first."))
    if review.state not in sources:
        raise ReviewRefused(
            _("“%(step)s” is not possible while the edition is “%(state)s”.")
            % {"step": ReviewAction(step).label, "state": ReviewState(review.state).label}
        )
    if step == REQUEST_CHANGES and not comment:
        raise ReviewRefused(_("Say what should change: a request for changes needs a comment."))
    if field and field not in dict(commentable_fields()):
        raise ReviewRefused(_("Unknown field: %(field)s.") % {"field": field})
    if step == APPROVE and user is not None and user.pk == _submitter_id(seminar):
        raise ReviewRefused(
            _("The person who marked the edition ready for review cannot approve it as well.")
        )
    review.state = target
    review.approved_version = versions.current(seminar.pk).number if target == APPROVED else None
    review.publish_at = None
    review.save()
    event = _record(seminar, step, target, user, comment=comment, field=field)
    from seminars.record import review_mail

    review_mail.notify(event)
    return event


def _submitter_id(seminar):
    last = seminar.review_events.filter(action=SUBMIT).order_by("-created_at", "-pk").first()
    return last.user_id if last else None


def _publish(seminar, review, user, reason):
    _refuse_unless_allowed(user, permissions.DECIDE_REVIEW)
    if seminar.is_published:
        raise ReviewRefused(_("%(seminar)s is already published.") % {"seminar": seminar})
    approved = review.state == APPROVED
    if not approved and not reason:
        raise ReviewRefused(
            _("%(seminar)s was not approved: say why it is published without approval.")
            % {"seminar": seminar}
        )
    action = PUBLISH if approved else ReviewAction.PUBLISH_UNAPPROVED
    event = _record(seminar, action, DRAFT, user, comment="" if approved else reason)
    token = _in_transition.set(True)
    try:
        services.publish(seminar)
    finally:
        _in_transition.reset(token)
    review.state, review.approved_version, review.publish_at = DRAFT, None, None
    review.save()
    return event


def _unpublish(seminar, review, user):
    _refuse_unless_allowed(user, permissions.DECIDE_REVIEW)
    if not seminar.is_published:
        raise ReviewRefused(_("%(seminar)s is not published.") % {"seminar": seminar})
    token = _in_transition.set(True)
    try:
        services.unpublish(seminar)
    finally:
        _in_transition.reset(token)
    review.unpublish_at = None
    review.save()
    if user is None:  # a publisher's own click is in the history as the change of status
        return _record(seminar, UNPUBLISH, review.state, None)
    return None


def _schedule(seminar, review, user, publish_at=None, unpublish_at=None):
    _refuse_unless_allowed(user, permissions.DECIDE_REVIEW)
    now = timezone.now()
    if publish_at and seminar.is_published:
        raise ReviewRefused(_("%(seminar)s is already published.") % {"seminar": seminar})
    if publish_at and review.state != APPROVED:
        raise ReviewRefused(_("Only an approved edition can be scheduled for publication."))
    if unpublish_at and not (seminar.is_published or publish_at):
        raise ReviewRefused(_("Only a published (or scheduled) edition can be unpublished."))
    if any(moment and moment <= now for moment in (publish_at, unpublish_at)):
        raise ReviewRefused(_("A scheduled time must lie in the future."))
    if publish_at and unpublish_at and unpublish_at <= publish_at:
        raise ReviewRefused(_("The unpublication must come after the publication."))
    review.publish_at, review.unpublish_at = publish_at, unpublish_at
    review.save()
    return _record(
        seminar, SCHEDULE, review.state, user, publish_at=publish_at, unpublish_at=unpublish_at
    )


def _record(seminar, action, state, user, **values):
    return ReviewEvent.objects.create(
        seminar=seminar,
        action=action,
        state=state,
        user=user,
        version=versions.current(seminar.pk).number,
        **values,
    )


# --- a change after approval sends the edition back to review ---


def _before_seminar_save(sender, instance, raw=False, **kwargs):
    """Note a publication by a person outside transition() (a superuser's status field on the
    edition page, a restore with its publication state): the write guard's pre_save, which runs
    first, has set `_was_published` to False for a draft being published."""
    instance._published_outside_review = (
        not raw
        and not _in_transition.get()
        and getattr(instance, "_was_published", None) is False
        and instance.is_published
        and permissions.acting_user() is not None
    )


def _published_outside_review(seminar):
    """Such a publication uses the approval, if any, like the Publish button, and is one step of
    the history: "published without approval" (no reason was asked there) or "after approval"."""
    review = review_of(seminar, lock=True)
    approved = review.state == APPROVED
    action = PUBLISH if approved else ReviewAction.PUBLISH_UNAPPROVED
    _record(seminar, action, DRAFT, permissions.acting_user())
    review.state, review.approved_version, review.publish_at = DRAFT, None, None
    review.save()


def _content_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (sender is Seminar and kwargs.get("signal") is post_delete):
        return
    if sender is Seminar and getattr(instance, "_published_outside_review", False):
        instance._published_outside_review = False
        return _published_outside_review(instance)
    if (
        sender is Seminar
        and update_fields
        and set(update_fields) <= (permissions.PUBLICATION_FIELDS | permissions.AUTOMATIC_FIELDS)
    ):
        return  # publishing or unpublishing is no change of content
    if kwargs.get("action", "post_add") not in ("post_add", "post_remove", "post_clear"):
        return
    seminar_id = versions.edition_id_of(instance)
    if seminar_id is None:
        return
    reset = EditionReview.objects.filter(seminar_id=seminar_id, state=APPROVED).update(
        state=READY, approved_version=None, publish_at=None, updated_at=timezone.now()
    )
    if reset:
        ReviewEvent.objects.create(
            seminar_id=seminar_id,
            action=ReviewAction.RESET,
            state=READY,
            user=permissions.acting_user(),
        )


def connect():
    """Called from SeminarsConfig.ready(): every write to an edition's content is watched."""
    pre_save.connect(_before_seminar_save, sender=Seminar, dispatch_uid="review_publication")
    for model in content_models():
        uid = model._meta.label_lower
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"review_save_{uid}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"review_delete_{uid}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"review_m2m_{uid}_{field.name}",
            )


def offered_steps(seminar, review, user):
    """The steps `user` may take now, in the page's order."""
    offered = []
    if not seminar.is_published:
        for step, (sources, _target, kind) in STEPS.items():
            if review.state in sources and not permissions.review_refusal(user, kind):
                offered.append(step)
    may_decide = not permissions.review_refusal(user, permissions.DECIDE_REVIEW)
    if may_decide and (review.state == APPROVED or seminar.is_published):
        offered.append(SCHEDULE)
    return offered
