"""Our own deployment checks (run by `manage.py check --deploy`), registered in config/apps.py."""

from django.conf import settings
from django.core.checks import Error, Tags, register

UNSAFE_SCRIPT_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}


def _directives():
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return policy.get("DIRECTIVES") or {}


def _sources(directives, name):
    value = directives.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return set(value.split())
    return set(value)


@register(Tags.security, deploy=True)
def check_import_export_permissions(app_configs=None, **kwargs):
    errors = []
    for name in ("IMPORT_EXPORT_IMPORT_PERMISSION_CODE", "IMPORT_EXPORT_EXPORT_PERMISSION_CODE"):
        if not getattr(settings, name, None):
            errors.append(
                Error(
                    f"{name} is not set: any staff member could import or export.",
                    hint=f'Set {name} (e.g. "import" / "export") in config/settings.py.',
                    id="config.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_content_security_policy(app_configs=None, **kwargs):
    directives = _directives()
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE or not directives:
        return [
            Error(
                "No Content-Security-Policy is sent.",
                hint="Add csp.middleware.CSPMiddleware and CONTENT_SECURITY_POLICY['DIRECTIVES'].",
                id="config.E002",
            )
        ]
    errors = []
    scripts = _sources(directives, "script-src")
    if scripts is None:
        scripts = _sources(directives, "default-src")
    if scripts is None:
        errors.append(Error("The CSP does not restrict scripts.", id="config.E003"))
    elif scripts & UNSAFE_SCRIPT_SOURCES:
        unsafe = ", ".join(sorted(scripts & UNSAFE_SCRIPT_SOURCES))
        errors.append(
            Error(
                f"The CSP allows unsafe script sources: {unsafe}.",
                hint="Move inline scripts to static files; never allow unsafe-inline/unsafe-eval.",
                id="config.E003",
            )
        )
    for name in ("object-src", "frame-ancestors"):
        if _sources(directives, name) != {"'none'"}:
            errors.append(Error(f"The CSP must set {name} 'none'.", id="config.E004", obj=name))
    return errors


@register(Tags.database, deploy=True)
def check_production_database(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    errors = []
    for alias, config in settings.DATABASES.items():
        if config.get("ENGINE", "").endswith("sqlite3"):
            errors.append(
                Error(
                    f"Database {alias!r} is SQLite while DEBUG is off.",
                    hint="Set DATABASE_URL to PostgreSQL in production.",
                    id="config.E005",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def check_login_throttle(app_configs=None, **kwargs):
    if settings.DEBUG or getattr(settings, "AXES_ENABLED", True):
        return []
    return [
        Error(
            "The login throttle (django-axes) is disabled while DEBUG is off.",
            hint="Unset DJANGO_AXES_ENABLED (or set it to 1) in production.",
            id="config.E006",
        )
    ]
