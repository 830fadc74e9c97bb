"""Scheduled publishing: `manage.py publish_scheduled` publishes the approved editions whose
(China) time has come and unpublishes those due, through the review's one function; not the
others; twice is once; an edition never approved cannot be scheduled at all."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from seminars.models import EditionReview, ReviewAction, ReviewEvent, Seminar
from seminars.record import permissions, review, review_schedule
from tests.factories import make_agenda_item, make_seminar

pytestmark = pytest.mark.django_db

SOON = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _japanese():
    with translation.override("ja"):
        yield


def approved_draft(edition):
    seminar = make_seminar(edition, status=Seminar.Status.DRAFT)
    make_agenda_item(seminar)
    review.transition(seminar, "submit", None)
    review.transition(seminar, "approve", None)
    return seminar


def scheduled(seminar, **times):
    review.transition(seminar, "schedule", None, **times)
    return seminar


def time_passes(seminar, field):
    """The scheduled time is now past (as if the clock had moved on)."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    EditionReview.objects.filter(seminar=seminar).update(**{field: past})


def run(language="ja"):
    out = io.StringIO()
    call_command("publish_scheduled", language=language, stdout=out)
    return out.getvalue()


def status(seminar):
    return Seminar.objects.get(pk=seminar.pk).status


def test_due_editions_are_published_and_the_others_not(client):
    due = scheduled(approved_draft(5), publish_at=timezone.now() + SOON)
    later = scheduled(approved_draft(6), publish_at=timezone.now() + SOON)
    unapproved = make_seminar(7, status=Seminar.Status.DRAFT)
    time_passes(due, "publish_at")

    output = run()

    assert output.strip() == f"公開しました：{due}"
    assert (status(due), status(later), status(unapproved)) == ("published", "draft", "draft")
    event = ReviewEvent.objects.filter(seminar=due).latest("pk")
    assert (event.action, event.user) == (ReviewAction.PUBLISH, None)
    assert EditionReview.objects.get(seminar=due).publish_at is None
    assert client.get(f"/zh-hans/seminars/{due.edition}/").status_code == 200
    assert client.get(f"/ja/seminars/{later.edition}/").status_code == 404
    # The publication is the same as a publisher's click: history (by the system) and the log.
    assert due.history.latest().status == "published"


def test_running_twice_does_nothing_more():
    due = scheduled(approved_draft(5), publish_at=timezone.now() + SOON)
    time_passes(due, "publish_at")
    run()
    events, history = ReviewEvent.objects.count(), due.history.count()

    assert run().strip() == "予定時刻を迎えた回はありません。"
    assert (ReviewEvent.objects.count(), due.history.count()) == (events, history)


def test_the_command_answers_in_chinese():
    due = scheduled(approved_draft(5), publish_at=timezone.now() + SOON)
    time_passes(due, "publish_at")
    with translation.override("zh-hans"):
        name = str(due)
    assert run("zh-hans").strip() == f"已发布：{name}"
    assert run("zh-hans").strip() == "没有到期的计划。"


def test_an_edition_never_approved_cannot_be_scheduled():
    draft = make_seminar(5, status=Seminar.Status.DRAFT)
    with pytest.raises(review.ReviewRefused, match="承認済み"):
        scheduled(draft, publish_at=timezone.now() + SOON)
    review_row = review.review_of(draft)
    # Nor by any other path: the database refuses the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionReview.objects.filter(pk=review_row.pk).update(publish_at=timezone.now())
    assert run().strip() == "予定時刻を迎えた回はありません。"
    assert status(draft) == "draft"


def test_a_change_after_approval_cancels_the_scheduled_publication(staff_in):
    seminar = scheduled(approved_draft(5), publish_at=timezone.now() + SOON)
    with permissions.acting_as(staff_in("Editors")):
        Seminar.objects.get(pk=seminar.pk).save()  # any save of the edition or its parts

    # Even once the time it had is past, nothing is due: the schedule went with the approval.
    assert review_schedule.due(timezone.now() + 2 * SOON) == ([], [])
    assert run().strip() == "予定時刻を迎えた回はありません。"
    assert status(seminar) == "draft"
    assert EditionReview.objects.get(seminar=seminar).state == "ready"


def test_a_published_edition_is_unpublished_when_due(client):
    seminar = make_seminar(5)
    scheduled(seminar, unpublish_at=timezone.now() + SOON)
    time_passes(seminar, "unpublish_at")

    assert run().strip() == f"非公開にしました：{seminar}"

    assert status(seminar) == "draft"
    assert ReviewEvent.objects.latest("pk").action == ReviewAction.UNPUBLISH
    assert client.get(f"/ja/seminars/{seminar.edition}/").status_code == 404


def test_a_schedule_in_the_past_or_backwards_is_refused():
    seminar = approved_draft(5)
    now = timezone.now()
    with pytest.raises(review.ReviewRefused, match="未来"):
        scheduled(seminar, publish_at=now - SOON)
    with pytest.raises(review.ReviewRefused, match="より後"):
        scheduled(seminar, publish_at=now + 2 * SOON, unpublish_at=now + SOON)
    assert EditionReview.objects.get(seminar=seminar).publish_at is None
