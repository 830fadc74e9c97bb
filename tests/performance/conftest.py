"""Performance tests: shared fixtures (every test starts with empty caches: tests/conftest.py)."""

import pytest


@pytest.fixture
def staff_client(client, django_user_model):
    """A logged-in superuser: staff edit through the admin."""
    user = django_user_model.objects.create_superuser(
        username="editor", email="editor@example.org", password="a-long-test-password-1"
    )
    client.force_login(user)
    return client
