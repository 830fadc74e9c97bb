"""Import and export each need their own permission; the report needs only view."""

import pytest

from .conftest import (
    CHANGELIST,
    CSV,
    EDITION,
    EXPORT_URL,
    IMPORT_URL,
    PROCESS_IMPORT_URL,
    REPORT_URL,
    csv_bytes,
    delegation_state,
    upload,
)

# An import adds and changes rows: it needs those permissions besides its own.
IMPORT = ("import_delegation", "add_delegation", "change_delegation")
COMBINATIONS = [
    # (extra permissions, may import, may export)
    ((), False, False),
    (("import_delegation",), False, False),
    (IMPORT, True, False),
    (("export_delegation",), False, True),
    ((*IMPORT, "export_delegation"), True, True),
]


@pytest.fixture
def staff_client(client, make_staff):
    def login(*codenames):
        client.force_login(make_staff("view_delegation", *codenames))
        return client

    return login


@pytest.mark.parametrize(("codenames", "may_import", "may_export"), COMBINATIONS)
@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_changelist_buttons_follow_permissions(
    known, staff_client, codenames, may_import, may_export, lang
):
    client = staff_client(*codenames)

    response = client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE=lang)

    html = response.content.decode()
    assert response.status_code == 200
    assert ('class="import_link"' in html) is may_import
    assert ('class="export_link"' in html) is may_export
    assert ("export_admin_action" in html) is may_export
    assert html.count('class="report_link"') == 4
    report_label = {
        "ja": "セミナー別レポート（日本語・CSV）",
        "zh-hans": "按研讨会汇总报表（日文，CSV）",
    }
    assert report_label[lang] in html


@pytest.mark.parametrize(("codenames", "may_import", "may_export"), COMBINATIONS)
def test_import_urls_need_the_import_permission(
    known, staff_client, codenames, may_import, may_export
):
    client = staff_client(*codenames)
    before = delegation_state()

    form = client.get(IMPORT_URL)
    preview = upload(client, csv_bytes([[EDITION, "japan", 1, "", ""]]))
    process = client.post(
        PROCESS_IMPORT_URL,
        {
            "import_file_name": "passwd",
            "original_file_name": "x.csv",
            "format": CSV,
            "resource": "0",
        },
    )

    expected = 200 if may_import else 403
    assert (form.status_code, preview.status_code) == (expected, expected)
    if may_import:
        # A file name this user never uploaded: asked to upload again, nothing read.
        assert (process.status_code, process["Location"]) == (302, IMPORT_URL)
    else:
        assert process.status_code == 403
    assert delegation_state() == before


@pytest.mark.parametrize(("codenames", "may_import", "may_export"), COMBINATIONS)
def test_export_urls_need_the_export_permission(
    known, staff_client, codenames, may_import, may_export
):
    client = staff_client(*codenames)
    japan = known.japan

    form = client.get(EXPORT_URL)
    download = client.post(
        EXPORT_URL, {"resource": "0", "format": CSV, "delegationcountsresource_side": "on"}
    )
    action = client.post(
        CHANGELIST, {"action": "export_admin_action", "_selected_action": [japan.pk]}
    )

    expected = 200 if may_export else 403
    assert (form.status_code, download.status_code) == (expected, expected)
    if may_export:
        assert download.content.startswith("\ufeff区分\r\n".encode())
        assert b"export_items" in action.content
    else:
        # Without the permission the action does not exist: the changelist says so.
        assert action.status_code == 200
        assert b"export_items" not in action.content


@pytest.mark.parametrize(("codenames", "may_import", "may_export"), COMBINATIONS)
def test_report_needs_only_the_view_permission(
    known, staff_client, codenames, may_import, may_export
):
    client = staff_client(*codenames)

    response = client.get(REPORT_URL, {"language": "ja", "format": "csv"})

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_staff_without_view_permission_gets_403_everywhere(db, client, make_staff):
    client.force_login(make_staff("import_delegation", "export_delegation"))

    statuses = [client.get(url).status_code for url in (CHANGELIST, REPORT_URL)]

    assert statuses == [403, 403]


def test_anonymous_is_sent_to_the_login_page(db, client):
    for url in (IMPORT_URL, EXPORT_URL, REPORT_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_superuser_sees_import_export_and_report(known, admin_client_ja):
    html = admin_client_ja.get(CHANGELIST).content.decode()

    assert 'class="import_link"' in html and 'class="export_link"' in html
    assert html.count('class="report_link"') == 4
