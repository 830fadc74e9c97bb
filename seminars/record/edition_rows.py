"""What an edition's pages show (its page, its programme, its calendar), read in the queries of
`Seminar.objects.for_detail()` with their SQL compiled once per process
(seminars.record.compiled): a page costs what its rows cost, not what building seven queries
costs (the 2018 edition page: 9.6 → 5.3 ms of CPU, bench/cpu.py, 2026-12-08).

`for_detail()` stays the one definition of what is read and in which order: each of its
prefetches is run here as one query of the edition's primary key, and its rows are put where
prefetch_related would put them (the relation's cache, or the `to_attr` list of each parent),
so the templates and tags read the same attributes either way.
"""

import functools
from collections import defaultdict

from django.db.models import F

from seminars.models import Seminar
from seminars.record.compiled import Compiled

# A published edition by number, with what for_detail() selects with it (its city).
PUBLISHED = Compiled(
    lambda edition: (
        Seminar.objects.published()
        .for_detail()
        .prefetch_related(None)  # its prefetches: read_shown_rows()
        .filter(edition=edition)
    )
)
# The edition and its published neighbours, by edition number (one query).
AROUND = Compiled(
    lambda edition: Seminar.objects.published().neighbours_of(
        Seminar(edition=edition), including=True
    )
)
PRIMARY_KEYS = range(1, 2**63)  # a big auto field's
# How each prefetch of for_detail() is read as one query of the edition's primary key:
# (filter from the edition, the parent's relation its rows are grouped by, if nested).
READ = {
    "organizers": ("seminar_id", None),
    "agenda_items": ("seminar_id", None),
    "photos": ("seminar_id", None),
    "delegations": ("seminar_id", None),
    "agenda_items__speakers": ("agenda_items__seminar_id", "agenda_items__id"),
    "delegations__participants": ("delegation__seminar_id", "delegation_id"),
}


@functools.cache
def _queries():
    """{prefetch path: (Compiled query, to_attr, the attribute its rows are grouped by)}, built
    once per process."""
    queries = {}
    for lookup in Seminar.objects.for_detail()._prefetch_related_lookups:
        path = lookup.prefetch_through
        to_filter, group = READ[path]  # a KeyError: a prefetch for_detail() gained, not read here

        def build(pk, queryset=lookup.queryset, to_filter=to_filter, group=group):
            queryset = queryset.filter(**{to_filter: pk})
            if group and "__" in group:  # the many-to-many row's parent, from the same join
                queryset = queryset.annotate(_parent_id=F(group))
            return queryset

        grouped_by = None if group is None else ("_parent_id" if "__" in group else group)
        queries[path] = (Compiled(build, values=PRIMARY_KEYS), lookup.to_attr, grouped_by)
    return queries


def published_edition(edition):
    """The published edition numbered `edition` with every row its pages show, or None."""
    seminar = next(iter(PUBLISHED.rows(edition)), None)
    if seminar is not None:
        read_shown_rows(seminar)
    return seminar


def edition_and_neighbours(edition):
    """(the published edition numbered `edition` or None, the one before, the one after)."""
    rows = AROUND.rows(edition)
    seminar = next((s for s in rows if s.edition == edition), None)
    before = next((s for s in rows if s.edition < edition), None)
    after = next((s for s in rows if s.edition > edition), None)
    return seminar, before, after


def read_shown_rows(seminar):
    """Fill `seminar`'s relations as `prefetch_related_objects([seminar], *for_detail lookups)`
    would: one query each; each row of a foreign key knows its parent, as prefetch leaves it."""
    cache = seminar.__dict__.setdefault("_prefetched_objects_cache", {})
    for path, (query, to_attr, grouped_by) in _queries().items():
        rows = query(seminar.pk)
        if grouped_by is None:  # a relation of the edition: its cache
            _know_parents(rows, "seminar", {seminar.pk: seminar})
            rows._prefetch_done = True
            cache[path] = rows
            continue
        parents = cache[path.split("__")[0]]
        by_parent = defaultdict(list)
        for row in rows:
            by_parent[getattr(row, grouped_by)].append(row)
        if grouped_by != "_parent_id":  # a foreign key (not a many-to-many link)
            _know_parents(rows, grouped_by.removesuffix("_id"), {p.pk: p for p in parents})
        for parent in parents:
            setattr(parent, to_attr, by_parent.get(parent.pk, []))


def _know_parents(rows, name, parents):
    """Each row's foreign key `name` cached with its parent (no query when a template reads it)."""
    field = rows.model._meta.get_field(name)
    for row in rows:
        field.set_cached_value(row, parents[getattr(row, field.attname)])
