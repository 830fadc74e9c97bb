"""The workbench's offline round trip (seminars.record.translation_files): an edition's strings
exported as XLIFF 2.1 and XLSX, translated elsewhere, imported back through a preview; every
refusal changes nothing, in the staff language."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from lxml import etree
from openpyxl import load_workbook

from seminars.models import AgendaItem, EditionVersion, Seminar
from seminars.record import permissions
from seminars.record.workbench_strings import all_strings, edition_strings, load
from tests.factories import make_edition

pytestmark = pytest.mark.django_db
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}


def export(client, seminar, kind="xliff", source="ja"):
    name = {"xliff": "translate_xliff", "xlsx": "translate_xlsx"}[kind]
    response = client.get(
        reverse(f"admin:seminars_seminar_{name}", args=[seminar.pk]), {"source": source}
    )
    assert response.status_code == 200
    return response.content


def upload(client, seminar, data, name="strings.xlf", source="ja"):
    url = reverse("admin:seminars_seminar_translate_import", args=[seminar.pk])
    return client.post(url, {"source": source, "file": SimpleUploadedFile(name, data)})


def confirm(client, seminar, preview):
    """Post the preview's confirmation form as a browser would."""
    html = preview.content.decode()
    tree = etree.HTML(html)
    form = tree.xpath('//form[@id="import-confirm"]')[0]
    data = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input[@name]")}
    return client.post(form.get("action"), data)


def snapshot(seminar):
    return {s.key: s.target for s in all_strings(edition_strings(load(seminar.pk), "ja"))}


def translate_xliff(data, translate):
    """What a translation tool does: every unit's target from its source."""
    root = etree.fromstring(data)
    for segment in root.iterfind(".//x:segment", NS):
        source = segment.find("x:source", NS).text or ""
        target = segment.find("x:target", NS)
        if target is None:
            target = etree.SubElement(segment, f"{{{NS['x']}}}target")
        target.text = translate(source)
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def machine(source):
    return f"译:{source}"[:300] if source else ""


def test_xliff_export_is_xliff_21_with_ids_sources_targets_and_states(client_as):
    seminar = make_edition(5)
    Seminar.objects.filter(pk=seminar.pk).update(summary_zh_hans="")
    root = etree.fromstring(export(client_as("Translators"), seminar))
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == (
        "2.1",
        "ja",
        "zh-Hans",
    )
    units = {u.get("id"): u for u in root.iterfind(".//x:unit", NS)}
    assert set(units) == set(snapshot(seminar))
    theme = units[f"seminar.{seminar.pk}.theme"]
    assert theme.findtext(".//x:source", namespaces=NS) == seminar.theme_ja
    assert theme.findtext(".//x:target", namespaces=NS) == seminar.theme_zh_hans
    assert theme.find(".//x:segment", NS).get("state") == "translated"
    summary = units[f"seminar.{seminar.pk}.summary"].find(".//x:segment", NS)
    assert summary.find("x:target", NS) is None and summary.get("state") == "initial"


def test_xliff_translated_by_a_script_imports_back_exactly(client_as):
    """About 5 s: the import writes every field of a published edition (each save recorded in
    the history, the edition's public pages rendered again)."""
    seminar = make_edition(5)
    client = client_as("Translators")
    translated = translate_xliff(export(client, seminar), machine)
    preview = upload(client, seminar, translated)
    assert preview.status_code == 200
    response = confirm(client, seminar, preview)
    assert response.status_code == 302
    sources = {s.key: s.source for s in all_strings(edition_strings(load(seminar.pk), "ja"))}
    assert snapshot(seminar) == {key: machine(text) for key, text in sources.items()}
    # … and a second export carries exactly what was imported.
    root = etree.fromstring(export(client, seminar))
    for unit in root.iterfind(".//x:unit", NS):
        assert (unit.findtext(".//x:target", namespaces=NS) or "") == machine(
            sources[unit.get("id")]
        )


def test_xlsx_round_trip(client_as):
    """About 3 s: writes every field of a published edition, like the XLIFF round trip."""
    seminar = make_edition(5)
    client = client_as("Editors")
    book = load_workbook(io.BytesIO(export(client, seminar, "xlsx")))
    sheet = book["strings"]
    assert sheet.freeze_panes == "A2"
    for row in sheet.iter_rows(min_row=2):
        row[4].value = machine(row[3].value or "")
    out = io.BytesIO()
    book.save(out)
    preview = upload(client, seminar, out.getvalue(), "strings.xlsx")
    assert preview.status_code == 200
    assert confirm(client, seminar, preview).status_code == 302
    item = AgendaItem.objects.filter(seminar=seminar).first()
    assert item.title_zh_hans == machine(item.title_ja)


def test_xlsx_text_starting_with_equals_stays_text(client_as):
    seminar = make_edition(5)
    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="=SUM(A1)")
    book = load_workbook(io.BytesIO(export(client_as("Editors"), seminar, "xlsx")))
    cells = [row for row in book["strings"].iter_rows(min_row=2) if row[3].value == "=SUM(A1)"]
    assert cells and cells[0][3].data_type == "s"


