"""Things to take away: the side-by-side programme, PDFs, the calendar and the open data.

Thin views over `Seminar.objects.published().for_detail()`; drafts are 404s as on the page.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language_info, override

from seminars.models import Seminar
from seminars.templatetags.seminar_i18n import HTML_LANG, localized_fieldname

from . import calendars, opendata, pdf
from .programme import LANGUAGES, missing_count, not_filled_label, programme


def published_edition(edition):
    return get_object_or_404(Seminar.objects.published().for_detail(), edition=edition)


def columns():
    return [
        {"html_lang": HTML_LANG[lang], "name": get_language_info(lang)["name_local"]}
        for lang in LANGUAGES
    ]


def themes(seminar):
    result = []
    for lang in LANGUAGES:
        with override(lang):
            result.append(
                {
                    "html_lang": HTML_LANG[lang],
                    "label": get_language_info(lang)["name_local"],
                    "text": getattr(seminar, localized_fieldname("theme", lang)) or "",
                    "not_filled": not_filled_label(),
                }
            )
    return result


def programme_context(seminar):
    days = programme(seminar)
    return {
        "seminar": seminar,
        "days": days,
        "columns": columns(),
        "themes": themes(seminar),
        "missing": missing_count(days),
        # The UTC+8 note and the time heading only when an item has a time, as on the page.
        "has_times": any(row.item.start_time for day in days for row in day.rows),
        "pdf_unavailable": pdf.unavailable_reason(),
    }


def side_by_side(request, edition):
    """The programme with Japanese and Chinese in two aligned columns."""
    seminar = published_edition(edition)
    return render(request, "seminars/takeaway/programme.html", programme_context(seminar))


def pdf_response(request, template_name, context, filename):
    reason = pdf.unavailable_reason()
    if reason:
        page = render(request, "seminars/takeaway/pdf_unavailable.html", {"reason": reason})
        page.status_code = 503
        return page
    response = HttpResponse(
        pdf.render_pdf(template_name, context, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def programme_pdf(request, edition):
    seminar = published_edition(edition)
    context = programme_context(seminar)
    filename = f"seminar-{edition}-programme.pdf"
    return pdf_response(request, "seminars/takeaway/programme_pdf.html", context, filename)


def report_pdf(request, edition):
    seminar = published_edition(edition)
    filename = f"seminar-{edition}-report-{request.LANGUAGE_CODE}.pdf"
    context = {"seminar": seminar}
    return pdf_response(request, "seminars/takeaway/report_pdf.html", context, filename)


def calendar(request, edition):
    seminar = published_edition(edition)
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
