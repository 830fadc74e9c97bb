"""The translator's workbench (seminars.admin.workbench): every translated field of an edition as
a row, derived from modeltranslation's registry; saves through the write guard, the edition's
version, history and page cache; stale translations marked and cleared."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from participants.models import Delegation, Participant
from seminars.models import AgendaItem, EditionVersion, Seminar, TranslationState
from seminars.record import permissions, translation_state
from seminars.record.completeness import translated_fields
from tests.factories import make_agenda_item, make_edition, make_full_report, make_seminar

pytestmark = pytest.mark.django_db
KEY = re.compile(r'data-key="([^"]+)"')


def url(seminar, **query):
    base = reverse("admin:seminars_seminar_translate", args=[seminar.pk])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def with_session(seminar):
    """A session holding one of the edition's items, as the 2018 programme has."""
    session = make_agenda_item(
        seminar,
        date=seminar.start_date,
        kind=AgendaItem.Kind.MEETING,
        title_ja="本会議",
        title_zh_hans="全体会议",
        order=99,
    )
    part = seminar.agenda_items.exclude(pk=session.pk).first()
    AgendaItem.objects.filter(pk=part.pk).update(session=session)
    return session


def expected_keys(seminar):
    """Every translated field (from the registry) of everything the edition's page shows."""
    objects = [seminar, seminar.city]
    objects += [o.organization for o in seminar.organizers.select_related("organization")]
    objects += list(seminar.agenda_items.all()) + list(seminar.photos.all())
    delegations = list(Delegation.objects.filter(seminar=seminar))
    objects += delegations + list(Participant.objects.filter(delegation__in=delegations))
    return {
        f"{obj._meta.model_name}.{obj.pk}.{name}"
        for obj in objects
        for name in translated_fields(type(obj))
    }


def test_workbench_lists_every_translated_field_of_the_edition(client_as):
    seminar = make_edition(5)
    with_session(seminar)
    response = client_as("Translators").get(url(seminar))
    html = response.content.decode()
    assert response.status_code == 200
    assert set(KEY.findall(html)) == expected_keys(seminar)
    assert len(KEY.findall(html)) == len(expected_keys(seminar))
    # The source in its language's font, the target editable in the other's.
    assert f'<div class="wb-source" lang="ja">{seminar.theme_ja}</div>' in html
    assert 'lang="zh-Hans"' in html and f"{seminar.theme_zh_hans}</textarea>" in html


def test_workbench_fields_follow_the_registry(client_as, monkeypatch):
    """A field added to the registry appears without code of the workbench's own."""
    from seminars.record import workbench_strings

    seminar = make_edition(5)
    original = workbench_strings.translated_fields

    def fewer(model):
        names = original(model)
        return names[:1] if model is Seminar else names

    monkeypatch.setattr(workbench_strings, "translated_fields", fewer)
    keys = set(KEY.findall(client_as("Editors").get(url(seminar)).content.decode()))
    assert {k for k in keys if k.startswith("seminar.")} == {f"seminar.{seminar.pk}.title"}


def test_workbench_source_can_be_chinese(client_as):
    seminar = make_edition(5)
    html = client_as("Translators").get(url(seminar, source="zh-hans")).content.decode()
    assert f'<div class="wb-source" lang="zh-Hans">{seminar.theme_zh_hans}</div>' in html
    assert f"{seminar.theme_ja}</textarea>" in html


@pytest.mark.parametrize("query", ["source=en", "show=everything", "source=ja&show=x"])
def test_workbench_malformed_query_is_404(client_as, query):
    seminar = make_edition(5)
    assert client_as("Editors").get(url(seminar) + "?" + query).status_code == 404


def test_workbench_unknown_edition_is_404(client_as):
    response = client_as("Editors").get(reverse("admin:seminars_seminar_translate", args=[999]))
    assert response.status_code == 404


