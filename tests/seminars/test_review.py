"""Review before publishing: who may take which step, which steps may follow which, the e-mail to
the publishers, the steps and comments in the edition's history, and publishing without an
approval (only with a reason)."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from seminars.models import EditionReview, ReviewAction, ReviewEvent, ReviewState, Seminar
from seminars.record import permissions, review
from tests.factories import make_agenda_item, make_seminar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _japanese():
    """Refusals outside a request are in the active language: Japanese here."""
    with translation.override("ja"):
        yield


ROLES = ["Editors", "Translators", "Data stewards", "Publishers", "superuser", "anonymous"]
EDITORS = {"Editors", "superuser"}
PUBLISHERS = {"Publishers", "superuser"}
# step: (the state it starts from, who may take it, the state it leads to)
STEP_CASES = {
    "submit": (ReviewState.DRAFT, EDITORS, ReviewState.READY),
    "withdraw": (ReviewState.READY, EDITORS, ReviewState.DRAFT),
    "request_changes": (ReviewState.READY, PUBLISHERS, ReviewState.CHANGES_REQUESTED),
    "approve": (ReviewState.READY, PUBLISHERS, ReviewState.APPROVED),
}


@pytest.fixture
def draft():
    """An edition not yet published (no review step yet), with one agenda item: small, as
    review steps look at the edition's state, not its content."""
    seminar = make_seminar(5, status=Seminar.Status.DRAFT)
    make_agenda_item(seminar)
    return seminar


def review_url(seminar):
    return reverse("admin:seminars_seminar_review", args=[seminar.pk])


def publish_url(seminar):
    return reverse("admin:seminars_seminar_publish", args=[seminar.pk])


def bring_to(seminar, state):
    """The edition in `state`, by the system's own steps."""
    path = {
        ReviewState.DRAFT: [],
        ReviewState.READY: ["submit"],
        ReviewState.CHANGES_REQUESTED: ["submit", "request_changes"],
        ReviewState.APPROVED: ["submit", "approve"],
    }[state]
    for step in path:
        review.transition(seminar, step, None, comment="システムのコメント")


def state_of(seminar):
    row = EditionReview.objects.filter(seminar=seminar).first()
    return row.state if row else ReviewState.DRAFT


def login(client, staff_in, superuser, role):
    if role == "superuser":
        client.force_login(superuser)
    elif role != "anonymous":
        client.force_login(staff_in(role))
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEP_CASES))
def test_review_step_by_role(client, staff_in, superuser, draft, step, role):
    start, allowed, target = STEP_CASES[step]
    bring_to(draft, start)
    events = ReviewEvent.objects.count()
    client = login(client, staff_in, superuser, role)

    response = client.post(
        review_url(draft), {"step": step, "comment": "テーマの中国語訳を直してください。"}
    )

    if role in allowed:
        assert response.status_code == 302 and response["Location"] == review_url(draft)
        assert state_of(draft) == target
        assert ReviewEvent.objects.count() == events + 1
        assert ReviewEvent.objects.latest("pk").action == step
    else:
        assert state_of(draft) == start
        assert ReviewEvent.objects.count() == events
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 200
            assert "errornote" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_schedule_by_role(client, staff_in, superuser, draft, role):
    bring_to(draft, ReviewState.APPROVED)
    client = login(client, staff_in, superuser, role)

    client.post(review_url(draft), {"step": "schedule", "publish_at": "2099-01-02T10:30"})

    scheduled = EditionReview.objects.get(seminar=draft).publish_at
    if role in PUBLISHERS:
        assert scheduled is not None
        assert (scheduled.year, scheduled.hour, scheduled.minute) == (2099, 2, 30)  # 10:30 UTC+8
    else:
        assert scheduled is None


def test_review_refusals_speak_the_staff_language(client, staff_in, draft):
    client.force_login(staff_in("Translators"))
    ja = client.post(review_url(draft), {"step": "submit"}, HTTP_ACCEPT_LANGUAGE="ja")
    zh = client.post(review_url(draft), {"step": "submit"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "レビューの依頼と取り下げは編集者だけが行えます。" in ja.content.decode()
    assert "只有编辑人员可以提交或撤回审阅请求。" in zh.content.decode()


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (ReviewState.DRAFT, "approve"),
        (ReviewState.DRAFT, "request_changes"),
        (ReviewState.DRAFT, "withdraw"),
        (ReviewState.READY, "submit"),
        (ReviewState.CHANGES_REQUESTED, "approve"),
        (ReviewState.CHANGES_REQUESTED, "withdraw"),
        (ReviewState.APPROVED, "submit"),
        (ReviewState.APPROVED, "approve"),
        (ReviewState.DRAFT, "publish_unapproved"),
    ],
)
def test_illegal_step_is_refused_and_changes_nothing(draft, state, step):
    bring_to(draft, state)
    events = list(ReviewEvent.objects.values_list("pk", flat=True))

    with pytest.raises(review.ReviewRefused):
        review.transition(draft, step, None, comment="コメント")

    assert state_of(draft) == state
    assert list(ReviewEvent.objects.values_list("pk", flat=True)) == events


