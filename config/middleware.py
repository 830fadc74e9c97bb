"""Small request/response guards that apply to the whole site."""

import ipaddress

from django.conf import settings
from django.core.exceptions import BadRequest

from seminars.record.permissions import acting_for_request

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(querydict):
    return any(
        "\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string, a cookie or a submitted form answers 400.

    PostgreSQL refuses NUL in text, so such input would otherwise surface as a 500 from
    deep inside a view; no legitimate URL or form value contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):
            raise BadRequest("NUL byte in the URL.")
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            raise BadRequest("NUL byte in a cookie.")  # e.g. the session key, looked up in the DB
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            if _has_nul(request.POST):
                raise BadRequest("NUL byte in the submitted form.")
        return self.get_response(request)


class ActingUserMiddleware:
    """Every write during the request is decided for its signed-in user
    (seminars.record.permissions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_for_request(request):
            return self.get_response(request)


class DefaultSecurityHeadersMiddleware:
    """The site's Content-Security-Policy and X-Frame-Options on every response that lacks them.

    django-csp and Django's clickjacking middleware sit inside the page cache (a hit is stored
    with their headers), so responses made before them (a 400 from the NUL-byte guard, static
    files from WhiteNoise, the database's 503) get the same policy here, built once.
    """

    def __init__(self, get_response):
        from csp.utils import build_policy

        self.get_response = get_response
        self.policy = build_policy()
        self.frame_options = settings.X_FRAME_OPTIONS

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if "X-Frame-Options" not in response:
            response["X-Frame-Options"] = self.frame_options
        return response


class AdminResponseMiddleware:
    """Admin pages and downloads are never stored by browsers or proxies.

    Admin pages also get `style-src 'unsafe-inline'` (settings.CSP_ADMIN_STYLE_SRC) for the style
    attributes of jQuery UI, select2 and import-export, and the one inline handler of
    import-export's export page by its hash (settings.CSP_ADMIN_SCRIPT_SRC_ATTR); scripts are
    otherwise 'self' only everywhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"

    def __call__(self, request):
        response = self.get_response(request)
        is_admin = request.path_info.startswith(self.admin_prefix)
        is_download = response.get("Content-Disposition", "").startswith("attachment")
        if is_admin or is_download:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        if is_admin:
            response._csp_replace = {
                "style-src": list(settings.CSP_ADMIN_STYLE_SRC),
                "script-src-attr": list(settings.CSP_ADMIN_SCRIPT_SRC_ATTR),
            }
        return response


def parse_address(value):
    """An IP address from an X-Forwarded-For entry (`ip`, `ip:port`, `[ipv6]:port`), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 1.2.3.4:5678 (a bare IPv6 address has several colons)
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The client address for django-axes, trusting exactly TRUSTED_PROXY_COUNT proxies.

    The entry that many hops from the right of X-Forwarded-For must be an address (a port is
    dropped); anything else falls back to the socket address, so that the login throttle never
    stores a value its address column refuses.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if hops and forwarded:
        addresses = forwarded.split(",")
        if len(addresses) >= hops:
            address = parse_address(addresses[-hops])
            if address:
                return address
    return request.META.get("REMOTE_ADDR")
