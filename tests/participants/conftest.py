"""Staff users with chosen permissions, the edition an import names, and helpers that drive the
delegation admin."""

import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from participants.models import Delegation
from participants.resources import DelegationCountsResource, DelegationResource
from tests.factories import make_edition, make_seminar

CHANGELIST = "/admin/participants/delegation/"
IMPORT_URL = "/admin/participants/delegation/import/"
PROCESS_IMPORT_URL = "/admin/participants/delegation/process_import/"
EXPORT_URL = "/admin/participants/delegation/export/"
REPORT_URL = "/admin/participants/delegation/report/"
CSV, XLSX = "0", "1"  # the format choices of the import and export forms
COUNTS_ONLY, FULL = "0", "1"  # the layouts (resources) of the export form
LAYOUTS = {COUNTS_ONLY: DelegationCountsResource, FULL: DelegationResource}
HEADER = ["edition", "side", "participant_count", "description_ja", "description_zh_hans"]

# The editions of the `known` fixture: one with both delegations, three without any.
EDITION = 5
NEW = 6  # an edition without delegations: an import row for it adds one
OTHERS = (3, 4)
# The delegations' texts: simplified Chinese that CP932 cannot hold (团, 员), at two places.
DESCRIPTIONS = {
    "japan": ("日本側の訪問団", "日方代表团成员"),
    "china": ("中国側の訪問団", "中方代表团成员"),
}


@dataclass
class Known:
    seminar: object
    japan: Delegation
    china: Delegation

    def count(self, side):
        """The participant count of that side as the database has it now."""
        return Delegation.objects.get(seminar=self.seminar, side=side).participant_count


@pytest.fixture
def known(db):
    """Edition EDITION built by make_edition (both delegations, with DESCRIPTIONS), and editions
    NEW and OTHERS without delegations: what the import and export tests read and write."""
    seminar = make_edition(EDITION, days=1)  # a one-day programme: the counts are what matter
    for edition in (*OTHERS, NEW):
        make_seminar(edition)
    for side, (description_ja, description_zh_hans) in DESCRIPTIONS.items():
        seminar.delegations.filter(side=side).update(
            description_ja=description_ja, description_zh_hans=description_zh_hans
        )
    return Known(seminar, *(seminar.delegations.get(side=side) for side in ("japan", "china")))


@pytest.fixture
def steward(client, make_staff):
    """A data steward's permissions on delegations: view, export, import (adds and changes)."""
    client.force_login(
        make_staff(
            "view_delegation",
            "export_delegation",
            "import_delegation",
            "add_delegation",
            "change_delegation",
        )
    )
    return client


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    """Where previewed files wait for confirmation: a fresh folder per test."""
    folder = tmp_path / "imports"
    settings.PARTICIPANTS_IMPORT_DIR = str(folder)
    return folder


@pytest.fixture
def make_staff(db, django_user_model):
    """A staff user holding exactly the given participants permission codenames."""

    def make(*codenames, username="staff"):
        user = django_user_model.objects.create_user(
            username=username, password="a-long-test-password-1", is_staff=True
        )
        permissions = Permission.objects.filter(
            content_type__app_label="participants", codename__in=codenames
        )
        assert permissions.count() == len(codenames)
        user.user_permissions.add(*permissions)
        return user

    return make


class Importer:
    """A staff member's browser on the import pages: the client's own requests, and the steps of
    an import (upload, upload_rows, confirm below) without passing the client each time."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def upload(self, data, *args, **kwargs):
        return upload(self.client, data, *args, **kwargs)

    def upload_rows(self, rows, *args, **kwargs):
        return upload_rows(self.client, rows, *args, **kwargs)

    def confirm(self, preview, lang="ja"):
        return confirm(self.client, preview, lang)


@pytest.fixture
def importer(client, make_staff):
    """Staff who may view and import delegations (an import adds and changes rows, so it needs
    those permissions too, as a Data steward has them), as an Importer."""
    client.force_login(
        make_staff("view_delegation", "import_delegation", "add_delegation", "change_delegation")
    )
    return Importer(client)


@pytest.fixture
def exporter(client, make_staff):
    client.force_login(make_staff("view_delegation", "export_delegation"))
    return client


def export_form_data(file_format, layout=FULL):
    """The export form with every column of the layout ticked."""
    resource = LAYOUTS[layout]
    data = {"resource": layout, "format": file_format}
    for column in resource().get_export_order():
        data[f"{resource.__name__.lower()}_{column}"] = "on"
    return data


def csv_bytes(rows, encoding="utf-8-sig", header=HEADER):
    lines = [",".join(str(cell) for cell in row) for row in [header, *rows]]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload_rows(client, rows, file_format="csv", lang="ja"):
    """Upload `rows` (under HEADER) as a CSV or an XLSX file: the preview step."""
    if file_format == "csv":
        return upload(client, csv_bytes(rows), lang=lang)
    return upload(client, xlsx_bytes(rows), "counts.xlsx", XLSX, lang=lang)


def upload(client, data, name="counts.csv", file_format=CSV, encoding="utf-8-sig", lang="ja"):
    """Submit the import form (the preview step) as a staff member's browser would."""
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": file_format,
            "encoding": encoding,
            "import_file": SimpleUploadedFile(name, data),
        },
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def confirm(client, preview, lang="ja"):
    """Press "Confirm import" on a preview page."""
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(PROCESS_IMPORT_URL, data, HTTP_ACCEPT_LANGUAGE=lang)


def delegation_state():
    """Everything an import may change, to prove that a refused import changed nothing."""
    return sorted(
        Delegation.objects.values_list(
            "pk",
            "seminar__edition",
            "side",
            "participant_count",
            "description_ja",
            "description_zh_hans",
        )
    )


def form_errors(response):
    """The refusals of a whole file (no preview to confirm), in the order the page shows them."""
    assert "confirm_form" not in response.context
    return list(response.context["form"].non_field_errors())


def row_errors(response):
    """{(spreadsheet row, column): [messages]} from a preview that found invalid rows."""
    result = response.context["result"]
    return {
        (row.number, column): messages
        for row in result.invalid_rows
        for column, messages in row.error_dict.items()
    }
