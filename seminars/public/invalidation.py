"""Public pages follow the content: a change invalidates, and re-renders, the pages that show it.

Every write path (admin forms, inlines, actions, history revert, imports, commands, services)
saves or deletes through the ORM, so the model signals see them all; they only note *what*
changed, per transaction (`Changes`, one per database connection). Once the transaction commits,
the noted changes are turned into the pages that show them (`Changes.paths`), those pages are
removed from the page cache and the ones that were stored are rendered again
(seminars.public.pagewarm):
the edited editions before the saving request returns, the rest in the background. What a change
touches, in both languages:

- a part of an edition (organizer, agenda item, photo, delegation, participant, speaker link):
  that edition's page, programme, calendar and PDFs;
- an edition itself: the same, and the series pages when a field they list changed (number, year,
  city, dates, theme, title, publication); the neighbouring editions' pages (their pager names it)
  when its number, year, city or publication changed;
- a city: the pages of the editions held there, their neighbours' and the series pages;
- an organization: the pages of the editions it took part in, its own page and the index of
  organizations;
- the organization pages (seminars.public.organizations) show each published edition's number,
  year and city: a listed field of a published (or just unpublished) edition, or its city,
  touches the pages of its organizations; an organizer row touches its organization's page
  (before and after a change of organization, whatever the edition's status: the row may leave
  a published edition in the same save that unpublishes it) and the index; the index also
  follows an edition's publication and year (it counts editions and years);
- the site settings (publisher, footer, introduction, map) and the information pages (site
  policy, privacy, accessibility; linked from every footer): every page;
- whatever changed: the feeds; the sitemap when what it says moved (an edition listed or not,
  its date of last change, whether it has a report or a programme).

The search index (seminars/search/index.py) follows the same changes: after the commit, the rows
of every edition whose pages changed are written again.

The footer of every page says when the site was last updated (a date): when a change moves that
date (the first change of a day), every stored page is dropped, and only the pages the change
touched are rendered again. When this process stored a page rendered inside a transaction (a
test's, which never commits: that render saw its uncommitted rows), the pages of each newly noted
change are removed at once as well, and again after the commit. None of this raises: with the cache
unavailable the save succeeds and the failure is logged once per interval (config.cache).
"""

import contextlib
import contextvars
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from seminars.public import pagecache, pagewarm
from seminars.public.paths import edition_path
from seminars.record.content import edited_models
from seminars.search import index as search_index

logger = logging.getLogger(__name__)
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}
SITEMAP_KEY = "pages:sitemap-state"
# Pages of one edition: (URL name, re-rendered after a change?). The PDFs are rendered elsewhere.
EDITION_PAGES = [
    ("seminars:detail", True),
    ("seminars:programme", True),
    ("seminars:calendar", True),
    ("seminars:programme_pdf", False),
    ("seminars:report_pdf", False),
]
# The open-data page describes the files (it shows no record); the files are never cached.
SITE_PAGES = ["seminars:feed"]
# What a neighbour's pager shows of an edition; what the series pages list.
PAGER_FIELDS = ("edition", "fiscal_year", "city_id", "status")
LISTED_TEXT = ("theme", "title")
LISTED_FIELDS = (*PAGER_FIELDS, "start_date", "end_date")


def languages():
    return [code for code, _name in settings.LANGUAGES]


def listed_fields():
    return LISTED_FIELDS + tuple(
        build_localized_fieldname(name, language)
        for name in LISTED_TEXT
        for language in languages()
    )


