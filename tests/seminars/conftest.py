"""Staff users in the editorial roles (groups from seminars.record.roles, synced after migrate);
uploads in a folder of the test's own."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def staff_in(db, django_user_model):
    """A function: staff_in("Editors", "Publishers") → a logged-out staff user in those groups."""

    def make(*group_names, username=None):
        user = django_user_model.objects.create_user(
            username=username or "-".join(n.lower().replace(" ", "_") for n in group_names),
            password=PASSWORD,
            is_staff=True,
        )
        user.groups.add(*Group.objects.filter(name__in=group_names))
        assert user.groups.count() == len(group_names)
        return user

    return make


@pytest.fixture
def client_as(client, staff_in):
    """A function: client_as("Translators") → the test client logged in as such a user."""

    def login(*group_names):
        client.force_login(staff_in(*group_names))
        return client

    return login


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to this test's own folder (MEDIA_ROOT); the folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def staff_client(staff_in, settings):
    """A function: staff_client("zh-hans", "Editors", username="wang", last_name="王") → a new
    client logged in as such a user, reading the admin in that language."""

    def login(language, *group_names, username, **names):
        user = staff_in(*group_names, username=username)
        for name, value in names.items():
            setattr(user, name, value)
        user.save()
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login
