"""Performance tests: an empty page cache for every test, on locmem and on Redis alike."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    """No page or content version survives from another test (Redis keeps them otherwise)."""
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