@dataclass
class Changes:
    """What one transaction changed, as far as the public pages are concerned."""

    seminars: set = field(default_factory=set)  # ids of editions whose own pages changed
    editions: set = field(default_factory=set)  # numbers of editions (deleted or renumbered)
    around: set = field(default_factory=set)  # numbers whose neighbours' pagers changed
    cities: set = field(default_factory=set)
    organizations: set = field(default_factory=set)
    organization_pages: set = field(default_factory=set)  # ids of organizations shown changed
    listed: set = field(default_factory=set)  # ids of published editions whose listing changed
    # Numbers of published editions whose row changed but not their place in the list (theme,
    # title, dates): only the series page listing each (every page for the latest, which each
    # page shows) is touched.
    series_editions: set = field(default_factory=set)
    organization_index: bool = False
    series: bool = False  # every series page (an edition added, removed, moved, renumbered…)
    site: bool = False
    removed: set = field(default_factory=set)  # (origin, path) removed before the commit

    def note(self, **kinds):
        """Add to what changed; whether anything was new."""
        new = False
        for name, value in kinds.items():
            current = getattr(self, name)
            if isinstance(current, set):
                value = set(value) - current
                current |= value
            elif value and not current:
                setattr(self, name, True)
            else:
                value = None
            new = new or bool(value)
        return new

    def edition_numbers(self):
        """(numbers of the editions whose pages changed, numbers of their changed neighbours)."""
        from seminars.models import Organizer, Seminar

        numbers, around = set(self.editions), set(self.around)
        ids = set(self.seminars)
        if self.organizations:
            organizers = Organizer.objects.filter(organization_id__in=self.organizations)
            ids |= set(organizers.values_list("seminar_id", flat=True))
        if ids:
            numbers |= set(
                Seminar._base_manager.filter(pk__in=ids).values_list("edition", flat=True)
            )
        if self.cities:
            in_cities = Seminar._base_manager.filter(city_id__in=self.cities)
            held = set(in_cities.values_list("edition", flat=True))
            numbers |= held
            around |= held
        return numbers, neighbours(around)

    def paths(self, committed=False):
        """[(path, render again?)] of every page these changes touched, in both languages, and
        the numbers of the editions whose own pages they are. `committed`: the changes are
        committed (the sitemap's state is remembered)."""
        numbers, beside = self.edition_numbers()
        if self.series or self.cities:
            listing = range(1, series_page_count() + 1)
        else:
            listing = pages_listing(self.series_editions)
        paths = [(reverse("sitemap"), True)] if sitemap_moved(remember=committed) else []
        organizations = self.organization_ids()
        for language in languages():
            with translation.override(language):
                paths += [(path, True) for path in series_pages(listing)]
                paths += organization_paths(organizations, self.organization_index)
                paths += [(reverse(name), True) for name in SITE_PAGES]
                for number in sorted(numbers):
                    paths += edition_paths(number)
                paths += [(reverse("seminars:detail", args=[n]), True) for n in sorted(beside)]
        return list(dict.fromkeys(paths)), numbers

    def organization_ids(self):
        """Ids of the organizations whose pages these changes touched (at most one query)."""
        from seminars.models import Organizer, Seminar

        ids = set(self.organization_pages) | set(self.organizations)
        shown = Q(seminar_id__in=self.listed) if self.listed else Q(pk__in=[])
        if self.cities:
            published = Seminar.Status.PUBLISHED
            shown |= Q(seminar__city_id__in=self.cities, seminar__status=published)
        if self.listed or self.cities:
            ids |= set(Organizer.objects.filter(shown).values_list("organization_id", flat=True))
        return ids


def organization_paths(ids, index):
    """The organization pages of `ids` (and the index when it changed too), in the active
    language."""
    paths = [(reverse("seminars:organization", args=[pk]), True) for pk in sorted(ids)]
    if ids and index:
        paths.append((reverse("seminars:organizations"), True))
    return paths


def edition_paths(number):
    paths = []
    for name, rerender in EDITION_PAGES:
        try:
            paths.append((edition_path(name, number), rerender))
        except NoReverseMatch:  # a take-away page this build does not have
            continue
    return paths


