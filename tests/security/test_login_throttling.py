"""Admin sign-in throttling with django-axes: per username + address, stored in the database."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config.middleware import client_ip

# Signing in is the subject here: the production password hasher, not the tests' fast one.
pytestmark = [pytest.mark.django_db, pytest.mark.real_password_hasher]
PASSWORD = "a-long-test-password-1"


def _login(client, password, ip="203.0.113.5", lang="ja"):
    return client.post(
        reverse("admin:login"),
        {"username": "admin", "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE=lang,
    )


@pytest.mark.parametrize(
    ("lang", "title"),
    [("ja", "サインインの失敗が多すぎます"), ("zh-hans", "登录失败次数过多")],
)
def test_admin_login_locks_out_after_five_failures(client, superuser, lang, title):
    for _ in range(4):
        assert _login(client, "wrong-password", lang=lang).status_code == 200
    locked = _login(client, "wrong-password", lang=lang)
    assert locked.status_code == 429
    assert title in locked.content.decode()
    # Even the right password is refused during the cool-off.
    again = _login(client, PASSWORD, lang=lang)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get(username="admin")
    assert attempt.ip_address == "203.0.113.5"
    assert attempt.failures_since_start >= 5


def test_admin_login_lockout_is_per_address(client, superuser):
    for _ in range(5):
        _login(client, "wrong-password", ip="203.0.113.5")
    response = _login(client, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_admin_login_succeeds_below_the_limit(client, superuser):
    for _ in range(3):
        _login(client, "wrong-password")
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="admin").exists()  # reset on success


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_client_ip_trusts_one_proxy_hop():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


def test_client_ip_ignores_forwarded_header_without_trusted_proxy():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


def test_admin_passwords_are_stored_with_the_production_hasher(superuser):
    """Only the tests hash with MD5 (tests/conftest.py); the site keeps Django's PBKDF2."""
    superuser.refresh_from_db()
    assert superuser.password.startswith("pbkdf2_sha256$")
    assert superuser.check_password("a-long-test-password-1")
