"""Plain factory functions for test data (seed data lives in fixtures/)."""

import datetime

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Organizer, Photo, Seminar


def make_city(name_ja="テスト市", name_zh_hans="测试市", **fields):
    fields.setdefault("province_ja", "テスト省")
    fields.setdefault("province_zh_hans", "测试省")
    return City.objects.create(name_ja=name_ja, name_zh_hans=name_zh_hans, **fields)


def make_seminar(edition, city=None, **fields):
    fields.setdefault("fiscal_year", 2001 + edition)
    fields.setdefault("theme_ja", f"テーマ{edition}")
    fields.setdefault("theme_zh_hans", f"主题{edition}")
    fields.setdefault("status", Seminar.Status.PUBLISHED)
    return Seminar.objects.create(edition=edition, city=city or make_city(), **fields)


def make_organization(name_ja="テスト協会", name_zh_hans="测试协会", country="JP"):
    return Organization.objects.create(name_ja=name_ja, name_zh_hans=name_zh_hans, country=country)


def make_organizer(seminar, organization=None, role=Organizer.Role.HOST, order=0):
    return Organizer.objects.create(
        seminar=seminar,
        organization=organization or make_organization(),
        role=role,
        order=order,
    )


def make_agenda_item(seminar, date=None, kind=AgendaItem.Kind.MEETING, **fields):
    fields.setdefault("title_ja", "会議")
    fields.setdefault("title_zh_hans", "会议")
    return AgendaItem.objects.create(
        seminar=seminar,
        date=date or seminar.start_date or datetime.date(2020, 1, 1),
        kind=kind,
        **fields,
    )


def make_photo(seminar, caption_ja="写真", caption_zh_hans="照片", order=0):
    return Photo.objects.create(
        seminar=seminar, caption_ja=caption_ja, caption_zh_hans=caption_zh_hans, order=order
    )


def make_delegation(seminar, side="japan", participant_count=10, **fields):
    return Delegation.objects.create(
        seminar=seminar, side=side, participant_count=participant_count, **fields
    )


def make_participant(delegation, name_ja="山田太郎", name_zh_hans="山田太郎", **fields):
    return Participant.objects.create(
        delegation=delegation, name_ja=name_ja, name_zh_hans=name_zh_hans, **fields
    )
