"""The edition-wide version: one number per edition, moved forward by every change to the edition
or to anything that belongs to it (organizers, agenda, photos, delegations, participants).

The write guard (seminars.record.guards) calls `bump()` after each save, delete or link change,
inside the
writer's transaction. Forms carry the number they were loaded with (`EditionVersionForm`) and
`check_current()` refuses a stale one while holding the edition's version row locked, so two saves
can never interleave between the check and the write (PostgreSQL: row lock; SQLite: one writer).
"""

import contextlib
import contextvars
import datetime
import itertools

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from seminars.models import EditionVersion, Seminar

VERSION_FIELD = "edition_version"


def edition_id_of(instance):
    """The id of the edition `instance` belongs to, or None (cities, organizations)."""
    if isinstance(instance, Seminar):
        return instance.pk
    if hasattr(instance, "seminar_id"):
        return instance.seminar_id
    delegation_id = getattr(instance, "delegation_id", None)
    if delegation_id is None:
        return None
    loaded = instance._state.fields_cache.get("delegation")  # a participant saved with its own
    if loaded is not None and loaded.pk == delegation_id:
        return loaded.seminar_id
    delegation = type(instance)._meta.get_field("delegation").related_model
    return (
        delegation._base_manager.filter(pk=delegation_id)
        .values_list("seminar_id", flat=True)
        .first()
    )


_pending = contextvars.ContextVar("seminars_version_bumps", default=None)


@contextlib.contextmanager
def bumps_once():
    """Writes inside the block move each edition they touch one step, when the block ends,
    instead of one step per row (factories building a whole edition; bulk writes)."""
    outer = _pending.get()
    if outer is not None:  # nested: the outermost block bumps
        yield
        return
    pending = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    for seminar_id, (user, create) in pending.items():
        bump(seminar_id, user, create)


_block_numbers = itertools.count(1)


class _Bumped:
    """A no-op on-commit callback that marks an edition as moved forward in one transaction.

    Django drops the callbacks registered inside a savepoint that rolls back (and all of them
    when the transaction rolls back), so the mark lasts exactly as long as the UPDATE it stands
    for: a later write in the same transaction finds it and does not move the number again.
    """

    __slots__ = ("scope", "seminar_id")

    def __init__(self, seminar_id, scope):
        self.seminar_id, self.scope = seminar_id, scope

    def __call__(self):
        pass


def transaction_scope(connection):
    """What identifies the writer's own transaction, or None outside one (autocommit).

    A test case's wrapping atomic blocks (never committed) are not the writer's transaction:
    there, the outermost block the code itself opened is (an admin save's, a service's), named
    by the savepoints up to and including its own and by a number given to the block object;
    each request of a test then bumps as it does in production. Not by `id(block)`: a block that
    has ended is freed, and the next one often gets its address, so a later write in the same
    test (a delete, then an m2m add, each in a block without a savepoint) found the first one's
    mark and did not move the number. A block object entered again (`@transaction.atomic` on a
    function) is told apart by its new savepoint.
    """
    blocks = connection.atomic_blocks
    for index, block in enumerate(blocks):
        if not getattr(block, "_from_testcase", False):
            number = block.__dict__.get("_version_scope")
            if number is None:
                number = block._version_scope = next(_block_numbers)
            return (*connection.savepoint_ids[: index + 1], number)
    return None


def bump(seminar_id, user=None, create=True):
    """One step forward, saying who and when; `create=False` while the edition is being deleted.

    Once per transaction: the first write of a transaction to an edition moves its number (an
    UPDATE inside that transaction, so the row stays locked until the commit and no concurrent
    save can reuse the number); the other rows of the same save find the mark and do nothing.
    """
    if seminar_id is None:
        return
    pending = _pending.get()
    if pending is not None:
        _user, created = pending.get(seminar_id, (user, False))
        pending[seminar_id] = (user, create or created)
        return
    using = EditionVersion.objects.db
    connection = transaction.get_connection(using)
    scope = transaction_scope(connection) if connection.in_atomic_block else None
    if scope is None:
        _move(seminar_id, user, create)
        return
    for entry in connection.run_on_commit:
        mark = entry[1]
        if isinstance(mark, _Bumped) and mark.seminar_id == seminar_id and mark.scope == scope:
            return
    _move(seminar_id, user, create)
    transaction.on_commit(_Bumped(seminar_id, scope), using=using)


def _move(seminar_id, user, create):
    changes = {"number": F("number") + 1, "saved_by": user, "saved_at": timezone.now()}
    if EditionVersion.objects.filter(seminar_id=seminar_id).update(**changes) or not create:
        return
    if Seminar._base_manager.filter(pk=seminar_id).exists():
        EditionVersion.objects.get_or_create(
            seminar_id=seminar_id,
            defaults={"number": 1, "saved_by": user, "saved_at": changes["saved_at"]},
        )


def current(seminar_id, lock=False):
    """The edition's version row as it is now (created at 0 if it has none yet)."""
    if lock:
        row = (
            EditionVersion.objects.select_for_update(of=("self",))
            .select_related("saved_by", "seminar")
            .filter(seminar_id=seminar_id)
            .first()
        )
        if row is not None:
            return row
    row, _created = EditionVersion.objects.select_related("saved_by", "seminar").get_or_create(
        seminar_id=seminar_id
    )
    return row


