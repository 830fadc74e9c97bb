"""Finding editions by any of their texts, in both languages at once, and highlighting.

A query is split on whitespace (ASCII or ideographic) into at most MAX_TERMS terms; each is
folded like the index (seminars.search.folding) and matched as a substring of the folded texts,
so CJK text needs no word boundaries and one or two characters (阳, 须坂) match too. An edition
is found when every term matches one of its texts (not necessarily the same one). Two queries,
whatever the size of the record: the editions found (newest first, with their cities), then
the matching texts of the EDITIONS_PER_PAGE shown (at most MAX_ROWS): only those are
highlighted, so a query that finds every edition costs little more than one that finds one.
Only published editions have rows in the index, and the first query asks for published
editions again: a draft is never found.
"""

import functools
import operator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from modeltranslation.utils import build_localized_fieldname

from seminars.search.folding import fold, fold_with_positions
from seminars.search.models import SearchEntry

MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
MAX_ROWS = 500  # matching texts read for one page of editions
EDITIONS_PER_PAGE = 20
SHOWN_PER_EDITION = 5
SNIPPET_CONTEXT = 40  # characters kept either side of the first match in a long text


@dataclass
class Match:
    kind: str
    kind_label: str
    language: str
    html: str


@dataclass
class Found:
    seminar: object
    matches: list = field(default_factory=list)
    more: int = 0


@dataclass
class Result:
    query: str = ""
    terms: list = field(default_factory=list)
    error: str = ""  # "", "empty", "too_long"
    found: list = field(default_factory=list)  # this page's editions
    page: object = None  # django.core.paginator.Page of all the editions found
    count: int = 0

    @property
    def page_query(self):
        """The query string before `page=` in the links to the other pages."""
        return urlencode({"q": self.query}) + "&"


def terms_of(query):
    """The distinct folded terms of `query`, at most MAX_TERMS."""
    terms = []
    for word in query.split():
        term = "".join(fold(word).split())
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def search(query, page=1):
    """The editions `query` finds (the `page`th EDITIONS_PER_PAGE of them: a page number that
    is none or out of range shows the first or the last page), each with its highlighted
    matching texts."""
    query = query.strip()
    if len(query) > MAX_QUERY_LENGTH:
        return Result(query=query[:MAX_QUERY_LENGTH], error="too_long")
    terms = terms_of(query)
    if not terms:
        return Result(query=query, error="empty")
    editions = list(_editions(terms))
    shown = Paginator(editions, EDITIONS_PER_PAGE).get_page(page)
    found = {seminar.pk: Found(seminar) for seminar in shown}
    if found:
        any_term = functools.reduce(operator.or_, (Q(folded__contains=t) for t in terms))
        rows = (
            SearchEntry.objects.filter(any_term, seminar_id__in=list(found))
            .order_by("seminar_id", "order")
            .values_list("seminar_id", "kind", "language", "text")[:MAX_ROWS]
        )
        for seminar_id, kind, language, text in rows:
            _add(found[seminar_id], kind, language, text, terms)
    return Result(query, terms, found=list(found.values()), page=shown, count=len(editions))


def _editions(terms):
    from seminars.models import Seminar

    editions = Seminar.objects.published().select_related("city").order_by("-edition")
    # The summaries are long and not shown.
    summaries = [build_localized_fieldname("summary", code) for code, _name in settings.LANGUAGES]
    editions = editions.defer("summary", *summaries)
    for term in terms:
        matching = SearchEntry.objects.filter(folded__contains=term).values("seminar_id")
        editions = editions.filter(pk__in=matching)
    return editions


def _add(found, kind, language, text, terms):
    if len(found.matches) >= SHOWN_PER_EDITION:
        found.more += 1
        return
    label = SearchEntry.Kind(kind).label
    found.matches.append(Match(kind, label, language, highlight(text, terms)))


def spans(text, terms):
    """The (start, end) spans of `text` whose folded form is one of `terms`, merged."""
    folded, positions = fold_with_positions(text)
    found = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            found.append((positions[start], positions[end - 1] + 1))
            start = folded.find(term, end)
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text, terms):
    """`text` escaped, every match in <mark>; a long text cut around its first match."""
    marks = spans(text, terms)
    first, last = 0, len(text)
    if marks and len(text) > 3 * SNIPPET_CONTEXT:
        first = max(0, marks[0][0] - SNIPPET_CONTEXT)
        last = min(len(text), marks[0][1] + 2 * SNIPPET_CONTEXT)
    parts, position = ["…" if first else ""], first
    for start, end in marks:
        if end <= first or start >= last:
            continue
        start, end = max(start, first), min(end, last)
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts += [escape(text[position:last]), "…" if last < len(text) else ""]
    return mark_safe("".join(parts))  # every piece of the text went through escape()
