"""Where the rendered PDFs are kept, and what each edition offers to take away.

A PDF is rendered once per content version, in a separate process (seminars.takeaway.render), and
kept as a file named by the edition, its version (seminars.record.versions), the code's build, the
kind
and the language: `var/pdf/<seminar id>/<kind>-<lang>-v<version>-<build>.pdf`. A web worker only
looks the file up and sends it; it never imports the PDF engine. A new version or a new build
names a new file, so a stored file is never served for content it does not show.

This module imports neither WeasyPrint nor the templates: it is what the web workers load.
"""

import os
from pathlib import Path

from django.conf import settings

from seminars.templatetags.seminar_page import has_report

PROGRAMME, REPORT = "programme", "report"
KINDS = (PROGRAMME, REPORT)


def root():
    """The folder of the stored PDFs: settings.PDF_STORE_DIR, else the environment's
    PDF_STORE_DIR, else var/pdf."""
    configured = getattr(settings, "PDF_STORE_DIR", None) or os.environ.get("PDF_STORE_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pdf"


def edition_dir(seminar_id):
    return root() / str(seminar_id)


def build():
    return str(settings.BUILD_ID or "dev")[:12]


VERSION_COLUMNS = ("pk", "edition", "updated_at", "version__number", "version__saved_at")


def version_key(row):
    """The content version of an edition as a file key; `row` holds VERSION_COLUMNS (values()).

    The number moves with every change; the times make the key unique even where a database
    is loaded afresh and its numbers start again (a test database, a restored dump).
    """
    number = row["version__number"] or 0
    saved = int(row["version__saved_at"].timestamp()) if row["version__saved_at"] else 0
    updated = int(row["updated_at"].timestamp() * 1_000_000) if row["updated_at"] else 0
    return f"{number}-{saved:x}{updated:x}"


def stored_path(seminar_id, kind, language, version):
    """The file of one PDF of one content version of the edition (it may not exist yet)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown PDF kind: {kind}")
    return edition_dir(seminar_id) / f"{kind}-{language}-v{version}-{build()}.pdf"


def download_name(edition, kind, language):
    """`seminar-17-programme-ja.pdf`: the Japanese and the Chinese file never share a name."""
    return f"seminar-{edition}-{kind}-{language}.pdf"


def has_programme(seminar):
    """Whether the edition has an agenda (a programme page, PDF and calendar events)."""
    return bool(seminar.agenda_items.all())


def has_calendar(seminar):
    """A calendar holds at least one event: an agenda item or the edition's dates."""
    return bool(seminar.start_date) or has_programme(seminar)


def offered_kinds(seminar):
    """The PDFs the edition offers: only what has content (an edition of the listing only: none)."""
    kinds = []
    if has_programme(seminar):
        kinds.append(PROGRAMME)
    if has_report(seminar):
        kinds.append(REPORT)
    return kinds


def version_of(seminar_id):
    """The edition's content version key now (read before its content, by the renderer)."""
    from seminars.models import Seminar

    return version_key(Seminar.objects.values(*VERSION_COLUMNS).get(pk=seminar_id))


def remove_older(seminar_id, kind, language, keep):
    """Delete the files of earlier versions or builds of this kind and language."""
    for path in edition_dir(seminar_id).glob(f"{kind}-{language}-v*.pdf"):
        if path != keep:
            path.unlink(missing_ok=True)
