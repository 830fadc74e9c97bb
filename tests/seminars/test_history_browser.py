"""Restoring a point of the history in a real browser: a Translator cannot move a date through an
older version (nor is offered its publication state); a Publisher who edits restores a published
version with its publication state and the log says so."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from seminars.models import Seminar
from tests.factories import make_seminar
from tests.pages import log_in_to_admin

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def edition_with_history(live_server, transactional_db):
    """A draft whose history holds an older, published version, then a draft with its dates."""
    seminar = make_seminar(
        30,
        start_date=datetime.date(2031, 7, 1),
        end_date=datetime.date(2031, 7, 2),
        status=Seminar.Status.PUBLISHED,
    )
    seminar.status, seminar.published_at = Seminar.Status.DRAFT, None
    seminar.save()
    seminar.start_date, seminar.end_date = datetime.date(2031, 8, 1), datetime.date(2031, 8, 2)
    seminar.save()
    published_version, draft_version, _now = seminar.history.order_by("history_date")
    return live_server.url, seminar, published_version, draft_version


def staff(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=groups))
    assert user.groups.count() == len(groups)
    return user


def log_in(page, site, username):
    log_in_to_admin(page, site, username, PASSWORD)


def revert_url(site, seminar, version):
    return f"{site}/admin/seminars/seminar/{seminar.pk}/history/{version.history_id}/"


def test_translator_cannot_publish_or_move_dates_through_history(
    edition_with_history, django_user_model, page
):
    site, seminar, published_version, draft_version = edition_with_history
    staff(django_user_model, "translator", "Translators")
    log_in(page, site, "translator")

    for version in (published_version, draft_version):  # both differ from now in their dates
        page.goto(revert_url(site, seminar, version))
        assert not page.locator("input[name=restore_publication]").count()  # publishers only
        assert "開始日" in page.locator(".restore-plan").inner_text()
        page.click("input[type=submit][name=restore]")
        page.wait_for_selector(".messagelist .error")
        message = page.locator(".messagelist").inner_text()
        assert "翻訳者が変更できるのは翻訳テキストだけです" in message
        assert "開始日" in message

    seminar.refresh_from_db()
    assert (seminar.status, seminar.start_date) == ("draft", datetime.date(2031, 8, 1))
    assert page.context.request.get(f"{site}/ja/seminars/30/").status == 404
    assert not LogEntry.objects.filter(object_id=str(seminar.pk)).exists()


def test_publisher_restores_a_published_version_and_the_log_records_it(
    edition_with_history, django_user_model, page
):
    site, seminar, version, _draft_version = edition_with_history
    user = staff(django_user_model, "chief", "Editors", "Publishers")
    log_in(page, site, "chief")

    page.goto(revert_url(site, seminar, version))
    page.check("input[name=restore_publication]")
    page.click("input[type=submit][name=restore]")
    page.wait_for_selector(".messagelist .success")

    assert "の状態に戻しました" in page.locator(".messagelist").inner_text()
    seminar.refresh_from_db()
    assert (seminar.status, seminar.start_date) == ("published", datetime.date(2031, 7, 1))
    assert page.context.request.get(f"{site}/ja/seminars/30/").status == 200
    messages = list(
        LogEntry.objects.filter(object_id=str(seminar.pk), user=user).values_list(
            "change_message", flat=True
        )
    )
    assert messages.count("公開しました。") == 1, messages
    assert sum(message.endswith("の状態に戻しました。") for message in messages) == 1, messages
