"""The photo inline shows the small rendition and links to the web-size image."""

import pytest
from django.conf import settings
from django.urls import reverse

from seminars.models import Photo
from tests.factories import make_edition

pytestmark = pytest.mark.django_db


def test_photo_inline_shows_thumbnail_linking_to_image(admin_client_ja):
    edition = make_edition(5)
    Photo.objects.filter(seminar=edition).delete()
    Photo.objects.create(
        seminar=edition,
        caption_ja="会場",
        caption_zh_hans="会场",
        image="photos/web.jpg",
        thumbnail="photos/small.jpg",
    )
    url = reverse("admin:seminars_seminar_change", args=[edition.pk])
    content = admin_client_ja.get(url).content.decode()

    media = settings.MEDIA_URL
    assert (
        f'<a href="{media}photos/web.jpg" target="_blank" rel="noopener">'
        f'<img src="{media}photos/small.jpg" alt="" class="photo-thumbnail" loading="lazy"></a>'
    ) in content