# What was refused, by the kind of write that found the edition moved on.
PAGE, PREVIEW, RESTORE = "page", "preview", "restore"
STALE_MESSAGES = {
    PAGE: _(
        "%(who)s saved this edition (or a part of it) at %(when)s, after you opened this "
        "page. Nothing was saved: your entries are still below. Open the page again to see "
        "their changes, then make yours again."
    ),
    PREVIEW: _(
        "%(who)s saved edition %(edition)s (or a part of it) at %(when)s, after your "
        "preview. Nothing was imported: upload the file again to see the changes."
    ),
    RESTORE: _(
        "%(who)s saved this edition (or a part of it) at %(when)s, after you opened this page. "
        "Nothing was restored: read the page again, then restore."
    ),
}


def _is_cjk(text):
    return any("\u3040" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text)


def staff_name(user):
    """How colleagues know a staff member: the full name where the user has one (山田花子, family
    name first for Japanese and Chinese names; "Hanako Yamada" otherwise), else the user name."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last and _is_cjk(first + last):
        return f"{last}{first}"
    return user.get_full_name().strip() or user.get_username()


def stale_error(row, refused=PAGE):
    """The refusal, naming who saved when; on pages, with a link to what they changed (the
    edition's history, their save first)."""
    who = staff_name(row.saved_by) if row.saved_by else _("someone else")
    when = date_format(localtime(row.saved_at), "DATETIME_FORMAT") if row.saved_at else ""
    params = {"who": who, "when": when, "edition": row.seminar.edition}
    if refused == PREVIEW:  # shown as plain text among the import's row errors
        return ValidationError(STALE_MESSAGES[refused], code="stale", params=params)
    message = format_html(
        '{} <a href="{}" class="stale-history">{}</a>',
        STALE_MESSAGES[refused] % params,
        reverse("admin:seminars_seminar_history", args=[row.seminar_id]),
        _("See what they changed in the edition's history."),
    )
    return ValidationError(message, code="stale")


def check_current(seminar_id, loaded, refused=PAGE):
    """Raise the stale error unless `loaded` is the edition's version now (row locked).

    Call it inside the transaction of the write it guards: the lock lasts until its commit.
    """
    row = current(seminar_id, lock=True)
    if str(row.number) != str(loaded):
        raise stale_error(row, refused)


class EditionVersionForm(forms.ModelForm):
    """A change form for an edition or a part of it: refused when the edition moved on."""

    edition_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        seminar_id = self._edition_id()
        if seminar_id is not None and not self.is_bound:
            self.fields[VERSION_FIELD].initial = current(seminar_id).number

    def _edition_id(self):
        if self.instance.pk is None:
            return None  # a new row: nothing to be stale against
        return edition_id_of(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        seminar_id = self._edition_id()
        if seminar_id is not None:
            loaded = self.data.get(self.add_prefix(VERSION_FIELD))
            try:
                check_current(seminar_id, loaded)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


# --- who has an edition open ------------------------------------------------------------------
# A short-lived mark in the cache ("default": Redis in production, shared by every worker): set
# when a staff member who may change the edition opens its page, refreshed by the page's
# heartbeat, dropped when the page is left. Nothing is locked: the stale check above still
# decides saves; the mark only tells the second person who else is at work on it.

HEARTBEAT_SECONDS = 60
HOLD_SECONDS = 150  # an open page that stopped beating (closed laptop) is forgotten after this
RECENT_SAVE = datetime.timedelta(minutes=10)


def _holders_key(seminar_id):
    return f"edition-open-{seminar_id}"


def _holders(seminar_id, now):
    holders = cache.get(_holders_key(seminar_id)) or {}
    limit = now.timestamp() - HOLD_SECONDS
    return {user_id: mark for user_id, mark in holders.items() if mark["seen"] >= limit}


def hold(seminar_id, user):
    """`user` has the edition's page open (since their first open of this stretch)."""
    now = timezone.now()
    holders = _holders(seminar_id, now)
    mark = holders.get(str(user.pk))
    since = mark["since"] if mark else now.timestamp()
    holders[str(user.pk)] = {"name": staff_name(user), "since": since, "seen": now.timestamp()}
    cache.set(_holders_key(seminar_id), holders, HOLD_SECONDS)


def release(seminar_id, user):
    """`user` left the edition's page."""
    holders = _holders(seminar_id, timezone.now())
    if holders.pop(str(user.pk), None) is not None:
        cache.set(_holders_key(seminar_id), holders, HOLD_SECONDS)


def _clock(moment):
    """10:42 today, else the short date and time (China time, as the admin shows times)."""
    local = localtime(moment)
    if local.date() == localtime(timezone.now()).date():
        return time_format(local, "H:i")
    return date_format(local, "SHORT_DATETIME_FORMAT")


def editing_notices(seminar_id, user):
    """What to tell `user` on the edition's page: who else has it open, and since when; who
    else saved it in the last minutes."""
    now = timezone.now()
    notices = []
    holders = _holders(seminar_id, now)
    for user_id, mark in sorted(holders.items(), key=lambda item: item[1]["since"]):
        if user_id != str(user.pk):
            since = datetime.datetime.fromtimestamp(mark["since"], tz=datetime.UTC)
            notices.append(
                _("%(who)s has this edition open since %(time)s.")
                % {"who": mark["name"], "time": _clock(since)}
            )
    row = EditionVersion.objects.select_related("saved_by").filter(seminar_id=seminar_id).first()
    if (
        row is not None
        and row.saved_by is not None
        and row.saved_by_id != user.pk
        and row.saved_at is not None
        and now - row.saved_at < RECENT_SAVE
    ):
        notices.append(
            _("%(who)s saved this edition at %(time)s.")
            % {"who": staff_name(row.saved_by), "time": _clock(row.saved_at)}
        )
    return notices
