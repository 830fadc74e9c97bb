"""The public page cache: Django's cache middleware on its own `pages` alias, with canonical keys.

`FetchPageMiddleware` and `StorePageMiddleware` are Django's FetchFromCacheMiddleware and
UpdateCacheMiddleware (settings.CACHE_MIDDLEWARE_ALIAS = "pages") with a gate in front: only
anonymous GET/HEAD requests for public pages (`/ja/…`, `/zh-hans/…`, `/sitemap.xml`) without a
session cookie reach the cache, and they reach it in canonical form, so Django's key (scheme, host,
path, query, language) has one value per page:

- `page` is kept only on paginated pages and only as `page=N` (N ≥ 2, ASCII digits, no leading
  zero); any other spelling that means a number (`01`, `+1`, ` 1`, `１`, `١`, `page=1&page=1`)
  redirects (301) to the canonical URL, anything else answers 404. Other parameters and `page` on
  pages that do not paginate are dropped before the view and the key: the canonical page is served.
- Cookies, Authorization and (for the sitemap, the same in every language) Accept-Language are
  removed from such requests, so no header named in `Vary` can create another key.
- 404s, redirects and HEAD misses are never stored, so the entries are at most two per existing
  page (Django's page entry and its header-list entry), whatever the traffic.
- The search with a query (`UNCACHED_VIEWS`) never reaches the cache: its answer depends on the
  query, which the key would drop; it is cheap instead (seminars/search/views.py).

Keys carry settings.BUILD_ID (in the alias's KEY_PREFIX): a deploy never serves old templates.
A content change removes the pages that show it after the commit (`delete_pages`, called by
seminars/public/invalidation.py, which knows what shows what); a render that started before a
removal is not
stored (INVALIDATED_KEY), so a slow request cannot put an old page back. Browsers get
`Cache-Control: no-cache` and an ETag (ConditionalGetMiddleware answers 304), so they revalidate
on every visit.
"""

import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, QueryDict
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_cache_key, set_response_etag
from django.utils.translation import get_language_from_path

from seminars.public.pagewarm import environ_for

INVALIDATED_KEY = "pages:invalidated-at"
ORIGINS_KEY = "pages:origins"
SITEMAP_PATH = "/sitemap.xml"
# The views whose output depends on ?page= (everything else ignores it).
PAGINATED_VIEWS = {"seminars:series"}
# The views whose output depends on their query string and that are never stored (the search).
UNCACHED_VIEWS = {"seminars:search"}
CANONICAL_PAGE = re.compile(r"[1-9][0-9]{0,5}")
ALLOWED_VARY = {"cookie", "accept-language"}
MAX_ORIGINS = 4  # each one is warmed after every edit


def pages_cache():
    return caches[settings.CACHE_MIDDLEWARE_ALIAS]


def is_paginated(path):
    try:
        return resolve(path).view_name in PAGINATED_VIEWS
    except Resolver404:
        return False


def is_uncached(request, language):
    """A request whose answer depends on its query (the search): never stored nor fetched."""
    if not request.META.get("QUERY_STRING") or language is None:
        return False
    translation.activate(language)  # resolve() matches the language prefix
    try:
        return resolve(request.path_info).view_name in UNCACHED_VIEWS
    except Resolver404:
        return False


def requested_page(values):
    """The page number that every value of `page` spells, or None."""
    numbers = set()
    for value in values:
        value = value.strip()
        if len(value) > 12:
            return None
        try:
            numbers.add(int(value))  # also full-width and Arabic-Indic digits, "+1", "01"
        except ValueError:
            return None
    number = numbers.pop() if len(numbers) == 1 else None
    return number if number and number > 0 else None


