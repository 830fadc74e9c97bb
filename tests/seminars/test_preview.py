"""Staff preview any edition, draft or not, in either language, as the public page shows it."""

import pytest
from django.urls import reverse

from seminars.models import Seminar

pytestmark = pytest.mark.django_db


def preview_url(seminar, lang):
    return reverse("admin:seminars_seminar_preview", args=[seminar.pk, lang])


@pytest.fixture
def draft_2018(seminar_2018):
    seminar_2018.status = Seminar.Status.DRAFT
    seminar_2018.save()
    return seminar_2018


@pytest.mark.parametrize(
    ("lang", "html_lang", "theme"),
    [
        ("ja", 'lang="ja"', "新産業創出と企業誘致による持続的な地方の発展について"),
        ("zh-hans", 'lang="zh-Hans"', "加强新产业培育及招商引资，促进地方可持续发展"),
    ],
)
def test_preview_draft_in_each_language(client_as, draft_2018, lang, html_lang, theme):
    client = client_as("Translators")
    response = client.get(preview_url(draft_2018, lang))
    assert response.status_code == 200
    assert response.context["is_preview"] is True
    assert response.context["seminar"].pk == draft_2018.pk
    content = response.content.decode()
    assert html_lang in content
    assert theme in content
    assert '<meta name="robots" content="noindex">' in content
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")


def test_preview_draft_is_404_for_the_public(client, draft_2018):
    assert client.get("/ja/seminars/17/").status_code == 404
    assert client.get("/zh-hans/seminars/17/").status_code == 404


def test_preview_marks_banner_in_chinese(client_as, draft_2018):
    response = client_as("Editors").get(preview_url(draft_2018, "zh-hans"))
    assert "预览" in response.content.decode()


def test_preview_anonymous_redirects_to_login(client, draft_2018):
    response = client.get(preview_url(draft_2018, "ja"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_preview_staff_without_view_permission_refused(client, staff_in, draft_2018):
    client.force_login(staff_in(username="nobody"))
    assert client.get(preview_url(draft_2018, "ja")).status_code == 403


@pytest.mark.parametrize("lang", ["en", "zh", "zh-hant", "JA"])
def test_preview_other_language_is_404(admin_client_ja, draft_2018, lang):
    assert admin_client_ja.get(preview_url(draft_2018, lang)).status_code == 404


def test_preview_unknown_edition_is_404(admin_client_ja, seed):
    url = reverse("admin:seminars_seminar_preview", args=[9999, "ja"])
    assert admin_client_ja.get(url).status_code == 404


def test_preview_keeps_the_admin_language_afterwards(admin_client_ja, draft_2018):
    admin_client_ja.get(preview_url(draft_2018, "zh-hans"))
    change = admin_client_ja.get(
        reverse("admin:seminars_seminar_change", args=[draft_2018.pk]),
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert '<html lang="ja"' in change.content.decode()


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_preview_links_on_change_page(admin_client_ja, draft_2018, lang):
    response = admin_client_ja.get(reverse("admin:seminars_seminar_change", args=[draft_2018.pk]))
    assert f'href="{preview_url(draft_2018, lang)}"' in response.content.decode()
