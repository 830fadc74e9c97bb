"""The public pages: the series and one edition. Thin views over named QuerySet methods."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Seminar

EDITIONS_PER_PAGE = 50


def series(request):
    """What the series is and every published edition, the latest highlighted."""
    published = Seminar.objects.published()
    paginator = Paginator(published.for_listing(), EDITIONS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page of editions.") from exc
    latest = published.for_listing().order_by("-edition").first()
    context = {"page": page, "seminars": page.object_list, "latest": latest}
    return render(request, "seminars/series.html", context)


def seminar_detail(request, edition):
    """One edition, with its previous and next published neighbours."""
    published = Seminar.objects.published()
    seminar = get_object_or_404(published.for_detail(), edition=edition)
    neighbours = list(published.neighbours_of(seminar))
    context = {
        "seminar": seminar,
        "previous_seminar": next((s for s in neighbours if s.edition < edition), None),
        "next_seminar": next((s for s in neighbours if s.edition > edition), None),
    }
    return render(request, "seminars/detail.html", context)
