"""Production mode: refuses to start half-configured, passes check --deploy, safe headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": GOOD_KEY,
    "DJANGO_ALLOWED_HOSTS": "example.org",
    # check --deploy does not connect; it only needs to see PostgreSQL configured.
    "DATABASE_URL": "postgres://seminars@127.0.0.1:5432/seminars",
}


def parse_csp(header):
    """{directive: [sources]} of a Content-Security-Policy header (order-independent)."""
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def manage(*args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    environ.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_sqlite_in_production_mode():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION_ENV, "DATABASE_URL": None}
    )
    assert result.returncode == 1
    assert "config.E005" in result.stderr


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short-but-not-empty"}, "at least 50 characters"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "x" * 60}, "'django-insecure'"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_mode_refuses_to_start_when(override, message):
    result = manage("check", **{**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_manage_py_on_a_bare_checkout_runs_in_development_mode():
    """The README's `manage.py createsuperuser` needs no environment on a developer's checkout."""
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_manage_py_with_a_secret_key_stays_in_production_mode():
    result = manage("check", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_enable_https_protections():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SAMESITE,"
        " s.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    result = manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "Lax",
        "True",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_public_page_sends_strict_csp_and_headers(client, edition, lang):
    response = client.get(f"/{lang}/seminars/{edition.edition}/")
    assert response.status_code == 200
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert "script-src-attr" not in csp  # the admin's one handler is allowed on the admin only
    assert csp["object-src"] == csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_admin_pages_are_not_stored_and_keep_script_csp(admin_client_ja, edition, lang):
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    response = admin_client_ja.get(url, headers={"accept-language": lang})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src-attr"] == settings.CSP_ADMIN_SCRIPT_SRC_ATTR
    assert csp["object-src"] == csp["frame-ancestors"] == ["'none'"]


def test_admin_allows_exactly_the_inline_handlers_of_import_exports_export_page():
    """The one inline script the admin runs is django-import-export's "Select all" handler, by
    its hash (its template is used as it is): an upgrade that changes the handler fails here,
    not silently in a browser."""
    import base64
    import hashlib
    import re

    import import_export

    template = Path(import_export.__file__).parent / "templates/admin/import_export/export.html"
    handlers = re.findall(r'\son[a-z]+="([^"]*)"', template.read_text())
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(h.encode()).digest()).decode() + "'"
        for h in handlers
    }
    assert handlers == ["onSelectToggleChange(event)"]
    assert set(settings.CSP_ADMIN_SCRIPT_SRC_ATTR) == {"'unsafe-hashes'"} | hashes


@pytest.mark.django_db
def test_admin_login_page_is_not_stored(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_admin_pages_contain_no_inline_script(admin_client_ja, edition):
    """The CSP forbids inline script; the admin pages staff use must not need any."""
    urls = [
        reverse("admin:index"),
        reverse("admin:seminars_seminar_changelist"),
        reverse("admin:seminars_seminar_change", args=[edition.pk]),
        reverse("admin:seminars_seminar_add"),
        reverse("admin:participants_delegation_changelist"),
    ]
    for url in urls:
        content = admin_client_ja.get(url).content.decode()
        scripts = content.split("<script")[1:]
        inline = [s[:80] for s in scripts if "src=" not in s.split(">", 1)[0]]
        inline = [s for s in inline if 'type="application/json"' not in s]
        assert inline == [], url
        assert " onclick=" not in content and " onload=" not in content, url


def _check_ids(**overrides):
    with override_settings(**overrides):
        return {message.id for message in run_checks(include_deployment_checks=True)}


GOOD_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}


def test_deploy_checks_pass_with_project_settings():
    ids = _check_ids()
    assert not {i for i in ids if i.startswith("safety.") and i != "config.E005"}


@pytest.mark.parametrize(
    "name", ["IMPORT_EXPORT_IMPORT_PERMISSION_CODE", "IMPORT_EXPORT_EXPORT_PERMISSION_CODE"]
)
def test_deploy_check_fails_without_import_export_permission_code(name):
    assert "config.E001" in _check_ids(**{name: None})


def test_deploy_check_fails_without_csp():
    assert "config.E002" in _check_ids(CONTENT_SECURITY_POLICY=None)


@pytest.mark.parametrize("source", ["'unsafe-inline'", "'unsafe-eval'", "*"])
def test_deploy_check_fails_on_unsafe_script_source(source):
    policy = {"DIRECTIVES": {**GOOD_CSP["DIRECTIVES"], "script-src": ["'self'", source]}}
    assert "config.E003" in _check_ids(CONTENT_SECURITY_POLICY=policy)


def test_deploy_check_fails_on_unsafe_default_source_without_script_src():
    directives = {k: v for k, v in GOOD_CSP["DIRECTIVES"].items() if k != "script-src"}
    directives["default-src"] = ["'self'", "'unsafe-inline'"]
    assert "config.E003" in _check_ids(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives})


@pytest.mark.parametrize("directive", ["object-src", "frame-ancestors"])
def test_deploy_check_fails_without_directive(directive):
    directives = {k: v for k, v in GOOD_CSP["DIRECTIVES"].items() if k != directive}
    assert "config.E004" in _check_ids(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives})


def test_deploy_check_passes_good_csp():
    assert not {"config.E002", "config.E003", "config.E004"} & _check_ids(
        CONTENT_SECURITY_POLICY=GOOD_CSP
    )


# The database the suite runs on (CI runs it on both); overriding DATABASES would make Django warn.
def test_deploy_check_fails_on_sqlite_without_debug():
    from django.db import connection

    assert ("config.E005" in _check_ids(DEBUG=False)) == (connection.vendor == "sqlite")


def test_deploy_check_allows_sqlite_with_debug():
    assert "config.E005" not in _check_ids(DEBUG=True)


def test_password_validators_require_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        validate_password("Xq7#kP2m!aZ")  # 11 characters
    assert any("12" in message for message in excinfo.value.messages)
    validate_password("Xq7#kP2m!aZ9-long")
