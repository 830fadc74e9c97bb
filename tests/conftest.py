"""Shared fixtures: the seed data, loaded the way `make run` loads it."""

import pytest
from django.core.management import call_command


@pytest.fixture
def seed(db):
    """The committed seed fixtures (all 17 editions, the 2018 report in full)."""
    call_command("loaddata", "seminars", "participants", verbosity=0)


@pytest.fixture
def seminar_2018(seed):
    from seminars.models import Seminar

    return Seminar.objects.get(edition=17)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="a-long-test-password-1"
    )


@pytest.fixture
def admin_client_ja(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (locmem, or Redis when REDIS_URL is set)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