def sitemap_moved(remember):
    """Whether the sitemap says something else than when it was last remembered: it lists each
    published edition with the date of its last change (not the time), whether it has a report
    and a programme, and the organizations of published editions; most saves of a day leave it
    as it is. 3 queries."""
    import hashlib

    from django.utils.timezone import localdate

    from seminars.public.sitemaps import OrganizationSitemap, ProgrammeSitemap, SeminarSitemap

    listed = [
        (edition, localdate(updated).isoformat() if updated else "", report)
        for edition, updated, report in SeminarSitemap()
        .items()
        .values_list("edition", "updated_at", "has_report")
    ]
    programmes = list(ProgrammeSitemap().items().values_list("edition", flat=True))
    organizations = list(OrganizationSitemap().items().values_list("pk", flat=True))
    now = hashlib.sha256(repr((listed, programmes, organizations)).encode()).hexdigest()
    cache = pagecache.pages_cache()
    before = cache.get(SITEMAP_KEY)
    if remember and before != now:
        cache.set(SITEMAP_KEY, now, None)
    return before != now


def series_page_count():
    """How many pages the series list has (at most 3: 50 editions a page, 101 at most)."""
    from seminars.models import Seminar
    from seminars.public.views import EDITIONS_PER_PAGE

    return max(Seminar.objects.published().count() - 1, 0) // EDITIONS_PER_PAGE + 1