def test_workbench_filter_missing_shows_only_missing(client_as):
    seminar = make_edition(5)
    Seminar.objects.filter(pk=seminar.pk).update(summary_zh_hans="")
    html = client_as("Translators").get(url(seminar, show="missing")).content.decode()
    assert KEY.findall(html) == [f"seminar.{seminar.pk}.summary"]


def post_save(client, seminar, texts, version=None, **extra):
    data = {
        "edition_version": version if version is not None else _version(seminar),
        "source": "ja",
        "show": "all",
        **{f"t-{key}": text for key, text in texts.items()},
        **extra,
    }
    return client.post(url(seminar), data)


def _version(seminar):
    return EditionVersion.objects.get(seminar=seminar).number


@pytest.mark.parametrize("role", ["Translators", "Editors"])
def test_workbench_save_by_translator_and_editor(client_as, role):
    seminar = make_edition(5)
    item = seminar.agenda_items.first()
    before = _version(seminar)
    history = item.history.count()
    client = client_as(role)
    response = post_save(
        client,
        seminar,
        {f"seminar.{seminar.pk}.theme": "新主题", f"agendaitem.{item.pk}.venue": "新会场"},
    )
    assert response.status_code == 302
    seminar.refresh_from_db()
    item.refresh_from_db()
    assert (seminar.theme_zh_hans, item.venue_zh_hans) == ("新主题", "新会场")
    assert _version(seminar) == before + 1  # one step for the page's save
    assert item.history.count() == history + 1
    assert item.history.first().history_user.groups.get().name == role
    entry = LogEntry.objects.get(object_id=str(seminar.pk))
    assert entry.user.groups.get().name == role
    state = TranslationState.objects.get(object_id=item.pk, field="venue")
    assert (state.language, state.state, state.source_text_at_translation) == (
        "zh-hans",
        "current",
        item.venue_ja,
    )


