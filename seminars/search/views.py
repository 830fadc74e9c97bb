"""The search page: `/<lang>/search/?q=…`, never stored by the page cache (the query is kept),
cheap instead: two indexed queries over the small index table, a query of at most
MAX_QUERY_LENGTH characters and MAX_TERMS terms. Not for robots (noindex)."""

from django.shortcuts import render

from seminars.models import SiteSettings
from seminars.search.query import MAX_QUERY_LENGTH, search


def search_page(request):
    result = search(request.GET.get("q", ""), request.GET.get("page") or 1)
    context = {
        "result": result,
        "max_query_length": MAX_QUERY_LENGTH,
        "site": SiteSettings.objects.current(),
    }
    response = render(request, "seminars/search.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
