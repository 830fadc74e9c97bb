from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path, reverse
from django.urls.resolvers import RoutePattern, URLResolver
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path, override
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_safe

from seminars.public.sitemaps import sitemaps
from seminars.takeaway.data_urls import data as open_data_urls


class ResolverOnFirstUse(URLResolver):
    """A URLResolver whose URLconf (a dotted path) is imported when one of its own URLs is
    resolved or reversed. Django's resolver populates every included URLconf on the first
    reverse() of any URL: the admin's (config/admin_urls.py, which registers the admins) would
    then load in every worker with the first public page it renders."""

    def _populate(self):
        if "urlconf_module" in self.__dict__:  # imported: populated as Django does
            super()._populate()

    def _imported(self):
        self.urlconf_module  # noqa: B018 (a cached property: imports the URLconf once)
        return self

    @property
    def reverse_dict(self):
        return URLResolver.reverse_dict.fget(self._imported())

    @property
    def namespace_dict(self):
        return URLResolver.namespace_dict.fget(self._imported())

    @property
    def app_dict(self):
        return URLResolver.app_dict.fget(self._imported())


def language_for(accept_language):
    """The first of our languages the browser asks for: Chinese of any script → zh-hans."""
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        tag = tag.lower()
        if tag == "zh" or tag.startswith("zh-"):
            return "zh-hans"
        if tag == "ja" or tag.startswith("ja-"):
            return "ja"
    return "ja"


@require_safe
def root_redirect(request):
    """`/` → `/zh-hans/` for Chinese readers, `/ja/` for everyone else."""
    with override(language_for(request.headers.get("Accept-Language"))):
        response = redirect(reverse("seminars:series"))
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page says."""
    return HttpResponsePermanentRedirect(static_url("img/favicon.ico"))


def page_not_found(request, exception=None):
    """A 404 in the language of the path's prefix; without one, in the browser's language."""
    language = get_language_from_path(request.path_info)
    if language is None:
        language = language_for(request.headers.get("Accept-Language"))
    with override(language):
        # No database query: a 404 answers bots and scanners too (the footer's general line).
        context = {"request_path": request.path, "is_error_page": True}
        response = render(request, "404.html", context, status=404)
    response["Content-Language"] = language  # LocaleMiddleware keeps an existing value
    if not get_language_from_path(request.path_info):
        patch_vary_headers(response, ["Accept-Language"])
    return response


# Prefixes people type or other sites use for our two languages: /zh/, /zh-Hans/, /zh-cn/,
# /zh_CN/, /zh-tw/ … → /zh-hans/…; /ja-JP/, /jp/, /JA/ → /ja/… (the rest of the path is kept).
LANGUAGE_ALIASES = re_path(
    r"^(?!(?:ja|zh-hans)(?:/|$))(?P<alias>(?i:zh(?:[-_][a-z]{2,4})?|ja[-_][a-z]{2}|jp|ja))"
    r"(?P<rest>/.*)?$",
    lambda request, alias, rest=None: language_alias_redirect(request, alias, rest),
    name="language_alias",
)


@require_safe
def language_alias_redirect(request, alias, rest=None):
    language = "zh-hans" if alias.lower().startswith("zh") else "ja"
    target = f"/{language}{rest or '/'}"
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


def _error_page(request, template_name, response_class):
    """A translated error page that needs neither the request context nor the database."""
    # Public pages: the path's prefix. The admin: the language LocaleMiddleware chose.
    with override(get_language_from_path(request.path_info) or get_language() or "ja"):
        html = loader.get_template(template_name).render({"is_error_page": True})
        return response_class(html)


def bad_request(request, exception=None):
    # Also reached by a NUL byte in the URL or a cookie: nothing from the request is rendered.
    return _error_page(request, "400.html", HttpResponseBadRequest)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", HttpResponseForbidden)


def server_error(request):
    return _error_page(request, "500.html", HttpResponseServerError)


handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error

urlpatterns = [
    path("", root_redirect, name="root"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    # admin.site.urls, imported on first use (config/admin_urls.py).
    ResolverOnFirstUse(
        RoutePattern("admin/", is_endpoint=False),
        "config.admin_urls",
        app_name="admin",
        namespace=admin.site.name,
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    *open_data_urls,
]
# Uploaded photos in development (`make run`); in production the reverse proxy serves /media/.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
urlpatterns += i18n_patterns(
    path("", include("seminars.public.urls")),
    prefix_default_language=True,
)
urlpatterns.append(LANGUAGE_ALIASES)
