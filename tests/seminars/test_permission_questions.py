"""The questions the admin asks seminars.record.permissions, answered per role (no request
needed)."""

import pytest
from django.utils import translation

from participants.models import Delegation
from seminars.models import Organizer, Seminar
from seminars.record import permissions


@pytest.mark.parametrize(
    ("groups", "imports", "exports"),
    [
        (["Data stewards"], True, True),
        (["Editors"], False, False),
        (["Translators"], False, False),
        (["Publishers"], False, False),
    ],
)
def test_may_import_and_export_delegations_by_role(staff_in, groups, imports, exports):
    user = staff_in(*groups)
    assert permissions.may_import(user, Delegation) is imports
    assert permissions.may_export(user, Delegation) is exports


@pytest.mark.parametrize(
    ("language", "imports", "exports"),
    [
        (
            "ja",
            "代表団 をインポートする権限がありません。",
            "代表団 をエクスポートする権限がありません。",
        ),
        ("zh-hans", "您没有导入代表团的权限。", "您没有导出代表团的权限。"),
    ],
)
def test_import_and_export_refusals_say_why_in_the_staff_language(
    staff_in, language, imports, exports
):
    editor = staff_in("Editors")
    with translation.override(language):
        assert permissions.import_refusal(editor, Delegation) == imports
        assert permissions.export_refusal(editor, Delegation) == exports


def test_import_refused_without_add_even_with_the_import_permission(staff_in):
    from django.contrib.auth.models import Permission

    user = staff_in("Publishers")
    user.user_permissions.add(Permission.objects.get(codename="import_delegation"))
    user = type(user).objects.get(pk=user.pk)  # a fresh permission cache
    with translation.override("ja"):
        assert permissions.import_refusal(user, Delegation) == permissions.model_refusal(
            user, Delegation, permissions.ADD
        )
    assert not permissions.may_import(user, Delegation)


@pytest.mark.parametrize(
    ("groups", "sees"),
    [(["Editors"], True), (["Data stewards"], True), (["Publishers"], True), ([], False)],
)
def test_may_view_dashboard_for_whoever_sees_editions(staff_in, groups, sees):
    assert permissions.may_view_dashboard(staff_in(*groups, username="staff")) is sees


def test_translator_edits_text_only_and_reads_the_rest(staff_in):
    translator = staff_in("Translators")
    assert permissions.edits_text_only(translator)
    assert not permissions.edits_text_only(staff_in("Editors", "Translators"))
    read_only = permissions.read_only_fields(translator, Seminar)
    assert {"edition", "city", "status", "published_at"} <= set(read_only)
    assert "theme_ja" not in read_only
    # An inline's link to its parent is no field of the inline's form.
    assert "seminar" not in permissions.read_only_fields(translator, Organizer, Seminar)
    assert "organization" in permissions.read_only_fields(translator, Organizer, Seminar)


def test_view_or_change_opens_the_admin_to_translators_and_publishers(staff_in):
    for groups in (["Translators"], ["Publishers"], ["Editors"]):
        assert permissions.may_view_or_change(staff_in(*groups), Seminar), groups
    assert not permissions.may_view_or_change(staff_in(username="nobody"), Seminar)
