"""Two editors at once: the stale save is refused. Every save leaves who/when/what in history."""

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import Delegation
from seminars.models import Seminar
from seminars.record.history_tables import HISTORY_MODELS, virtual_translation_fields
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
SCRIPT = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def change_url(seminar):
    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def _form(client, seminar):
    data = admin_form_data(client.get(change_url(seminar)))
    return {k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))}


def _editor(superuser, lang):
    client = Client(headers={"accept-language": lang})
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("ja", "admin さんが"),
        ("zh-hans", "admin 于"),
    ],
)
def test_second_stale_save_is_refused(superuser, edition, lang, message):
    first, second = _editor(superuser, lang), _editor(superuser, lang)
    first_data, second_data = _form(first, edition), _form(second, edition)

    first_data["theme_ja"] = "最初の編集者のテーマ"
    assert first.post(change_url(edition), first_data).status_code == 302

    second_data["theme_ja"] = "二人目の編集者のテーマ"
    second_data["delegations-0-participant_count"] = "1"
    response = second.post(change_url(edition), second_data)
    assert response.status_code == 200
    assert message in response.content.decode()
    seminar = Seminar.objects.get(pk=edition.pk)
    assert seminar.theme_ja == "最初の編集者のテーマ"
    assert Delegation.objects.get(seminar=seminar, side="japan").participant_count != 1


def test_save_after_reload_succeeds(admin_client_ja, edition):
    data = _form(admin_client_ja, edition)
    data["theme_ja"] = "一回目"
    assert admin_client_ja.post(change_url(edition), data).status_code == 302
    data = _form(admin_client_ja, edition)  # reloaded: carries the new updated_at
    data["theme_ja"] = "二回目"
    assert admin_client_ja.post(change_url(edition), data).status_code == 302
    assert Seminar.objects.get(pk=edition.pk).theme_ja == "二回目"


def test_admin_save_records_history_with_user_and_both_languages(
    admin_client_ja, superuser, edition
):
    data = _form(admin_client_ja, edition)
    data["theme_zh_hans"] = "新的主题"
    data["delegations-0-participant_count"] = "77"
    assert admin_client_ja.post(change_url(edition), data).status_code == 302
    seminar = Seminar.objects.get(pk=edition.pk)
    latest = seminar.history.latest()
    assert latest.history_user == superuser
    assert latest.history_type == "~"
    assert latest.theme_zh_hans == "新的主题"
    assert latest.theme_ja == seminar.theme_ja
    delegation = Delegation.objects.get(seminar=seminar, participant_count=77)
    assert delegation.history.latest().history_user == superuser


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_admin_history_pages_show_older_version(superuser, edition, lang):
    client = _editor(superuser, lang)
    seminar = Seminar.objects.get(pk=edition.pk)
    for theme in ("最初のテーマ", "改訂後のテーマ"):
        data = _form(client, edition)
        data["theme_ja"] = theme
        assert client.post(change_url(edition), data).status_code == 302
    history = client.get(reverse("admin:seminars_seminar_history", args=[seminar.pk]))
    assert history.status_code == 200
    # Newest first; older entries are the factory's creation of the edition (no user).
    latest, first, *created = history.context["page_obj"].object_list
    system = {"ja": "システム", "zh-hans": "系统"}[lang]
    assert created and {entry.user for entry in created} == {system}
    assert [(old, new) for _label, old, new in latest.changes[0].fields] == [
        ("最初のテーマ", "改訂後のテーマ")
    ]
    assert {latest.user, first.user} == {"admin"}
    version = client.get(first.url)  # the point of the first save: its theme comes back
    assert version.status_code == 200
    assert [then for _label, _now, then in version.context["plan"].seminar_fields] == [
        "最初のテーマ"
    ]


def test_history_covers_all_content_models():
    from django.apps import apps

    for label in HISTORY_MODELS:
        model = apps.get_model(label)
        historical = model.history.model
        assert historical._meta.app_label == "safety"
        bare = set(virtual_translation_fields(model))  # read in the saver's language: not kept
        kept = {f.name for f in historical._meta.fields}
        assert {f.name for f in model._meta.fields} - bare <= kept
        assert not bare & kept


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_public_reads_write_no_history(client, edition, lang):
    from safety.models import HistoricalSeminar

    before = HistoricalSeminar.objects.count()
    assert client.get(f"/{lang}/seminars/{edition.edition}/").status_code == 200
    assert client.get(f"/{lang}/").status_code == 200
    assert HistoricalSeminar.objects.count() == before


def test_script_in_translated_field_is_stored_as_text_and_escaped(admin_client_ja, edition):
    data = _form(admin_client_ja, edition)
    data["theme_zh_hans"] = SCRIPT
    data["theme_ja"] = "\u202eテスト\u200b😀"
    assert admin_client_ja.post(change_url(edition), data).status_code == 302
    seminar = Seminar.objects.get(pk=edition.pk)
    assert seminar.theme_zh_hans == SCRIPT
    assert seminar.theme_ja == "\u202eテスト\u200b😀"
    for url in [f"/zh-hans/seminars/{edition.edition}/", "/zh-hans/", change_url(edition)]:
        content = admin_client_ja.get(url).content.decode()
        assert "<script>window.__pwned" not in content, url
        assert 'onerror="window' not in content, url
    public = admin_client_ja.get(f"/zh-hans/seminars/{edition.edition}/").content.decode()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in public


def test_admin_revert_to_older_version(admin_client_ja, edition):
    seminar = Seminar.objects.get(pk=edition.pk)
    for theme in ("版1", "版2"):
        data = _form(admin_client_ja, edition)
        data["theme_ja"] = theme
        assert admin_client_ja.post(change_url(edition), data).status_code == 302
    first = seminar.history.get(theme_ja="版1")
    url = reverse("admin:seminars_seminar_simple_history", args=[seminar.pk, first.history_id])
    form = admin_client_ja.get(url).context["form"]
    response = admin_client_ja.post(url, {"edition_version": form.initial["edition_version"]})
    assert response.status_code == 302
    assert Seminar.objects.get(pk=edition.pk).theme_ja == "版1"