def test_workbench_data_steward_cannot_save(client_as):
    seminar = make_edition(5)
    client = client_as("Data stewards")
    page = client.get(url(seminar)).content.decode()
    reason = permissions.model_refusal(
        client.session and Seminar.objects.none().model and _user(client), Seminar, "change"
    )
    assert reason and reason in page  # the form says why, and offers no save
    assert 'id="workbench-save"' not in page
    response = post_save(client, seminar, {f"seminar.{seminar.pk}.theme": "改"})
    assert response.status_code == 200
    assert reason in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.theme_zh_hans != "改"


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_workbench_anonymous_is_sent_to_login(client):
    seminar = make_edition(5)
    for response in (client.get(url(seminar)), post_save(client, seminar, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_workbench_staff_without_role_is_refused(client, staff_in):
    seminar = make_edition(5)
    client.force_login(staff_in(username="plain"))
    assert client.get(url(seminar)).status_code == 403


def test_workbench_stale_form_is_refused_and_keeps_the_text(client_as):
    seminar = make_edition(5)
    old = _version(seminar)
    Seminar.objects.get(pk=seminar.pk).save()  # someone saved meanwhile
    response = post_save(
        client_as("Translators"), seminar, {f"seminar.{seminar.pk}.theme": "我的译文"}, old
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="workbench-errors"' in html
    assert "我的译文</textarea>" in html  # what was typed is still on the page
    seminar.refresh_from_db()
    assert seminar.theme_zh_hans != "我的译文"


def test_workbench_refuses_text_over_the_field_length(client_as):
    seminar = make_edition(5)
    too_long = "长" * (Seminar._meta.get_field("theme").max_length + 1)
    response = post_save(
        client_as("Translators"), seminar, {f"seminar.{seminar.pk}.theme": too_long}
    )
    assert 'id="workbench-errors"' in response.content.decode()
    seminar.refresh_from_db()
    assert seminar.theme_zh_hans != too_long


def test_workbench_page_queries_do_not_grow_with_the_edition(client_as):
    small = make_seminar(30, start_date=None)
    make_full_report(small, items=1, organizers=1, photos=1)
    large = make_seminar(31)
    make_full_report(large, items=12, organizers=6, photos=8)
    client = client_as("Translators")
    client.get(url(small))  # sessions, content types: warmed once
    counts = []
    for seminar in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(seminar)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- stale translations ---------------------------------------------------------------------


def test_source_change_marks_the_translation_stale_keeping_the_old_source(staff_in):
    seminar = make_edition(5)
    old_theme = seminar.theme_ja
    with permissions.acting_as(staff_in("Editors")):
        seminar.theme_ja = "新しいテーマ"
        seminar.save()
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.language, state.state, state.source_text_at_translation) == (
        "zh-hans",
        "stale",
        old_theme,
    )
    assert state.seminar_id == seminar.pk


def test_stale_translation_shown_with_old_and_new_source(client_as, staff_in):
    seminar = make_edition(5)
    old_theme = seminar.theme_ja
    Seminar.objects.get(pk=seminar.pk).save()
    with permissions.acting_as(staff_in("Editors")):
        seminar.theme_ja = "新しいテーマ"
        seminar.save()
    html = client_as("Translators").get(url(seminar, show="stale")).content.decode()
    assert KEY.findall(html) == [f"seminar.{seminar.pk}.theme"]
    assert f'<div lang="ja">{old_theme}</div>' in html
    assert '<div class="wb-source" lang="ja">新しいテーマ</div>' in html


def _make_stale(seminar, editor):
    with permissions.acting_as(editor):
        seminar.theme_ja = "新しいテーマ"
        seminar.save()
    return TranslationState.objects.get(object_id=seminar.pk, field="theme")


def test_saving_the_target_clears_stale(client_as, staff_in):
    seminar = make_edition(5)
    _make_stale(seminar, staff_in("Editors"))
    post_save(client_as("Translators"), seminar, {f"seminar.{seminar.pk}.theme": "新的主题"})
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.state, state.source_text_at_translation) == ("current", "新しいテーマ")


def test_still_correct_clears_stale_without_changing_the_text(client_as, staff_in):
    seminar = make_edition(5)
    _make_stale(seminar, staff_in("Editors"))
    theme = Seminar.objects.get(pk=seminar.pk).theme_zh_hans
    response = post_save(
        client_as("Translators"), seminar, {}, still_correct=f"seminar.{seminar.pk}.theme"
    )
    assert response.status_code == 302
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.state, state.source_text_at_translation) == ("current", "新しいテーマ")
    assert Seminar.objects.get(pk=seminar.pk).theme_zh_hans == theme


@pytest.mark.parametrize("role", ["Translators", "Editors"])
def test_translation_edit_does_not_mark_the_source_stale(staff_in, role):
    """A translator's edit is a translation; so is an editor's correction of Chinese text entered
    before the workbench (no direction known: Japanese is the source)."""
    seminar = make_edition(5)
    with permissions.acting_as(staff_in(role)):
        seminar.theme_zh_hans = "改过的主题"
        seminar.save()
    assert not TranslationState.objects.filter(state="stale").exists()
    # … and the translation knows its source from now on: a later source edit makes it stale.
    with permissions.acting_as(staff_in("Editors", username="ed")):
        seminar.theme_ja = "改めたテーマ"
        seminar.save()
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.language, state.state) == ("zh-hans", "stale")


def test_stale_marked_by_every_write_path_including_queryset_free_saves(staff_in):
    """The participant's page, an inline, an import: all end in save(), where the signal sits."""
    seminar = make_edition(5)
    person = Participant.objects.filter(delegation__seminar=seminar).first()
    with permissions.acting_as(staff_in("Editors")):
        person.position_ja = "副市長"
        person.save(update_fields=["position_ja"])
    state = TranslationState.objects.get(object_id=person.pk, field="position")
    assert (state.language, state.state, state.seminar_id) == ("zh-hans", "stale", seminar.pk)


