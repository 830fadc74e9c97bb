"""Performance tests: an empty page cache for every test, on locmem and on Redis alike."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache(tmp_path, monkeypatch):
    """No page or content version survives from another test (Redis keeps them otherwise).

    With locmem the version is a file: one per test, so test runs in parallel never share it.
    """
    monkeypatch.setenv("PAGECACHE_VERSION_FILE", str(tmp_path / "pagecache.version"))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in superuser: staff edit through the admin."""
    user = django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="a-long-test-password-1"
    )
    client.force_login(user)
    return client