def canonical_query(request, language):
    """The query string the key keeps: `page=N` on a paginated page, else nothing.

    Returns (query, redirect): a non-canonical spelling of a page number redirects; a `page`
    that is no number raises Http404.
    """
    values = request.GET.getlist("page")
    if not values or language is None:
        return "", None
    translation.activate(language)  # resolve() matches the language prefix
    if not is_paginated(request.path_info):
        return "", None
    if len(values) == 1 and CANONICAL_PAGE.fullmatch(values[0]):
        return ("" if values[0] == "1" else f"page={values[0]}"), None
    number = requested_page(values)
    if number is None:
        raise Http404("No such page.")
    query = "" if number == 1 else f"?page={number}"
    return None, HttpResponsePermanentRedirect(f"{request.path}{query}")


def anonymize(request, language, query):
    """The request as every anonymous reader sends it: nothing per-reader left to vary on."""
    for header in ("HTTP_COOKIE", "HTTP_AUTHORIZATION"):
        request.META.pop(header, None)
    request.COOKIES = {}
    if language is None:  # the sitemap lists both languages whatever the reader's language
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)
    request.LANGUAGE_CODE = language or settings.LANGUAGE_CODE  # Django's key ends with it


class HeaderLists:
    """Django's per-URL lists of Vary headers, remembered by this process.

    Django looks a page up in two steps, the URL's header list, then the page under a key made
    from those headers; the lists change only with the code, so a hit reads one entry, not two.
    A list remembered after its entry was cleared only names a key that misses.
    """

    def __init__(self, cache_alias, limit=10_000):
        self.alias, self.limit, self.known = cache_alias, limit, {}

    def get(self, key, default=None):
        value = self.known.get(key)
        if value is None:
            value = caches[self.alias].get(key)
            if value is not None and len(self.known) < self.limit:
                self.known[key] = value
        return default if value is None else value


class FetchPageMiddleware(FetchFromCacheMiddleware):
    """Django's fetch, reached only by canonical, anonymous requests for public pages."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.header_lists = HeaderLists(self.cache_alias)
        self.keys = {}  # (scheme, Host, path, query, language) -> Django's key for the page

    def fetch(self, request):
        """FetchFromCacheMiddleware.process_request, GET only, with its keys remembered.

        Canonical requests differ only in what this tuple holds, so Django's key (URL and header
        hashes, language and time zone suffix) is computed once per page and process.
        """
        meta = request.META
        memo = (
            request.scheme,
            meta.get("HTTP_HOST"),
            request.path_info,
            meta["QUERY_STRING"],
            request.LANGUAGE_CODE,
        )
        key = self.keys.get(memo)
        if key is None:
            key = get_cache_key(request, self.key_prefix, "GET", cache=self.header_lists)
            if key is not None and len(self.keys) < self.header_lists.limit:
                self.keys[memo] = key
        response = self.cache.get(key) if key else None
        request._cache_update_cache = response is None
        return response

    def process_request(self, request):
        request._cache_update_cache = False
        if request.method not in ("GET", "HEAD"):
            return None
        language = get_language_from_path(request.path_info)
        if language is None and request.path_info != SITEMAP_PATH:
            return None  # not a public page
        if is_uncached(request, language):
            return None
        query, redirect = canonical_query(request, language)
        if redirect is not None:
            return redirect
        if not settings.PAGE_CACHE_ENABLED or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None  # staff (and anyone with a session) always get a fresh render
        anonymize(request, language, query)
        request._page_cacheable = True
        request._page_started = time.time()
        response = self.fetch(request)
        if request.method == "HEAD":
            request._cache_update_cache = False  # served from GET entries, never stored itself
        return response


class StorePageMiddleware(UpdateCacheMiddleware):
    """Django's update, storing only what every anonymous reader may get; browsers revalidate."""

    def process_response(self, request, response):
        if self._should_update_cache(request, response):
            if self._storable(request, response):
                if not response.has_header("ETag"):
                    set_response_etag(response)  # stored with the page: a hit hashes nothing
                remember_origin(request)
                _state["stored_since_clear"] = True
                if connection.in_atomic_block:  # a render that may see uncommitted rows
                    _state["stored_in_transaction"] = True
            else:
                request._cache_update_cache = False
        response = super().process_response(request, response)
        if getattr(request, "_page_cacheable", False) and response.status_code == 200:
            # The cache is ours to invalidate; browsers and proxies must ask again (ETag → 304).
            response["Cache-Control"] = "no-cache"
            for header in ("Expires", "Age"):
                if header in response:
                    del response[header]
        return response

    def _storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED"):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if not vary <= ALLOWED_VARY:
            return False
        invalidated_at = self.cache.get(INVALIDATED_KEY)
        return not (invalidated_at and invalidated_at >= request._page_started)


