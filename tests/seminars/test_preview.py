"""Staff preview any edition, draft or not, in either language, as the public page shows it."""

import pytest
from django.urls import reverse

from seminars.models import Seminar
from tests.factories import make_edition

pytestmark = pytest.mark.django_db


def preview_url(seminar, lang):
    return reverse("admin:seminars_seminar_preview", args=[seminar.pk, lang])


@pytest.fixture
def draft():
    return make_edition(
        5, theme_ja="地方の持続的な発展", theme_zh_hans="地方可持续发展", status="draft"
    )


@pytest.mark.parametrize(
    ("lang", "html_lang", "theme"),
    [
        ("ja", 'lang="ja"', "地方の持続的な発展"),
        ("zh-hans", 'lang="zh-Hans"', "地方可持续发展"),
    ],
)
def test_preview_draft_in_each_language(client_as, draft, lang, html_lang, theme):
    client = client_as("Translators")
    response = client.get(preview_url(draft, lang))
    assert response.status_code == 200
    assert response.context["is_preview"] is True
    assert response.context["seminar"].pk == draft.pk
    content = response.content.decode()
    assert html_lang in content
    assert theme in content
    assert '<meta name="robots" content="noindex">' in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")


def test_preview_draft_is_404_for_the_public(client, draft):
    assert client.get(f"/ja/seminars/{draft.edition}/").status_code == 404
    assert client.get(f"/zh-hans/seminars/{draft.edition}/").status_code == 404
    Seminar.objects.filter(pk=draft.pk).update(status=Seminar.Status.PUBLISHED)
    assert client.get(f"/ja/seminars/{draft.edition}/").status_code == 200


def test_preview_marks_banner_in_chinese(client_as, draft):
    response = client_as("Editors").get(preview_url(draft, "zh-hans"))
    assert "预览" in response.content.decode()


def test_preview_anonymous_redirects_to_login(client, draft):
    response = client.get(preview_url(draft, "ja"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_staff_without_view_permission_refused(client, staff_in, draft):
    client.force_login(staff_in(username="nobody"))
    assert client.get(preview_url(draft, "ja")).status_code == 403


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant", "JA"])
def test_preview_other_language_is_404(admin_client_ja, draft, lang):
    assert admin_client_ja.get(preview_url(draft, lang)).status_code == 404


def test_preview_unknown_edition_is_404(admin_client_ja, draft):
    url = reverse("admin:seminars_seminar_preview", args=[draft.pk + 1, "ja"])
    assert admin_client_ja.get(url).status_code == 404


def test_preview_keeps_the_admin_language_afterwards(admin_client_ja, draft):
    admin_client_ja.get(preview_url(draft, "zh-hans"))
    change = admin_client_ja.get(
        reverse("admin:seminars_seminar_change", args=[draft.pk]),
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert '<html lang="ja"' in change.content.decode()


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_preview_links_on_change_page(admin_client_ja, draft, lang):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[draft.pk]))
    assert f'href="{preview_url(draft, lang)}"' in response.content.decode()
