"""A whole-page cache for the public pages, independent of how the views are written.

An entry is keyed by everything that changes the bytes (language, scheme, host, full path with the
query string) and remembers the content version it was rendered under. Any save or delete of a
content model bumps the version (pagecache.signals), so every older entry stops matching at once.
A hit costs one cache round trip (`get_many` of the version and the page; with the local-memory
cache, a stat of the version file and a `get`) and no database query.

Only anonymous GET/HEAD requests without a session cookie are served from or stored in the cache,
and only 200 responses that set no cookie, embed no CSRF token and are not marked private.
Public pages also get an ETag and a Last-Modified (the time of the last content change) and answer
conditional requests with 304, cached or not. PAGECACHE_DISABLED=1 turns the cache (not the
conditional GET) off, for benchmarks of the uncached pages.
"""

import hashlib
import os

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_path, get_language_from_request

from .signals import VERSION_KEY, current_version, file_version, uses_local_memory

PAGE_KEY_PREFIX = "pagecache:page:"
SAFE_METHODS = ("GET", "HEAD")
# Cache-Control directives that forbid a shared copy.
PRIVATE_DIRECTIVES = ("private", "no-store")
# Only these query parameters change a page; URLs with others (?utm_…, cache busters) are
# rendered but not stored, so nobody can fill the cache with endless variants of one page.
STORED_QUERY_PARAMS = {"page"}
# Entries also expire, so pages nobody asks for any more leave Redis by themselves.
PAGE_TIMEOUT = 24 * 60 * 60


def is_public_path(path):
    """The language-prefixed public pages and the sitemap; never /admin/ or anything else."""
    return path == "/sitemap.xml" or get_language_from_path(path) is not None


def page_key(request, language):
    """Everything that changes the bytes: hreflang/canonical links are absolute URLs."""
    raw = f"{language}|{request.scheme}|{request.get_host()}|{request.get_full_path()}"
    return PAGE_KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def is_storable(request, response):
    """A 200 that is the same for every anonymous reader and says so."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.method != "GET" or request.META.get("CSRF_COOKIE_USED"):
        return False
    if not STORED_QUERY_PARAMS.issuperset(request.GET):
        return False
    if "Set-Cookie" in response or "cookie" in response.get("Vary", "").lower():
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def storable_copy(response):
    """A plain HttpResponse with the same status, headers and bytes (pickles small and fast)."""
    copy = HttpResponse(response.content, status=response.status_code)
    for name, value in response.items():
        copy[name] = value
    return copy


def add_validators(response, version):
    """ETag from the bytes, Last-Modified from the content version (its time, in ns)."""
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(version // 1_000_000_000)
    if not response.has_header("Cache-Control"):
        # Browsers and proxies may keep a copy but must revalidate it (a cheap 304).
        patch_cache_control(response, no_cache=True)


def conditional(request, response):
    """304 when the client's copy is current (If-None-Match, then If-Modified-Since)."""
    if not ("HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META):
        return response
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )


class PageCacheMiddleware:
    """Serve anonymous public pages from the cache; store them after a miss."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.local_memory = uses_local_memory()
        self.enabled = os.environ.get("PAGECACHE_DISABLED", "").lower() not in {"1", "true", "yes"}

    def __call__(self, request):
        if request.method not in SAFE_METHODS or not is_public_path(request.path_info):
            return self.get_response(request)
        # The sitemap has no prefix: LocaleMiddleware picks its language from cookie/header.
        language = get_language_from_path(request.path_info) or get_language_from_request(request)
        if not self.enabled or self.session_cookie in request.COOKIES:
            return self._render(request, current_version(), key=None)
        key = page_key(request, language)
        if self.local_memory:
            version, entry = file_version(), cache.get(key)
        else:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or current_version()
            entry = found.get(key)
        if entry is not None and entry[0] == version:
            return conditional(request, entry[1])
        return self._render(request, version, key)

    def _render(self, request, version, key):
        response = self.get_response(request)
        if response.status_code != 200 or response.streaming:
            return response
        add_validators(response, version)
        if key is not None and is_storable(request, response):
            cache.set(key, (version, storable_copy(response)), timeout=PAGE_TIMEOUT)
        return conditional(request, response)
