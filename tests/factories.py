"""Plain factory functions for test data (seed data lives in fixtures/).

Each factory writes through the ORM, so the write guard, the history and every receiver see its
rows; but the side effects a test of something else does not need run once per factory call
rather than once per row (`side_effects_once`): the edition's version moves one step and the
page cache forgets what the call wrote when it returns. A test about those side effects writes
through the ORM itself, row by row, as the admin and the services do.
"""

import contextlib
import datetime
import functools

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Organizer, Photo, Seminar
from seminars.public.invalidation import pages_once
from seminars.record.versions import bumps_once


@contextlib.contextmanager
def side_effects_once():
    """Inside the block, each edition written moves one version step and the page cache forgets
    what was written, once, when the block ends (not once per row)."""
    with pages_once(), bumps_once():
        yield


def once(factory):
    """The factory's writes with `side_effects_once`."""

    @functools.wraps(factory)
    def quiet(*args, **kwargs):
        with side_effects_once():
            return factory(*args, **kwargs)

    return quiet


@once
def make_city(name_ja="テスト市", name_zh_hans="测试市", **fields):
    fields.setdefault("province_ja", "テスト省")
    fields.setdefault("province_zh_hans", "测试省")
    return City.objects.create(name_ja=name_ja, name_zh_hans=name_zh_hans, **fields)


@once
def make_seminar(edition, city=None, **fields):
    fields.setdefault("fiscal_year", 2001 + edition)
    fields.setdefault("theme_ja", f"テーマ{edition}")
    fields.setdefault("theme_zh_hans", f"主题{edition}")
    fields.setdefault("status", Seminar.Status.PUBLISHED)
    return Seminar.objects.create(edition=edition, city=city or make_city(), **fields)


@once
def make_organization(name_ja="テスト協会", name_zh_hans="测试协会", country="JP"):
    return Organization.objects.create(name_ja=name_ja, name_zh_hans=name_zh_hans, country=country)


@once
def make_organizer(seminar, organization=None, role=Organizer.Role.HOST, order=0):
    return Organizer.objects.create(
        seminar=seminar,
        organization=organization or make_organization(),
        role=role,
        order=order,
    )


@once
def make_agenda_item(seminar, date=None, kind=AgendaItem.Kind.MEETING, **fields):
    fields.setdefault("title_ja", "会議")
    fields.setdefault("title_zh_hans", "会议")
    return AgendaItem.objects.create(
        seminar=seminar,
        date=date or seminar.start_date or datetime.date(2020, 1, 1),
        kind=kind,
        **fields,
    )


@once
def make_photo(seminar, caption_ja="写真", caption_zh_hans="照片", order=0):
    return Photo.objects.create(
        seminar=seminar, caption_ja=caption_ja, caption_zh_hans=caption_zh_hans, order=order
    )


@once
def make_delegation(seminar, side="japan", participant_count=10, **fields):
    return Delegation.objects.create(
        seminar=seminar, side=side, participant_count=participant_count, **fields
    )


@once
def make_participant(delegation, name_ja="山田太郎", name_zh_hans="山田太郎", **fields):
    return Participant.objects.create(
        delegation=delegation, name_ja=name_ja, name_zh_hans=name_zh_hans, **fields
    )


@once
def make_editions(count, first_edition=18, first_year=2019, city=None):
    """`count` published editions after the seed's, in one bulk insert (unique fiscal years)."""
    city = city or make_city()
    return Seminar.objects.bulk_create(
        Seminar(
            edition=first_edition + i,
            fiscal_year=first_year + i,
            city=city,
            theme_ja=f"テーマ{first_edition + i}",
            theme_zh_hans=f"主题{first_edition + i}",
            status=Seminar.Status.PUBLISHED,
        )
        for i in range(count)
    )