def pages_listing(numbers):
    """The numbers of the series pages that list these editions (all of them for the latest
    published edition, which every page shows); one query, none without `numbers`."""
    from seminars.models import Seminar
    from seminars.public.views import EDITIONS_PER_PAGE

    if not numbers:
        return []
    listed = list(Seminar.objects.published().order_by("edition").values_list("edition", flat=True))
    if listed and listed[-1] in numbers:
        return range(1, (len(listed) - 1) // EDITIONS_PER_PAGE + 2)
    position = {number: i for i, number in enumerate(listed)}
    return sorted({position[n] // EDITIONS_PER_PAGE + 1 for n in numbers if n in position})


def series_pages(numbers):
    """The series pages of these page numbers, in the active language."""
    series = reverse("seminars:series")
    return [series if n == 1 else f"{series}?page={n}" for n in numbers]


def neighbours(numbers):
    """The published editions just before and just after each of these edition numbers."""
    from seminars.models import Seminar

    found = set()
    published = Seminar.objects.published()
    for number in numbers:
        around = published.aggregate(
            before=Max("edition", filter=Q(edition__lt=number)),
            after=Min("edition", filter=Q(edition__gt=number)),
        )
        found |= {n for n in around.values() if n is not None}
    return found - set(numbers)


# --- what a write changed ---


def changes():
    """This connection's changes since its transaction began (a new set outside one)."""
    registered = connection.in_atomic_block and any(
        entry[1] is _after_commit for entry in connection.run_on_commit
    )
    if not registered:
        connection._page_changes = Changes()
    return connection._page_changes, registered


def seminar_changes(instance, created=False, deleted=False):
    from seminars.models import Seminar

    before = getattr(instance, "_pages_before", None)
    if created or deleted or before is None:
        moved = listed = counted = True
    else:
        changed = {name for name, value in before.items() if getattr(instance, name) != value}
        moved = bool(changed & set(PAGER_FIELDS))
        listed = bool(changed & set(listed_fields()))
        counted = bool(changed & {"status", "fiscal_year"})
    numbers = {instance.edition} | ({before["edition"]} if before else set())
    statuses = {instance.status} | ({before["status"]} if before else set())
    shown = listed and not deleted and Seminar.Status.PUBLISHED in statuses
    # Its row's text or dates only: the one series page that lists it (a draft's: none).
    in_place = listed and not moved
    published = instance.status == Seminar.Status.PUBLISHED
    return {
        "seminars": set() if deleted else {instance.pk},
        "editions": numbers,
        "around": numbers if moved else set(),
        "series": listed and not in_place,
        "series_editions": {instance.edition} if in_place and published else set(),
        "listed": {instance.pk} if shown else set(),
        "organization_index": shown and counted,
    }


def organizer_changes(instance):
    """An organizer row: its edition's pages, its organization's page (and the one it had
    before a change of organization) and the index."""
    before = getattr(instance, "_pages_organization_before", None)
    return {
        "seminars": {instance.seminar_id},
        "organization_pages": {instance.organization_id} | ({before} if before else set()),
        "organization_index": True,
    }


def what_changed(instance, created=False, deleted=False):
    """The kinds of change (`Changes.note` keywords) one saved or deleted row makes."""
    from participants.models import Delegation
    from seminars.models import City, InfoPage, Organization, Organizer, Seminar, SiteSettings

    if isinstance(instance, Seminar):
        return seminar_changes(instance, created, deleted)
    if isinstance(instance, City):
        return {} if created else {"cities": {instance.pk}}
    if isinstance(instance, Organization):
        return {} if created else {"organizations": {instance.pk}, "organization_index": True}
    if isinstance(instance, Organizer):
        return organizer_changes(instance)
    if isinstance(instance, (SiteSettings, InfoPage)):  # site-wide furniture and its own pages
        return {"site": True}
    seminar_id = getattr(instance, "seminar_id", None)
    delegation_id = getattr(instance, "delegation_id", None)
    if seminar_id is None and delegation_id:
        loaded = instance._state.fields_cache.get("delegation")
        if loaded is not None and loaded.pk == delegation_id:
            seminar_id = loaded.seminar_id
        else:
            seminar_id = (
                Delegation._base_manager.filter(pk=delegation_id)
                .values_list("seminar_id", flat=True)
                .first()
            )
    return {"seminars": {seminar_id}} if seminar_id else {}


_block = contextvars.ContextVar("seminars_page_changes", default=None)


@contextlib.contextmanager
def pages_once():
    """Writes inside the block are noted, and acted on as one change when it ends (factories
    building a whole edition; bulk writes) rather than row by row."""
    if _block.get() is not None:  # nested: the outermost block acts
        yield
        return
    noted = Changes()
    token = _block.set(noted)
    try:
        yield
    finally:
        _block.reset(token)
    kinds = {name: getattr(noted, name) for name in KINDS}
    if any(kinds.values()):
        _changed(kinds)


KINDS = (
    "seminars",
    "editions",
    "around",
    "cities",
    "organizations",
    "organization_pages",
    "listed",
    "organization_index",
    "series",
    "site",
)


def pages_changed(instance, created=False, deleted=False):
    """Note what changed; invalidate now what is new to this transaction, all of it after the
    commit (once per transaction)."""
    kinds = what_changed(instance, created, deleted)
    if not kinds:
        return
    block = _block.get()
    if block is not None:
        block.note(**kinds)
        return
    _changed(kinds)


def note_changes(**kinds):
    """For writes the model signals do not see (bulk_create, update()): `Changes` keywords."""
    _changed(kinds)


def _changed(kinds):
    noted, registered = changes()
    new = noted.note(**kinds)
    if not connection.in_atomic_block:
        _after_commit()  # autocommit: the change is committed already
        return
    again = new or pagecache.stored_since_clear()
    if again:
        _forget_site_settings()  # read again (and stored again by the commit)
    if again and pagecache.stored_in_transaction():
        _invalidate_now(noted)  # a page rendered on this connection may show the old rows
    if not registered:
        transaction.on_commit(_after_commit, robust=True)


def _forget_site_settings():
    from seminars.models import SiteSettings

    try:
        SiteSettings.objects.forget()
    except Exception:
        logger.exception("Forgetting the cached site settings failed")


def _invalidate_now(noted):
    try:
        if noted.site:
            pagecache.clear_pages()
        else:
            removed = pagecache.delete_pages([path for path, _rerender in noted.paths()[0]])
            noted.removed |= set(removed)  # rendered again after the commit
    except Exception:  # the write goes on; the commit invalidates again
        logger.exception("Invalidating the public pages inside a transaction failed")


def _after_commit():
    noted = getattr(connection, "_page_changes", None) or Changes()
    connection._page_changes = Changes()
    pagecache.transaction_acted_on()
    try:  # the search index follows the same changes (seminars.search.index)
        search_index.refresh(noted)
    except Exception:
        logger.exception("Refreshing the search index after a change failed")
    try:
        refresh_pages(noted)
    except Exception:  # the content is committed; the pages are only an accelerator
        logger.exception("Refreshing the public pages after a change failed")


def refresh_pages(noted):
    """Remove the pages `noted` touched; render again those that were stored, for their origin.

    Returns the (origin, path) pages rendered again.
    """
    if noted.site:
        origins = pagecache.clear_pages()
        stored = [(origin, path) for origin in origins for path in series_paths()]
        numbers = set()
    else:
        paths, numbers = noted.paths(committed=True)
        removed = pagecache.delete_pages([path for path, _rerender in paths])
        again = {path for path, rerender in paths if rerender}
        stored = [page for page in dict.fromkeys([*noted.removed, *removed]) if page[1] in again]
    if footer_day_moved():  # the first change of a day: every page's footer date moved
        pagecache.clear_pages()
    if not stored or not pagecache.cache_available():
        return []
    own = own_pages(numbers)
    pagewarm.warm_pages_now([page for page in stored if page[1] in own])
    pagewarm.warm_pages_later([page for page in stored if page[1] not in own])
    return stored


def own_pages(numbers):
    """The edited editions' pages: rendered before the save returns, so that their first
    visitor after it gets a stored page."""
    pages = set()
    for language in languages():
        with translation.override(language):
            pages |= {reverse("seminars:detail", args=[n]) for n in numbers}
    return pages


def series_paths():
    count = series_page_count()
    paths = [reverse("sitemap")]
    for language in languages():
        with translation.override(language):
            paths += series_pages(range(1, count + 1))
    return paths


def footer_day_moved():
    """Whether the footers' "last updated" date differs from the one stored pages show; the
    site settings are read again and stored for the next renders."""
    from seminars.models import SiteSettings

    shown = pagecache.pages_cache().get(SiteSettings.FOOTER_DAY_KEY)
    site = SiteSettings.objects.refresh()
    return shown is not None and site is not None and shown != site.last_updated_day


# --- receivers ---

_models = set()


def _remember_listed(sender, instance, raw=False, **kwargs):
    """Before an edition is saved: what the series pages and the pagers show of it now."""
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._pages_before = (
        type(instance)._base_manager.filter(pk=instance.pk).values(*listed_fields()).first()
    )


def _remember_organization(sender, instance, raw=False, **kwargs):
    """Before an organizer row is saved: the organization it names now (a change of organization
    touches both organizations' pages)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._pages_organization_before = (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values_list("organization_id", flat=True)
        .first()
    )


def _on_save(sender, instance, created=False, raw=False, **kwargs):
    if sender._meta.concrete_model in _models:
        pages_changed(instance, created=created)


def _on_delete(sender, instance, **kwargs):
    if sender._meta.concrete_model in _models:
        pages_changed(instance, deleted=True)


def _on_m2m_changed(sender, instance, action, **kwargs):
    if action in M2M_ACTIONS and type(instance)._meta.concrete_model in _models:
        pages_changed(instance)


def connect():
    """Called from SeminarsConfig.ready()."""
    from seminars.models import Organizer, Seminar

    _models.update(edited_models())
    pre_save.connect(_remember_listed, sender=Seminar, dispatch_uid="seminars_pages_pre_save")
    pre_save.connect(
        _remember_organization, sender=Organizer, dispatch_uid="seminars_pages_organizer_pre_save"
    )
    post_save.connect(_on_save, dispatch_uid="seminars_pages_post_save")
    post_delete.connect(_on_delete, dispatch_uid="seminars_pages_post_delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="seminars_pages_m2m_changed")