def test_request_for_changes_needs_a_comment_and_a_known_field(draft):
    bring_to(draft, ReviewState.READY)
    with pytest.raises(review.ReviewRefused, match="コメントが必要"):
        review.transition(draft, "request_changes", None, comment="  ")
    with pytest.raises(review.ReviewRefused):
        review.transition(draft, "request_changes", None, comment="x", field="password")
    assert state_of(draft) == ReviewState.READY
    # The database says the same, whatever path wrote.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewEvent.objects.create(seminar=draft, action="request_changes", state="ready")
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionReview.objects.filter(seminar=draft).update(state="published")


def test_a_published_edition_is_not_reviewed():
    published = make_seminar(6)
    with pytest.raises(review.ReviewRefused, match="非公開"):
        review.transition(published, "submit", None)
    assert not EditionReview.objects.filter(seminar=published, state="ready").exists()


def test_whoever_marked_it_ready_cannot_approve_it(staff_in, draft):
    both = staff_in("Editors", "Publishers")
    review.transition(draft, "submit", both)
    with pytest.raises(review.ReviewRefused, match="依頼した本人"):
        review.transition(draft, "approve", both)
    review.transition(draft, "approve", staff_in("Publishers"))
    assert state_of(draft) == ReviewState.APPROVED


def test_a_decision_on_a_page_older_than_the_edition_is_refused(client, staff_in, draft):
    bring_to(draft, ReviewState.READY)
    client.force_login(staff_in("Publishers"))
    page = client.get(review_url(draft))
    shown = page.context["form"].initial["edition_version"]
    Seminar.objects.get(pk=draft.pk).save()  # an editor saves meanwhile

    response = client.post(review_url(draft), {"step": "approve", "edition_version": shown})

    assert "何も決定していません" in response.content.decode()
    assert state_of(draft) == ReviewState.READY


def test_a_change_after_approval_sends_it_back_to_review(staff_in, draft):
    """The approval is of the edition as it was: any later change (here an agenda item's text
    saved by an editor) returns it to "ready for review" and drops its scheduled publication."""
    bring_to(draft, ReviewState.APPROVED)
    EditionReview.objects.filter(seminar=draft).update(publish_at="2099-01-01T00:00Z")
    editor = staff_in("Editors")
    item = draft.agenda_items.first()
    item.title_zh_hans = "新的标题"
    with permissions.acting_as(editor):
        item.save()

    row = EditionReview.objects.get(seminar=draft)
    assert row.state == ReviewState.READY and row.publish_at is None
    reset = ReviewEvent.objects.latest("pk")
    assert reset.action == ReviewAction.RESET and reset.user == editor


def test_publishing_is_no_change_that_resets_an_approval(draft):
    bring_to(draft, ReviewState.APPROVED)
    review.transition(draft, "publish", None)
    draft.refresh_from_db()
    assert draft.is_published
    assert not ReviewEvent.objects.filter(action=ReviewAction.RESET).exists()
    assert ReviewEvent.objects.latest("pk").action == ReviewAction.PUBLISH


@pytest.mark.parametrize(
    ("lang", "subject", "body"),
    [
        ("ja", "レビュー依頼：", "レビューを依頼しました"),
        ("zh-hans", "审阅请求：", "已提交"),
    ],
)
def test_ready_for_review_mails_the_publishers(
    client, staff_in, draft, django_capture_on_commit_callbacks, lang, subject, body
):
    publisher = staff_in("Publishers")
    publisher.email = "publisher@example.org"
    publisher.save()
    steward = staff_in("Data stewards")
    steward.email = "steward@example.org"
    steward.save()
    client.force_login(staff_in("Editors"))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(draft), {"step": "submit"}, HTTP_ACCEPT_LANGUAGE=lang)

    [message] = mail.outbox
    assert message.to == ["publisher@example.org"]
    assert subject in message.subject and body in message.body
    assert str(draft.pk) in message.body and "/review/" in message.body


