"""Things to take away: the side-by-side programme, PDFs, the calendar and the open data.

Thin views over `Seminar.objects.published().for_detail()` (read by seminars.record.edition_rows);
drafts are 404s as on the page.
"""

import os

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language, gettext

from seminars.models import Seminar
from seminars.record import edition_rows

from . import calendars, changes, opendata, pdf, store
from . import render as render_later
from .programme import programme_context

RETRY_AFTER_SECONDS = 10


def published_edition(edition):
    """The published edition with what its pages show (seminars.record.edition_rows), or 404."""
    seminar = edition_rows.published_edition(edition)
    if seminar is None:
        raise Http404("No published seminar has this edition.")
    return seminar


def side_by_side(request, edition):
    """The programme with Japanese and Chinese in two aligned columns (404 without an agenda)."""
    seminar = published_edition(edition)
    if not store.has_programme(seminar):
        raise Http404("This edition has no programme.")
    return render(request, "seminars/takeaway/programme.html", programme_context(seminar))


def programme_pdf(request, edition):
    return stored_pdf(request, edition, store.PROGRAMME)


def report_pdf(request, edition):
    return stored_pdf(request, edition, store.REPORT)


def stored_pdf(request, edition, kind):
    """The stored PDF of the edition's current version, or a quick 503 while it is prepared.

    GET and HEAD alike cost one query and a file lookup; nothing is rendered here and the PDF
    engine is never imported by a web worker (seminars.takeaway.render renders, elsewhere).
    A GET hands the open file to the server (FileResponse: gunicorn sends it with sendfile,
    without copying it through Python); the public page cache keeps pages, not files it would
    hold twice.
    """
    seminar = get_object_or_404(
        Seminar.objects.published().values(*store.VERSION_COLUMNS), edition=edition
    )
    key = store.version_key(seminar)
    path = store.stored_path(seminar["pk"], kind, request.LANGUAGE_CODE, key)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return pdf_missing(request, seminar, kind)
    stat = os.fstat(handle.fileno())
    etag = f'"{path.stem}-{stat.st_mtime_ns:x}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
    if not_modified is not None or request.method == "HEAD":
        handle.close()
    if not_modified is not None:
        return not_modified
    if request.method == "HEAD":
        response = StreamingHttpResponse((), content_type="application/pdf")
    else:
        response = FileResponse(handle, content_type="application/pdf")
    filename = store.download_name(edition, kind, request.LANGUAGE_CODE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Length"] = str(stat.st_size)
    changed = changes.changed_of(seminar["updated_at"], seminar["version__saved_at"])
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp() if changed else stat.st_mtime)
    response["Cache-Control"] = "no-cache"
    return response


def pdf_missing(request, seminar, kind):
    """404 where the edition offers no such PDF; else 503, asking for it to be rendered.

    Cheap on purpose (a burst of such requests must not starve the pages): what the edition
    offers is remembered per content version, the page is a small one without queries.
    """
    if kind not in offered_now(seminar):
        raise Http404("This edition offers no such PDF.")
    reason = pdf.unavailable_reason()
    if reason:
        context = {"reason": reason}
        return render(request, "seminars/takeaway/pdf_unavailable.html", context, status=503)
    render_later.request_render([seminar["pk"]], visitor=True)
    # HEAD: no body (gunicorn drops one, with a log line per request: a burst's cost).
    body = b"" if request.method == "HEAD" else pending_page(request.path, seminar["edition"])
    page = HttpResponse(body, status=503)
    page["Retry-After"] = str(RETRY_AFTER_SECONDS)
    page["Cache-Control"] = "no-store"
    # An expected answer, not a server error: django.request does not log it (a log line per
    # request of a burst would cost the workers more than the answer itself).
    page._has_been_logged = True
    return page


_pending_pages = {}


def pending_page(path, edition):
    """The "being prepared" page for this URL, rendered once per process and language."""
    key = (get_language(), path)
    if key not in _pending_pages:
        if len(_pending_pages) > 1000:
            _pending_pages.clear()
        context = {
            "reason": gettext(
                "This PDF is being prepared from the latest version of the record. Please try "
                "again in a few seconds."
            ),
            "retry_url": path,
            "edition_url": reverse("seminars:detail", args=[edition]),
        }
        _pending_pages[key] = render_to_string("seminars/takeaway/pdf_pending.html", context)
    return _pending_pages[key]


_offered = {}


def offered_now(seminar):
    """The PDFs the edition offers at its current version (remembered by this process)."""
    key = (seminar["pk"], store.version_key(seminar))
    if key not in _offered:
        if len(_offered) > 1000:
            _offered.clear()
        _offered[key] = store.offered_kinds(Seminar.objects.for_detail().get(pk=seminar["pk"]))
    return _offered[key]


def calendar(request, edition):
    seminar = published_edition(edition)
    if not store.has_calendar(seminar):
        raise Http404("This edition has no dates and no agenda: a calendar would hold no event.")
    page = request.build_absolute_uri(seminar.get_absolute_url())
    response = HttpResponse(
        calendars.edition_calendar(seminar, page), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="seminar-{edition}.ics"'
    return response


def open_data(request):
    """What the data files hold, and under which licence."""
    context = {"field_notes": opendata.FIELD_NOTES, "licence": opendata.licence()}
    return render(request, "seminars/takeaway/open_data.html", context)


def origin(request):
    return f"{request.scheme}://{request.get_host()}"


def editions_csv(request):
    body = opendata.as_csv(opendata.records(origin(request)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="editions.csv"'
    return response


def editions_json(request):
    body = opendata.as_json(opendata.records(origin(request)))
    return HttpResponse(body, content_type="application/json")
