"""Settings for the seminar-series site: one module, driven by environment variables.

Languages and modeltranslation settings are fixed here on purpose: they shape the database schema.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# lxml is installed for translate-toolkit (the workbench's XLIFF); openpyxl would switch its XLSX
# writer to lxml's then. Keep its own writer (the same bytes as before, the reports' memory as
# measured); reading XLSX goes through defusedxml either way. Read when openpyxl is first imported.
os.environ.setdefault("OPENPYXL_LXML", "False")


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def build_id(base_dir):
    """The code's version: the commit of a git checkout, else the installed package's version."""
    git = base_dir / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        commondir = git / "commondir"
        common = git / commondir.read_text().strip() if commondir.exists() else git
        head = (git / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = head.removeprefix("ref: ")
            loose = common / ref
            packed = (common / "packed-refs").read_text() if not loose.exists() else ""
            head = loose.read_text().strip() if loose.exists() else _packed(packed, ref)
        if head:
            return head[:12]
    except (OSError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("seminars-site")
    except PackageNotFoundError:
        return "dev"


def _packed(packed_refs, ref):
    lines = (line.split() for line in packed_refs.splitlines() if line.endswith(" " + ref))
    return next((parts[0] for parts in lines), "")


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# Off unless asked for: a forgotten variable must never expose a debug page in production.
DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production mode)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a random value of at least 50 characters, not a "
        "'django-insecure' development key, when DJANGO_DEBUG is off."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "seminars.apps.SeminarAdminConfig",  # django.contrib.admin, our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "import_export",
    "csp",
    "simple_history",
    "seminars",
    "participants",
    "safety",  # the change history's tables
    "config.apps.SiteConfig",
    "config.apps.LoginProtectionConfig",  # django-axes, last as it asks; translated name
]

MIDDLEWARE = [
    # Outermost, so that every response carries them: 400s, redirects, static files, cache hits.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # The site's CSP and X-Frame-Options on responses that never reach the middleware below
    # (400s, static files, 503s); a constant header, so a cache hit costs nothing more.
    "config.middleware.DefaultSecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte anywhere in the path, query or form answers 400 before any view or database.
    "config.middleware.RejectNulBytesMiddleware",
    # A public GET that meets a restarting database retries (~2 s); an admin POST gets a 503 page.
    "config.db.DatabaseRestartMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Django's cache middleware on the "pages" alias (seminars/public/pagecache.py): a hit answers
    # here,
    # before sessions, CSRF and auth; it was stored with the headers of everything below.
    "seminars.public.pagecache.StorePageMiddleware",
    "seminars.public.pagecache.FetchPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The write guard decides every save for this user (seminars.record.permissions).
    "config.middleware.ActingUserMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # no-store on /admin/ and downloads; admin-only style relaxation (see CONTENT_SECURITY_POLICY).
    "config.middleware.AdminResponseMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL points at PostgreSQL.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No GSSAPI (Kerberos) encryption, which the site never uses: libpq's default, "prefer",
    # loads and starts Kerberos at each connection, about 0.8 MiB of every worker (issue #23).
    # A DATABASE_URL that says ?gssencmode=prefer (or require) keeps its own choice.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("gssencmode", "disable")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses locked-out logins before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_flag("DJANGO_AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# A lockout concerns one username from one address: nobody can lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# Behind N trusted reverse proxies the client is the N-th address from the right of
# X-Forwarded-For; with 0 (the default) only REMOTE_ADDR counts (see README, Deploying).
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "config.middleware.client_ip"

# Only staff sign in (through the admin); an unsafe ?next= falls back here.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# E-mail (the review's notifications): the console in development; in production Django's SMTP
# backend, configured from the environment (README, Deploying).
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DJANGO_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("DJANGO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's origin (https://seminar.example.org) for the links in e-mails; else they give the path.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

# Languages are fixed in code: they decide the translated columns (title_ja, title_zh_hans).
LANGUAGE_CODE = "ja"
LANGUAGES = [
    ("ja", _("Japanese")),
    ("zh-hans", _("Simplified Chinese")),
]
# locale/: the templates' and config's strings (makemessages). thirdparty/locale/: Japanese and
# Chinese for the admin screens of django-axes, django-simple-history and django-import-export,
# which ship neither or only part (kept by hand: makemessages never writes there).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "thirdparty" / "locale"]
USE_I18N = True
USE_TZ = True
# Date inputs accept what the admin shows (2018年7月11日) and 2018/7/11, 2018-07-11: config/formats.
FORMAT_MODULE_PATH = ["config.formats"]
# The seminars are held in China; agenda times are local China time (UTC+8).
TIME_ZONE = "Asia/Shanghai"

MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_LANGUAGES = ("ja", "zh-hans")
# No silent fallback: templates fall back explicitly and mark the fallback text.
MODELTRANSLATION_ENABLE_FALLBACKS = False
# The tab script must not load jQuery UI from a foreign CDN.
JQUERY_UI_URL = "seminars/vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
# DJANGO_STATIC_ROOT: another folder for `collectstatic` (the test servers collect into their own,
# so that a collection never runs under a process that reads var/static at the same time).
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Photos are stored in a web size and a thumbnail (seminars.media.images); the uploaded file too if
# on.
PHOTO_KEEP_ORIGINALS = env_flag("DJANGO_PHOTO_KEEP_ORIGINALS")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# The build: part of every page cache key, so a deploy never serves pages of older templates.
BUILD_ID = os.environ.get("DJANGO_BUILD_ID") or build_id(BASE_DIR)

# Caches. "pages" holds the public pages (seminars/public/pagecache.py), "default" anything else.
# With REDIS_URL both live in Redis (several app servers share them), through a backend that
# treats Redis as an accelerator: down, slow or full, it answers like a miss (config/redis_cache.py,
# imported only then: without REDIS_URL no worker loads django-redis or the redis client).
# Without it, pages go to files under var/cache/pages, which every worker on the host shares (so a
# save in one worker clears the pages of all), and "default" is per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "seminars")
PAGE_CACHE_ENABLED = not env_flag("PAGECACHE_DISABLED")
PAGE_CACHE_SECONDS = 24 * 60 * 60
REDIS_RETRY_SECONDS = 5  # after a connection error or timeout, Redis is skipped this long
REDIS_LOG_SECONDS = 60  # each kind of Redis failure is logged at most once per interval
if REDIS_URL:
    _redis = {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": CACHE_KEY_PREFIX},
        "pages": {
            **_redis,
            # No colon in a prefix: django-redis splits keys on the first one.
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}-pages-{BUILD_ID}",
            "TIMEOUT": PAGE_CACHE_SECONDS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "config.cache.PageFileCache",
            "LOCATION": os.environ.get("DJANGO_PAGE_CACHE_DIR")
            or str(BASE_DIR / "var" / "cache" / "pages"),
            "KEY_PREFIX": f"pages-{BUILD_ID}",
            "TIMEOUT": PAGE_CACHE_SECONDS,
            # Entries are bounded by the content (two per page); never cull at Django's 300.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
CACHE_MIDDLEWARE_ALIAS = "pages"
CACHE_MIDDLEWARE_KEY_PREFIX = ""
CACHE_MIDDLEWARE_SECONDS = PAGE_CACHE_SECONDS

# django-import-export: Excel-safe exports, permission-checked imports and exports.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Uploads: kept small; the photo form checks bytes and pixels too.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-permissions-policy: no page of ours uses any of these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day

# Content-Security-Policy (django-csp 4). No inline or eval'd script anywhere, the admin included
# (Django 5.2's admin and modeltranslation's tabs need none; import-export's one handler is
# allowed by its hash below). Inline *styles* are
# allowed only on /admin/ responses (config.middleware), where jQuery UI, select2 and
# import-export's templates set style attributes; the public pages keep style-src 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
CSP_ADMIN_STYLE_SRC = ["'self'", "'unsafe-inline'"]
# One inline event handler may run on admin pages, by its hash: django-import-export's "Select
# all" box on the export page (onchange="onSelectToggleChange(event)", 4.4.3). Nothing else
# inline runs; tests/security/test_production.py recomputes the hash from the installed
# template. The library's template is used as it is; the fix proposed upstream:
# docs/upstream/django-import-export-csp-and-formulae.patch.
CSP_ADMIN_SCRIPT_SRC_ATTR = [
    "'unsafe-hashes'",
    "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
]

if not DEBUG:
    # Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto (see README, Deploying).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The licence of the open data (/data/editions.csv, .json; seminars/takeaway/opendata.py).
OPEN_DATA_LICENCE = {
    "name": os.environ.get("OPEN_DATA_LICENCE_NAME", "CC BY 4.0"),
    "url": os.environ.get("OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"),
}
