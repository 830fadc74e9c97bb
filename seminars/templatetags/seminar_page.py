"""Template helpers for an edition's page: the programme by day and session, photos, people."""

from dataclasses import dataclass, field

from django import template

from .seminar_i18n import localized_text

register = template.Library()


@dataclass
class Block:
    """A top-level agenda item with its parts (a session such as 本会議 and what it holds)."""

    item: object
    parts: list = field(default_factory=list)
    show_kind: bool = True


@dataclass
class Day:
    date: object
    blocks: list = field(default_factory=list)


@dataclass
class Programme:
    days: list
    has_times: bool


def _kind_repeats(item, title, session=None):
    """True when the kind badge would only repeat the title or the session's own badge."""
    if session is not None and session.kind == item.kind:
        return True
    label = str(item.get_kind_display())
    return bool(title) and (label in title or title in label)


@register.simple_tag
def programme(seminar):
    """The programme from the prefetched items, without another query: days in date order,
    each with its blocks; a part listed under its session (same day), never on its own."""
    items = list(seminar.agenda_items.all())
    by_id = {item.pk: item for item in items}
    blocks = {}
    days = []
    for item in items:
        session = by_id.get(item.session_id)
        if session is not None and session.date == item.date and session.session_id is None:
            continue
        if not days or days[-1].date != item.date:
            days.append(Day(item.date))
        title = localized_text(item, "title").text
        block = Block(item, show_kind=not _kind_repeats(item, title))
        blocks[item.pk] = block
        days[-1].blocks.append(block)
    for item in items:
        block = blocks.get(item.session_id)
        if block is not None and item.pk not in blocks:
            title = localized_text(item, "title").text
            item.show_kind = not _kind_repeats(item, title, block.item)
            block.parts.append(item)
    has_times = any(item.start_time for item in items)
    return Programme(days, has_times)


@register.simple_tag
def venue_text(item):
    """The venue, unless it only repeats the title (「行政視察：李白記念館」 at 李白記念館)."""
    venue = localized_text(item, "venue")
    title = localized_text(item, "title").text
    if not venue.text or venue.text in title:
        return None
    return venue


@register.filter
def with_images(photos):
    """Only the photos that have an image: a caption alone makes no figure."""
    return [photo for photo in photos if photo.image]


@register.filter
def listed_people(delegation):
    """The named people the delegation's row stands for (speakers listed elsewhere are not)."""
    return [p for p in delegation.participants_in_order if p.listed_with_delegation]


@register.filter
def has_report(seminar):
    """Whether anything beyond the listing row is published for the edition."""
    return bool(
        seminar.agenda_items.all()
        or seminar.organizers.all()
        or seminar.delegations.all()
        or localized_text(seminar, "summary").text
    )