@once
def make_full_report(seminar, items=3, organizers=3, photos=2):
    """Organizers, delegations with people, agenda items with speakers and photos for `seminar`."""
    for i in range(organizers):
        organization = make_organization(f"団体{seminar.edition}-{i}", f"团体{seminar.edition}-{i}")
        make_organizer(seminar, organization, role=list(Organizer.Role)[i % 3], order=i)
    japan = make_delegation(seminar, "japan", 30)
    china = make_delegation(seminar, "china", 40)
    day = seminar.start_date or datetime.date(2020, 1, 1)
    for i in range(items):
        item = make_agenda_item(
            seminar, date=day, order=i, title_ja=f"議題{i}", title_zh_hans=f"议题{i}"
        )
        speaker = make_participant(
            japan if i % 2 else china, f"登壇者{i}", f"发言人{i}", position_ja="役職", order=i
        )
        speaker.agenda_items.add(item)
    for i in range(photos):
        make_photo(seminar, f"写真{i}", f"照片{i}", order=i)
    return seminar


@once
def make_edition(edition=5, start_date=None, days=3, city=None, **fields):
    """A complete, published edition as editors leave one: dated, every text in both languages,
    three organizers, both delegations with their people, a programme on each day (with venues
    and speakers) and photos. Tests name what they change instead of relying on the seed."""
    start_date = start_date or datetime.date(2001 + edition, 7, 11)
    fields.setdefault("title_ja", f"第{edition}回セミナー")
    fields.setdefault("title_zh_hans", f"第{edition}届研讨会")
    fields.setdefault("summary_ja", f"第{edition}回の概要。")
    fields.setdefault("summary_zh_hans", f"第{edition}届的概要。")
    seminar = make_seminar(
        edition,
        city=city,
        start_date=start_date,
        end_date=start_date + datetime.timedelta(days=days - 1),
        **fields,
    )
    for order, role in enumerate(Organizer.Role):
        organization = make_organization(
            f"主催団体{edition}-{order}",
            f"主办团体{edition}-{order}",
            country=("JP", "CN")[order % 2],
        )
        make_organizer(seminar, organization, role=role, order=order)
    delegations = [
        make_delegation(
            seminar,
            side,
            count,
            description_ja=f"{label_ja}代表団",
            description_zh_hans=f"{label_zh}代表团",
        )
        for side, count, label_ja, label_zh in (
            ("japan", 12, "日本", "日本"),
            ("china", 15, "中国", "中国"),
        )
    ]
    order = 0
    for day in range(days):
        for slot in range(2):
            item = make_agenda_item(
                seminar,
                date=start_date + datetime.timedelta(days=day),
                kind=AgendaItem.Kind.LECTURE,
                order=order,
                start_time=datetime.time(9 + 3 * slot, 0),
                end_time=datetime.time(11 + 3 * slot, 0),
                title_ja=f"講演{order + 1}",
                title_zh_hans=f"演讲{order + 1}",
                venue_ja=f"会場{order + 1}",
                venue_zh_hans=f"会场{order + 1}",
                description_ja=f"講演{order + 1}の内容。",
                description_zh_hans=f"演讲{order + 1}的内容。",
            )
            speaker = make_participant(
                delegations[order % 2],
                f"講師{order + 1}",
                f"讲师{order + 1}",
                position_ja="市長",
                position_zh_hans="市长",
                order=order,
            )
            speaker.agenda_items.add(item)
            order += 1
    for i in range(2):
        make_photo(seminar, f"写真{i + 1}", f"照片{i + 1}", order=i)
    return seminar


def png_bytes(color, size=(8, 6)):
    """A small PNG of one colour: photo files that differ by content."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def make_draft_with_parts(edition):
    """A two-day draft edition (July of the year 2000 + edition) with one of each part: an
    organizer, an agenda item (基調講演 / 主旨演讲) attended by a participant of a delegation of 59;
    photos are the caller's (with or without files)."""
    seminar = make_seminar(
        edition,
        status=Seminar.Status.DRAFT,
        start_date=datetime.date(2000 + edition, 7, 1),
        end_date=datetime.date(2000 + edition, 7, 2),
    )
    make_organizer(seminar)
    item = make_agenda_item(seminar, title_ja="基調講演", title_zh_hans="主旨演讲")
    make_participant(make_delegation(seminar, participant_count=59)).agenda_items.add(item)
    return seminar
