"""The schedule of publications: `manage.py publish_scheduled` publishes the approved editions
whose (China) time has come and unpublishes those due, each through seminars.record.review's
one function, as the system; cron or a systemd timer runs it (README)."""

from django.db import transaction
from django.utils import timezone

from seminars.models import EditionReview, Seminar
from seminars.record import review


def due(now=None):
    """(to publish, to unpublish): the editions whose scheduled time has come."""
    now = now or timezone.now()
    reviews = EditionReview.objects.select_related("seminar")
    publish = reviews.filter(
        publish_at__lte=now, state=review.APPROVED, seminar__status=Seminar.Status.DRAFT
    )
    unpublish = reviews.filter(unpublish_at__lte=now, seminar__status=Seminar.Status.PUBLISHED)
    return [r.seminar for r in publish.order_by("publish_at")], [
        r.seminar for r in unpublish.order_by("unpublish_at")
    ]


def run_schedule(now=None):
    """Publish and unpublish what is due, each in its own transaction, as the system. Returns
    [(seminar, step, None or the refusal)]; what is no longer due when its turn comes (another
    run got there first) is skipped: running twice does nothing more."""
    now = now or timezone.now()
    to_publish, to_unpublish = due(now)
    done = []
    for step, seminars in ((review.PUBLISH, to_publish), (review.UNPUBLISH, to_unpublish)):
        for seminar in seminars:
            try:
                with transaction.atomic():
                    if _still_due(seminar, step, now):
                        review.transition(seminar, step, None)
                        done.append((seminar, step, None))
            except review.ReviewRefused as refusal:
                done.append((seminar, step, str(refusal)))
    return done


def _still_due(seminar, step, now):
    row = review.review_of(seminar, lock=True)
    status = Seminar.objects.filter(pk=seminar.pk).values_list("status", flat=True).first()
    if step == review.PUBLISH:
        return bool(row.publish_at and row.publish_at <= now and status == "draft")
    return bool(row.unpublish_at and row.unpublish_at <= now and status == "published")
