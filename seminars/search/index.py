"""Keeping the search index in step with the record.

Every write path ends in the page-cache invalidation (seminars.public.invalidation), which knows,
once per transaction, which editions a change touched (an edition, anything of it, its city, an
organization it names). After the commit it calls `refresh()`, which writes those editions' rows
again: none for a draft, so unpublishing (or trashing) removes an edition from the search at
once. `rebuild()` writes every row again; it runs after every migrate and flush (post_migrate),
so a deployed database or a test database always starts complete (after SQL outside Django,
`manage.py migrate` with nothing to migrate rebuilds it as well). Each text is stored once
per edition, language and kind, with its folded form (seminars.search.folding).
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from modeltranslation.utils import build_localized_fieldname

from seminars.search.folding import fold
from seminars.search.models import EntryKind, SearchEntry

Kind = EntryKind
# (kind, field) of the edition, its city, an agenda item and a named person: translated fields,
# a column per language.
EDITION_FIELDS = [(Kind.TITLE, "title"), (Kind.THEME, "theme"), (Kind.SUMMARY, "summary")]
CITY_FIELDS = [(Kind.CITY, "name"), (Kind.PROVINCE, "province")]
AGENDA_FIELDS = [
    (Kind.PROGRAMME, "title"),
    (Kind.VENUE, "venue"),
    (Kind.DESCRIPTION, "description"),
]
PERSON_FIELDS = [
    (Kind.PERSON, "name"),
    (Kind.POSITION, "position"),
    (Kind.AFFILIATION, "organization"),
]
KIND_RANK = {kind: rank for rank, kind in enumerate(Kind)}


def languages():
    return [code for code, _name in settings.LANGUAGES]


def translated(obj, fields):
    """(kind, language, text) of each translated field of `obj`, in both languages."""
    for kind, name in fields:
        for language in languages():
            yield kind, language, getattr(obj, build_localized_fieldname(name, language)) or ""


def texts_of(seminar):
    """Every (kind, language, text) the search finds an edition by (a prefetched edition)."""
    yield from translated(seminar, EDITION_FIELDS)
    yield from translated(seminar.city, CITY_FIELDS)
    for organizer in seminar.organizers.all():
        yield from translated(organizer.organization, [(Kind.ORGANIZATION, "name")])
    for item in seminar.agenda_items.all():
        yield from translated(item, AGENDA_FIELDS)
    for delegation in seminar.delegations.all():
        for participant in delegation.participants.all():
            yield from translated(participant, PERSON_FIELDS)


def entries_of(seminar, folded=None):
    """The index rows of one edition: each distinct text once, in the order of its kinds.

    `folded`: {text: its folded form} already known (not folded again)."""
    folded = folded or {}
    seen, entries = set(), []
    for position, (kind, language, text) in enumerate(texts_of(seminar)):
        text = " ".join(text.split())
        if not text or (kind, language, text) in seen:
            continue
        seen.add((kind, language, text))
        order = KIND_RANK[kind] * 100_000 + position
        entries.append(
            SearchEntry(
                seminar=seminar,
                kind=kind,
                language=language,
                text=text,
                folded=folded[text] if text in folded else fold(text),
                order=order,
            )
        )
    return entries


def write(selection):
    """Write again the rows of the editions `selection` (a Q on Seminar) picks.

    Only what differs is written: the rows of texts that went are deleted, the new texts'
    rows added, and a kept text that moved in its edition's order gets its new order (an
    edited theme: two rows out, two in, rather than every row of the edition). Returns the
    number of rows the editions have now."""
    from seminars.models import Organizer, Seminar

    with transaction.atomic():
        picked = Seminar._base_manager.filter(selection).values("pk")
        stored = {}  # (seminar id, kind, language, text) -> (pk, order, folded)
        extra = []  # a text stored twice (never written so; removed)
        rows = SearchEntry.objects.filter(seminar__in=picked).values_list(
            "pk", "seminar_id", "kind", "language", "text", "order", "folded"
        )
        for pk, seminar_id, kind, language, text, order, folded in rows:
            key = (seminar_id, kind, language, text)
            if key in stored:
                extra.append(pk)
            else:
                stored[key] = (pk, order, folded)
        known = {key[3]: value[2] for key, value in stored.items()}
        published = (
            Seminar.objects.published()
            .filter(selection)
            .select_related("city")
            .prefetch_related(
                Prefetch("organizers", Organizer.objects.select_related("organization")),
                "agenda_items",
                "delegations__participants",
            )
        )
        wanted = [entry for seminar in published for entry in entries_of(seminar, known)]
        new, moved, kept = [], [], set()
        for entry in wanted:
            key = (entry.seminar_id, entry.kind, entry.language, entry.text)
            found = stored.get(key)
            if found is None:
                new.append(entry)
                continue
            kept.add(key)
            if found[1] != entry.order:
                moved.append(SearchEntry(pk=found[0], order=entry.order))
        gone = extra + [value[0] for key, value in stored.items() if key not in kept]
        if gone:
            # No signal listens to these rows: deleted without reading them first.
            SearchEntry.objects.filter(pk__in=gone)._raw_delete(SearchEntry.objects.db)
        if moved:
            SearchEntry.objects.bulk_update(moved, ["order"], batch_size=500)
        SearchEntry.objects.bulk_create(new, batch_size=500)
    return len(wanted)


def rebuild():
    """Every published edition's rows, written again."""
    return write(Q())


def refresh(noted):
    """After a commit: the rows of the editions that `noted` (invalidation.Changes) touched."""
    numbers, _neighbours = noted.edition_numbers()
    if numbers or noted.seminars:
        write(Q(pk__in=noted.seminars) | Q(edition__in=numbers))


def rebuild_after_migrate(sender, using="default", **kwargs):
    """post_migrate (after every migrate and flush): the index is complete. Nothing before
    migration 0010 made its table."""
    from django.db import connections

    if SearchEntry._meta.db_table in connections[using].introspection.table_names():
        rebuild()