def refused(client, seminar, data, name="strings.xlf"):
    """Upload, expect a refusal; the edition unchanged. Returns the refusal list's text."""
    before = snapshot(seminar)
    version = EditionVersion.objects.get(seminar=seminar).number
    response = upload(client, seminar, data, name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-confirm"' not in html
    assert snapshot(seminar) == before
    assert EditionVersion.objects.get(seminar=seminar).number == version
    tree = etree.HTML(html)
    return " ".join(tree.xpath('//ul[@id="import-refusals"]//text()'))


def with_unit(data, unit_id, **changes):
    root = etree.fromstring(data)
    unit = root.find(f".//x:unit[@id='{unit_id}']", NS)
    segment = unit.find(".//x:segment", NS)
    for name, value in changes.items():
        if name == "id":
            unit.set("id", value)
            continue
        node = segment.find(f"x:{name}", NS)
        if node is None:
            node = etree.SubElement(segment, f"{{{NS['x']}}}{name}")
        node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_import_refuses_unknown_id(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = with_unit(export(client, seminar), f"seminar.{seminar.pk}.theme", id="seminar.999.theme")
    assert "seminar.999.theme" in refused(client, seminar, data)


def test_import_refuses_source_changed_since_export(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = export(client, seminar)
    data = with_unit(data, f"seminar.{seminar.pk}.title", target="新标题")
    Seminar.objects.filter(pk=seminar.pk).update(theme_ja="変わったテーマ")
    text = refused(client, seminar, data)
    assert f"seminar.{seminar.pk}.theme" in text
    assert Seminar.objects.get(pk=seminar.pk).title_zh_hans != "新标题"  # all or nothing


def test_import_refuses_target_over_the_field_length(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    limit = Seminar._meta.get_field("theme").max_length
    data = with_unit(
        export(client, seminar), f"seminar.{seminar.pk}.theme", target="长" * (limit + 1)
    )
    assert str(limit) in refused(client, seminar, data)


@pytest.mark.parametrize("damaged", ["??????", "主\ufffd\ufffd"])
def test_import_refuses_text_an_encoding_lost(client_as, damaged):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = with_unit(export(client, seminar), f"seminar.{seminar.pk}.theme", target=damaged)
    assert "UTF-8" in refused(client, seminar, data)


def test_import_refuses_another_language_pair(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = export(client, seminar, source="zh-hans")
    assert refused(client, seminar, data)


def test_import_refuses_a_file_of_another_edition(client_as):
    seminar = make_edition(5)
    other = make_edition(6)
    client = client_as("Translators")
    assert refused(client, seminar, export(client, other))


@pytest.mark.parametrize("data", [b"not xml at all", b"PK\x03\x04broken zip"])
def test_import_refuses_unreadable_files(client_as, data):
    seminar = make_edition(5)
    assert refused(client_as("Translators"), seminar, data)


@pytest.mark.parametrize("language", ["ja", "zh-hans"])
def test_import_refusal_in_the_staff_language(staff_client, language):
    seminar = make_edition(5)
    client = staff_client(language, "Translators", username=f"t-{language}")
    data = with_unit(export(client, seminar), f"seminar.{seminar.pk}.theme", id="seminar.999.theme")
    with translation.override(language):
        from django.utils.translation import gettext

        expected = gettext("%(id)s: no such text in this edition.") % {"id": "seminar.999.theme"}
    assert expected in refused(client, seminar, data)
    assert expected != "seminar.999.theme: no such text in this edition."


def test_import_preview_changes_nothing_until_confirmed(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = with_unit(export(client, seminar), f"seminar.{seminar.pk}.theme", target="预览主题")
    preview = upload(client, seminar, data)
    assert preview.status_code == 200 and "预览主题" in preview.content.decode()
    assert Seminar.objects.get(pk=seminar.pk).theme_zh_hans != "预览主题"
    assert confirm(client, seminar, preview).status_code == 302
    assert Seminar.objects.get(pk=seminar.pk).theme_zh_hans == "预览主题"


def test_import_confirmation_refused_when_edition_moved_on(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    data = with_unit(export(client, seminar), f"seminar.{seminar.pk}.theme", target="预览主题")
    preview = upload(client, seminar, data)
    Seminar.objects.get(pk=seminar.pk).save()  # someone saved meanwhile
    response = confirm(client, seminar, preview)
    assert response.status_code == 200 and 'id="workbench-errors"' in response.content.decode()
    assert Seminar.objects.get(pk=seminar.pk).theme_zh_hans != "预览主题"


def test_import_by_data_steward_is_refused(client_as):
    seminar = make_edition(5)
    client = client_as("Data stewards")
    data = export(client, seminar)
    assert upload(client, seminar, data).status_code == 403
    assert permissions  # the reason comes from permissions.model_refusal (workbench page)


def test_import_of_a_stale_target_marked_translated_confirms_it(client_as, staff_in):
    """A tool that keeps a stale segment's target and marks it translated says "still correct"."""
    from seminars.models import TranslationState

    seminar = make_edition(5)
    with permissions.acting_as(staff_in("Editors")):
        seminar.theme_ja = "新しいテーマ"
        seminar.save()
    client = client_as("Translators")
    root = etree.fromstring(export(client, seminar))
    unit = root.find(f".//x:unit[@id='seminar.{seminar.pk}.theme']", NS)
    segment = unit.find(".//x:segment", NS)
    assert segment.get("subState") == "seminars:stale"
    assert unit.findtext(".//x:note[@category='source-when-translated']", namespaces=NS)
    segment.set("state", "translated")
    preview = upload(client, seminar, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    assert 'id="import-confirmed"' in preview.content.decode()
    assert confirm(client, seminar, preview).status_code == 302
    state = TranslationState.objects.get(object_id=seminar.pk, field="theme")
    assert (state.state, state.source_text_at_translation) == ("current", "新しいテーマ")


def test_import_refuses_an_id_given_twice(client_as):
    seminar = make_edition(5)
    client = client_as("Translators")
    root = etree.fromstring(export(client, seminar))
    units = list(root.iterfind(".//x:unit", NS))
    units[1].set("id", units[0].get("id"))
    units[1].find(".//x:source", NS).text = units[0].findtext(".//x:source", namespaces=NS)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert units[0].get("id") in refused(client, seminar, data)