def test_deleting_a_row_drops_its_states(staff_in):
    seminar = make_edition(5)
    photo = seminar.photos.first()
    with permissions.acting_as(staff_in("Editors")):
        photo.caption_ja = "新"
        photo.save()
        assert TranslationState.objects.filter(object_id=photo.pk, field="caption").exists()
        photo.delete()
    assert not TranslationState.objects.filter(object_id=photo.pk, field="caption").exists()


def test_stale_counted_on_dashboard_and_edition_list(client_as, staff_in):
    seminar = make_edition(5)
    _make_stale(seminar, staff_in("Editors"))
    client = client_as("Translators")
    home = client.get(reverse("admin:index")).content.decode()
    assert url(seminar, source="ja", show="stale").replace("&", "&amp;") in home
    assert translation_state.stale_counts() == {seminar.pk: 1}
    listing = client.get(reverse("admin:seminars_seminar_changelist")).content.decode()
    with translation.override("ja"):
        assert _("%(count)s stale") % {"count": 1} in listing


def test_edition_page_links_the_workbench(client_as):
    seminar = make_edition(5)
    html = (
        client_as("Editors")
        .get(reverse("admin:seminars_seminar_change", args=[seminar.pk]))
        .content.decode()
    )
    assert f'href="{url(seminar)}"' in html


def test_workbench_save_reaches_the_cached_public_page(client, client_as):
    from tests.pages import collapsed

    seminar = make_edition(5)
    public = "/zh-hans/seminars/5/"
    assert seminar.theme_zh_hans in collapsed(client.get(public).content.decode())  # cached now
    post_save(client_as("Translators"), seminar, {f"seminar.{seminar.pk}.theme": "缓存之后的主题"})
    client.logout()
    assert "缓存之后的主题" in collapsed(client.get(public).content.decode())


def test_chinese_source_edit_marks_its_japanese_translation_stale(client_as, staff_in):
    """Beijing writes Chinese first: once the Japanese was translated from it on the workbench,
    a change of the Chinese makes the Japanese stale."""
    seminar = make_edition(5)
    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="")
    data = {
        "edition_version": _version(seminar),
        "source": "zh-hans",
        f"t-seminar.{seminar.pk}.theme": "中国語からの訳",
    }
    assert client_as("Translators").post(url(seminar), data).status_code == 302
    with permissions.acting_as(staff_in("Editors", username="ed")):
        seminar = Seminar.objects.get(pk=seminar.pk)
        seminar.theme_zh_hans = "北京改写的主题"
        seminar.save()
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.language, state.state, state.source_language) == ("ja", "stale", "zh-hans")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ja", ["翻訳ワークベンチ", "未翻訳", "原文の言語を切り替える"]),
        ("zh-hans", ["翻译工作台", "未翻译", "切换原文语言"]),
    ],
)
def test_workbench_speaks_the_staff_language(staff_client, language, words):
    seminar = make_edition(5)
    client = staff_client(language, "Translators", username=f"t-{language}")
    html = client.get(url(seminar)).content.decode()
    for word in words:
        assert word in html


def test_source_change_on_the_edition_page_marks_stale_and_the_workbench_shows_it(client_as):
    """The edition's own change form (with its inlines) passes the same signal."""
    from tests.admin_forms import change_url, edition_form

    seminar = make_edition(5)
    client = client_as("Editors")
    data = edition_form(client, seminar)
    item = seminar.agenda_items.order_by("date", "order", "pk").first()
    venue = next(k for k, v in data.items() if k.endswith("-venue_ja") and v == item.venue_ja)
    data[venue] = "新しい会場"
    data["theme_ja"] = "新しいテーマ"
    assert client.post(change_url(seminar), data).status_code == 302
    stale = TranslationState.objects.filter(state="stale", seminar=seminar)
    assert set(stale.values_list("object_id", "field")) == {
        (seminar.pk, "theme"),
        (item.pk, "venue"),
    }
    html = client.get(url(seminar, show="stale")).content.decode()
    assert set(KEY.findall(html)) == {
        f"seminar.{seminar.pk}.theme",
        f"agendaitem.{item.pk}.venue",
    }
