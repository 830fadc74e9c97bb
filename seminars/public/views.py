"""The public pages: the series, one edition and the site's information pages. Thin views over
named QuerySet methods."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from seminars.models import InfoPage, InfoPageKind, Seminar, SiteSettings
from seminars.public.chart import participation_chart
from seminars.public.hostmap import host_map
from seminars.record.edition_rows import edition_and_neighbours, read_shown_rows

EDITIONS_PER_PAGE = 50


def series(request):
    """What the series is, every published edition (the latest highlighted) and the host cities.

    All published editions are read once (at most 101 exist: one a fiscal year, 2000–2100) and
    paginated in memory: the table, the latest edition and the map come from the same query.
    """
    editions = list(Seminar.objects.published().for_listing())
    paginator = Paginator(editions, EDITIONS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page of editions.") from exc
    site = SiteSettings.objects.current()
    context = {
        "page": page,
        "seminars": page.object_list,
        "all_seminars": editions,
        "latest": editions[-1] if editions else None,
        "host_map": host_map(editions, site),
        "participation": participation_chart(),
        "site": site,
    }
    return render(request, "seminars/series.html", context)


def seminar_detail(request, edition):
    """One edition, with its previous and next published neighbours (one query), then what the
    page shows of the edition: for_detail()'s prefetches, read by seminars.record.edition_rows."""
    seminar, previous_seminar, next_seminar = edition_and_neighbours(edition)
    if seminar is None:
        raise Http404("No published seminar has this edition.")
    read_shown_rows(seminar)
    context = {
        "seminar": seminar,
        "previous_seminar": previous_seminar,
        "next_seminar": next_seminar,
        "site": SiteSettings.objects.current(),
    }
    return render(request, "seminars/detail.html", context)


def info_page(request, kind):
    """Site policy, privacy or accessibility (`kind`, fixed by the URL): one query."""
    page = get_object_or_404(InfoPage.objects.all(), kind=kind)
    context = {"info_page": page, "site": SiteSettings.objects.current()}
    return render(request, "seminars/info_page.html", context)


def site_policy(request):
    return info_page(request, InfoPageKind.SITE_POLICY)


def privacy(request):
    return info_page(request, InfoPageKind.PRIVACY)


def accessibility(request):
    return info_page(request, InfoPageKind.ACCESSIBILITY)