def test_changes_requested_mails_the_editor_who_asked(
    staff_in, draft, django_capture_on_commit_callbacks
):
    editor = staff_in("Editors")
    editor.email = "editor@example.org"
    editor.save()
    publisher = staff_in("Publishers")
    with django_capture_on_commit_callbacks(execute=True):
        review.transition(draft, "submit", editor)
        review.transition(draft, "request_changes", publisher, comment="日付を確認してください。")
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "修正依頼：" in message.subject and "修改要求：" in message.subject
    assert "日付を確認してください。" in message.body


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("ja", ["修正を依頼しました", "対象：テーマ（簡体字中国語）", "レビューを依頼しました"]),
        ("zh-hans", ["要求了修改", "针对：", "提交了审阅"]),
    ],
)
def test_steps_and_comments_are_in_the_edition_history(client, staff_in, draft, lang, texts):
    editor, publisher = staff_in("Editors"), staff_in("Publishers")
    review.transition(draft, "submit", editor)
    review.transition(
        draft,
        "request_changes",
        publisher,
        comment="訳語を統一してください。",
        field="theme_zh_hans",
    )
    client.force_login(publisher)

    response = client.get(
        reverse("admin:seminars_seminar_history", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE=lang
    )

    content = response.content.decode()
    for text in texts:
        assert text in content
    assert "訳語を統一してください。" in content
    assert content.index("訳語を統一") < content.index(texts[2])  # newest first


def test_publishing_a_draft_never_approved_asks_for_a_reason(client, staff_in, draft):
    client.force_login(staff_in("Publishers"))
    question = client.post(publish_url(draft))
    assert 'name="reason"' in question.content.decode()
    hidden = {name: value for name, value in question.context["hidden"]}

    without = client.post(publish_url(draft), {**hidden, "post": "yes", "reason": " "})

    assert without.status_code == 200 and without.context["reason_missing"]
    draft.refresh_from_db()
    assert not draft.is_published
    given = client.post(
        publish_url(draft), {**hidden, "post": "yes", "reason": "記者発表に間に合わせるため"}
    )
    assert given.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    event = ReviewEvent.objects.get(seminar=draft)
    assert event.action == ReviewAction.PUBLISH_UNAPPROVED
    assert event.comment == "記者発表に間に合わせるため"
    history = client.get(reverse("admin:seminars_seminar_history", args=[draft.pk]))
    assert "承認なしで公開しました" in history.content.decode()
    assert "記者発表に間に合わせるため" in history.content.decode()


def test_an_approved_draft_is_published_without_a_reason(client, staff_in, draft):
    bring_to(draft, ReviewState.APPROVED)
    client.force_login(staff_in("Publishers"))
    question = client.post(publish_url(draft))
    assert 'name="reason"' not in question.content.decode()
    hidden = {name: value for name, value in question.context["hidden"]}

    assert client.post(publish_url(draft), {**hidden, "post": "yes"}).status_code == 302

    draft.refresh_from_db()
    assert draft.is_published
    assert ReviewEvent.objects.latest("pk").action == ReviewAction.PUBLISH
    assert state_of(draft) == ReviewState.DRAFT  # the approval was used


@pytest.mark.parametrize(
    ("lang", "heading"), [("ja", "公開前のレビュー"), ("zh-hans", "发布前审阅")]
)
def test_dashboard_lists_what_waits_for_review(client, staff_in, draft, lang, heading):
    bring_to(draft, ReviewState.READY)
    client.force_login(staff_in("Publishers"))

    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=lang)

    [row] = response.context["dashboard"]["review"]
    assert row["object"] == draft and row["url"] == review_url(draft)
    content = response.content.decode()
    assert heading in content and review_url(draft) in content


def test_publishing_by_the_status_field_is_a_step_of_the_review(admin_client_ja, draft):
    """A superuser may still publish with the edition page's status field (no reason is asked
    there): the history says it was published without approval, from where."""
    from tests.admin_forms import admin_form_data

    change = reverse("admin:seminars_seminar_change", args=[draft.pk])
    data = admin_form_data(admin_client_ja.get(change))
    data["status"] = "published"

    assert admin_client_ja.post(change, data).status_code == 302

    event = ReviewEvent.objects.get(seminar=draft)
    assert (event.action, event.comment) == (ReviewAction.PUBLISH_UNAPPROVED, "")
    history = admin_client_ja.get(reverse("admin:seminars_seminar_history", args=[draft.pk]))
    assert "承認なしで公開しました（回の編集ページまたは復元から" in history.content.decode()
