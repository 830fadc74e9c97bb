"""The scaled dataset of the benchmark and of the query-budget tests, built with bulk_create.

The schema allows at most 101 editions: `fiscal_year` is unique and constrained to 2000–2100
(seminars_seminar_unique_fiscal_year, seminars_seminar_fiscal_year_range). `add_editions()` fills
the fiscal years the seed leaves free, so "as many editions as the data model allows" is the
large size; every edition it creates gets a full report (agenda, organizers, delegations, photos).
"""

import datetime

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Organizer, Photo, Seminar
from seminars.public.invalidation import note_changes

FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 2000, 2100
ROLES = [Organizer.Role.HOST, Organizer.Role.CO_HOST, Organizer.Role.SPONSOR]
KINDS = list(AgendaItem.Kind)


def free_fiscal_years():
    taken = set(Seminar.objects.values_list("fiscal_year", flat=True))
    return [y for y in range(FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR + 1) if y not in taken]


def add_editions(count=None, items=30, organizers=10, photos=3, participants=4):
    """`count` published editions (default: all the schema allows) after the existing ones."""
    years = free_fiscal_years()
    count = len(years) if count is None else min(count, len(years))
    city = City.objects.create(
        name_ja="ベンチ市", name_zh_hans="基准市", province_ja="", province_zh_hans=""
    )
    first = (
        Seminar.objects.order_by("-edition").values_list("edition", flat=True).first() or 0
    ) + 1
    seminars = Seminar.objects.bulk_create(
        _seminar(first + i, years[i], city) for i in range(count)
    )
    seminars = list(Seminar.objects.filter(edition__gte=first).order_by("edition"))
    add_reports(seminars, items, organizers, photos, participants)
    # Bulk inserts send no model signals: the page cache is told what changed.
    note_changes(seminars={s.pk for s in seminars}, series=True)
    return seminars


def _seminar(edition, fiscal_year, city):
    start = datetime.date(fiscal_year, 10, 1)
    return Seminar(
        edition=edition,
        fiscal_year=fiscal_year,
        city=city,
        theme_ja=f"第{edition}回のテーマ：地域間交流と観光協力",
        theme_zh_hans=f"第{edition}届主题：地区间交流与旅游合作",
        summary_ja="日中の地方自治体が地域振興の経験を共有しました。" * 4,
        summary_zh_hans="中日地方政府分享了地区振兴的经验。" * 4,
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        status=Seminar.Status.PUBLISHED,
    )


def add_reports(seminars, items=30, organizers=10, photos=3, participants=4):
    """A full report for each seminar, in a handful of bulk inserts."""
    organizations = Organization.objects.bulk_create(
        Organization(name_ja=f"団体{i}", name_zh_hans=f"团体{i}", country="JP" if i % 2 else "CN")
        for i in range(organizers)
    )
    Organizer.objects.bulk_create(
        Organizer(seminar=s, organization=o, role=ROLES[min(i, 2)], order=i)
        for s in seminars
        for i, o in enumerate(organizations)
    )
    AgendaItem.objects.bulk_create(item for s in seminars for item in _agenda(s, items))
    Photo.objects.bulk_create(
        Photo(seminar=s, caption_ja=f"写真{i}", caption_zh_hans=f"照片{i}", order=i)
        for s in seminars
        for i in range(photos)
    )
    Delegation.objects.bulk_create(
        Delegation(seminar=s, side=side, participant_count=30 + len(side), description_ja="代表団")
        for s in seminars
        for side in ("japan", "china")
    )
    _add_speakers(seminars, participants)


def _agenda(seminar, items):
    for i in range(items):
        day = seminar.start_date + datetime.timedelta(days=i * 3 // items)
        yield AgendaItem(
            seminar=seminar,
            date=day,
            start_time=datetime.time(9 + i % 8, 0),
            end_time=datetime.time(9 + i % 8, 45),
            kind=KINDS[i % len(KINDS)],
            title_ja=f"議題{i}：地域の魅力発信",
            title_zh_hans=f"议题{i}：地区魅力推介",
            venue_ja="国際会議場",
            venue_zh_hans="国际会议中心",
            order=i,
        )


def _add_speakers(seminars, per_delegation):
    delegations = Delegation.objects.filter(seminar__in=seminars)
    Participant.objects.bulk_create(
        Participant(delegation=d, name_ja=f"登壇者{i}", name_zh_hans=f"发言人{i}", order=i)
        for d in delegations
        for i in range(per_delegation)
    )
    first_items = {}
    for item_id, seminar_id in AgendaItem.objects.filter(
        seminar__in=seminars, order__lt=4
    ).values_list("pk", "seminar_id"):
        first_items.setdefault(seminar_id, []).append(item_id)
    through = Participant.agenda_items.through
    speakers = Participant.objects.filter(delegation__seminar__in=seminars, order=0)
    through.objects.bulk_create(
        through(participant_id=p.pk, agendaitem_id=item_id)
        for p in speakers.select_related("delegation")
        for item_id in first_items.get(p.delegation.seminar_id, [])[:2]
    )
