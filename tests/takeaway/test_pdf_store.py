"""PDFs rendered once per content version, outside the web workers, and served as stored files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from seminars.takeaway import render, store
from tests.factories import make_seminar

ROOT = Path(__file__).resolve().parents[2]


def pdf_url(lang, edition, kind):
    return f"/{lang}/seminars/{edition}/{kind}.pdf"


@pytest.mark.parametrize(
    ("lang", "text"), [("ja", "PDFを準備しています"), ("zh-hans", "正在准备此PDF")]
)
@pytest.mark.parametrize("method", ["get", "head"])
def test_pdf_not_stored_answers_503_at_once_and_asks_for_it(
    client, edition, pdf_ready, pdf_store, lang, text, method
):
    response = getattr(client, method)(pdf_url(lang, edition.edition, "programme"))

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    if method == "get":
        assert text in response.content.decode()
    assert (pdf_store / "requests" / str(edition.pk)).exists()
    assert not list(pdf_store.glob("*/*.pdf"))  # nothing rendered by the web process


@pytest.mark.pdf
def test_pdf_stored_served_to_get_and_head_with_validators_and_language_names(
    client, edition, rendered
):
    rendered(edition, kinds=["report"])

    ja = client.get(pdf_url("ja", edition.edition, "report"))
    ja_body = b"".join(ja.streaming_content)

    zh = client.head(pdf_url("zh-hans", edition.edition, "report"))
    again = client.head(pdf_url("ja", edition.edition, "report"), HTTP_IF_NONE_MATCH=ja["ETag"])

    assert ja.status_code == zh.status_code == 200
    assert ja_body.startswith(b"%PDF-")
    assert (
        ja["Content-Disposition"] == f'inline; filename="seminar-{edition.edition}-report-ja.pdf"'
    )
    assert zh["Content-Disposition"] == (
        f'inline; filename="seminar-{edition.edition}-report-zh-hans.pdf"'
    )
    assert int(zh["Content-Length"]) > 1000 and b"".join(zh.streaming_content) == b""
    assert ja["ETag"] != zh["ETag"] and ja["Last-Modified"]
    assert again.status_code == 304


@pytest.mark.pdf
def test_pdf_of_an_older_version_is_never_served(client, edition, rendered, pdf_store):
    rendered(edition, kinds=["report"], languages=["ja"])
    edition.theme_ja = "新しいテーマ"
    edition.save()  # the write guard moves the edition's version forward

    response = client.get(pdf_url("ja", edition.edition, "report"))

    assert response.status_code == 503
    assert (pdf_store / "requests" / str(edition.pk)).exists()


def test_pdf_asked_for_after_the_commit_of_a_change_not_before(
    transactional_db, edition, pdf_store
):
    request = pdf_store / "requests" / str(edition.pk)
    request.unlink(missing_ok=True)  # the factory's own saves asked already
    with transaction.atomic():
        item = edition.agenda_items.first()
        item.title_ja = "改訂"
        item.save()
        edition.save()
        assert not request.exists()  # a rollback would leave nothing asked for

    assert request.read_text() == ""


def test_pdf_change_of_a_shared_row_asks_for_every_edition_again(
    transactional_db, edition, pdf_store
):
    with transaction.atomic():
        edition.city.name_ja = "綿陽市（改称）"
        edition.city.save()

    assert (pdf_store / "requests" / "all").read_text() == render.FORCE


def test_pdf_rolled_back_change_asks_for_nothing(transactional_db, edition, pdf_store):
    request = pdf_store / "requests" / str(edition.pk)
    request.unlink(missing_ok=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        edition.save()
        raise RuntimeError("the writer changed its mind")

    assert not request.exists()


@pytest.mark.pdf
def test_pdf_runner_renders_what_was_asked_for_and_removes_older_versions(edition, pdf_ready):
    old = store.stored_path(edition.pk, "report", "ja", 0)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF- old")
    render.request_render([edition.pk])  # no process is started in tests (PDF_RENDER_SPAWN)

    with render.runner_slot():  # every slot busy: a second runner renders nothing
        assert render.run_requests() is False
    assert render.run_requests() is True

    version = store.version_of(edition.pk)
    names = sorted(p.name for p in store.edition_dir(edition.pk).glob("*.pdf"))
    build = store.build()
    assert names == [
        f"{kind}-{lang}-v{version}-{build}.pdf"
        for kind in ("programme", "report")
        for lang in ("ja", "zh-hans")
    ]
    assert not old.exists()
    assert not any(p for p in render.requests_dir().iterdir())


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_listing_only_edition_offers_no_programme_report_or_calendar(client, db, lang):
    seminar = make_seminar(3)  # a listing row: city and theme, no dates, no agenda

    page = client.get(f"/{lang}/seminars/3/").content.decode()
    answers = [
        client.get(f"/{lang}/seminars/3/{suffix}").status_code
        for suffix in ("programme/", "programme.pdf", "report.pdf", "calendar.ics")
    ]

    assert answers == [404, 404, 404, 404]
    assert seminar.get_absolute_url() in page
    for suffix in ("programme/", "programme.pdf", "report.pdf", "calendar.ics"):
        assert f"/seminars/3/{suffix}" not in page


def test_web_process_never_imports_the_pdf_engine():
    """Every URL module and view loaded as a web worker loads them: WeasyPrint stays out.

    A separate interpreter (about 1 s): this test process may have rendered PDFs already.
    """
    code = (
        "import django, sys; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import seminars.takeaway.views, seminars.takeaway.export, seminars.templatetags.takeaway; "
        "print('weasyprint' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("language", "said"),
    [("ja", "0件のPDFを作成しました。"), ("zh-hans", "已生成0个PDF。")],
)
def test_render_pdfs_command_reports_in_the_staff_language(db, language, said):
    from io import StringIO

    from django.core.management import call_command

    make_seminar(3)  # a listing row offers no PDF: nothing to render
    out = StringIO()

    call_command("render_pdfs", edition=[3], language=language, stdout=out)

    assert said in out.getvalue()