_known_origins = {}  # origin -> when this process last saw it in the cache
ORIGIN_RECHECK_SECONDS = 60  # after Redis lost its keys (restart, flush), origins come back
_state = {"stored_since_clear": False, "stored_in_transaction": False}


def stored_since_clear():
    """Whether this process stored a page since it last removed pages (a same-transaction read)."""
    return _state["stored_since_clear"]


def stored_in_transaction():
    """Whether this process stored a page rendered inside a transaction (tests run in one) since
    the last commit it acted on: only then are pages removed before the commit too."""
    return _state["stored_in_transaction"]


def transaction_acted_on():
    _state["stored_in_transaction"] = False


def forget_origins():
    """After the cache was emptied from outside (tests, a flushed Redis): learn them again."""
    _known_origins.clear()


def remember_origin(request):
    """The scheme and host pages are stored under, so that a content change can warm them.

    Kept with when they were last seen (refreshed once a minute per process); an origin not seen
    for longer than pages live (a port of a past test server) is dropped and never warmed.
    """
    origin = f"{request.scheme}://{request.get_host()}"
    now = time.monotonic()
    if now - _known_origins.get(origin, -ORIGIN_RECHECK_SECONDS) < ORIGIN_RECHECK_SECONDS:
        return
    cache = pages_cache()
    origins = live_origins(cache.get(ORIGINS_KEY))
    origins[origin] = time.time()
    newest = sorted(origins, key=origins.get, reverse=True)[:MAX_ORIGINS]
    cache.set(ORIGINS_KEY, {o: origins[o] for o in newest}, None)
    _known_origins[origin] = now


def live_origins(origins):
    """{origin: last seen} without the origins whose pages have all expired."""
    if not isinstance(origins, dict):
        return {}
    oldest = time.time() - settings.CACHE_MIDDLEWARE_SECONDS
    return {o: seen for o, seen in origins.items() if seen >= oldest}


def clear_pages():
    """Remove every stored page of this build; returns the origins to warm. Never raises."""
    cache = pages_cache()
    _state["stored_since_clear"] = False
    origins = live_origins(cache.get(ORIGINS_KEY))
    now = time.time()
    cache.set(INVALIDATED_KEY, now, None)  # renders started before now are not stored
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")  # Redis: only this alias's keys (prefix and build id)
    else:
        cache.clear()  # the file-based cache holds nothing but pages
    cache.set_many({INVALIDATED_KEY: now, ORIGINS_KEY: origins}, None)
    return list(origins)


def page_key(cache, origin, path):
    """Django's key of the page `path` as served to `origin`, or None when it was never stored.

    Computed from the request a reader's canonical, anonymous request becomes (see `anonymize`)
    with the header list Django stored beside the page.
    """
    request = WSGIRequest(environ_for(origin, path))
    request.LANGUAGE_CODE = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    try:
        return get_cache_key(request, settings.CACHE_MIDDLEWARE_KEY_PREFIX, "GET", cache=cache)
    except DisallowedHost:  # an origin no longer served
        return None


def delete_pages(paths):
    """Remove these pages (canonical paths) for every origin; the (origin, path) pages that were
    stored. Never raises. Renders that started before are not stored afterwards."""
    cache = pages_cache()
    _state["stored_since_clear"] = False
    origins = live_origins(cache.get(ORIGINS_KEY))
    cache.set(INVALIDATED_KEY, time.time(), None)
    removed = []
    for origin in origins:
        for path in paths:
            key = page_key(cache, origin, path)
            if key is not None and cache.delete(key):
                removed.append((origin, path))
    return removed


def cache_available():
    return getattr(pages_cache(), "available", True)
