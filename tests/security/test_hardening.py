"""Hardening of issue #13: forwarded addresses, the throttle's deploy check, headers on every
response (400s and static files included), uploaded media in development."""

import importlib

import pytest
from axes.models import AccessAttempt
from django.core.checks import run_checks
from django.test import RequestFactory, override_settings
from django.urls import clear_url_caches, reverse

from config.middleware import client_ip, parse_address

PASSWORD = "a-long-test-password-1"
HEADERS = ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy")


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("1.2.3.4:5678", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::2", "2001:db8::2"),
        (" 10.0.0.1 ", "10.0.0.1"),
        ("unknown", None),
        ("1.2.3.4:5678:9", None),
        ("<script>", None),
        ("", None),
        ("999.1.1.1", None),
    ],
)
def test_forwarded_address_parsed_or_refused(forwarded, expected):
    assert parse_address(forwarded) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.9, 1.2.3.4:5678", "1.2.3.4"),
        ("203.0.113.9, garbage", "192.0.2.10"),
        ("203.0.113.9, ", "192.0.2.10"),
    ],
)
def test_client_ip_falls_back_to_the_socket_address(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="192.0.2.10")
    assert client_ip(request) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("forwarded", "stored"), [("1.2.3.4:5678", "1.2.3.4"), ("not-an-address", "192.0.2.10")]
)
def test_failed_login_behind_proxy_with_odd_forwarded_value_is_recorded(
    client, superuser, settings, forwarded, stored
):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        reverse("admin:login"),
        {"username": "admin", "password": "wrong-password", "next": "/admin/"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert AccessAttempt.objects.get(username="admin").ip_address == stored


def test_deploy_check_fails_when_the_login_throttle_is_off_in_production():
    with override_settings(DEBUG=False, AXES_ENABLED=False):
        ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "config.E006" in ids
    with override_settings(DEBUG=False, AXES_ENABLED=True):
        ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert "config.E006" not in ids


def test_bad_request_carries_the_security_headers(client):
    response = client.get("/ja/", {"q": "a\x00b"})
    assert response.status_code == 400
    for header in HEADERS:
        assert response[header], header
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_static_file_carries_the_security_headers(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"{" in b"".join(response.streaming_content)
    for header in HEADERS:
        assert response[header], header


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ja/", "/ja/seminars/999/", "/admin/login/", "/"])
def test_every_kind_of_response_has_a_permissions_policy(client, path):
    response = client.get(path)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.fixture
def debug_urls(settings, tmp_path):
    """The URLconf as `make run` loads it (DEBUG on, media in tmp_path); restored afterwards."""
    import config.urls

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    clear_url_caches()
    importlib.reload(config.urls)
    yield
    settings.DEBUG = False
    clear_url_caches()
    importlib.reload(config.urls)


def test_uploaded_photo_served_in_development(client, tmp_path, debug_urls):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 a jpeg")
    response = client.get("/media/photos/a.jpg")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 a jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_uploaded_photo_not_served_by_django_in_production(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "a.jpg").write_bytes(b"\xff\xd8\xff")
    assert client.get("/media/a.jpg").status_code == 404
