"""URLs of the take-away formats under /<lang>/ (appended to seminars.public.urls; /data/:
data_urls)."""

from functools import cache

from django.urls import path

from . import views


@cache
def _editions_feed():
    from .feeds import EditionsFeed

    return EditionsFeed()


def feed(request, *args, **kwargs):
    """The Atom feed (.feeds), imported with its first request: Django's syndication framework
    and its XML writer (about 0.4 MiB) stay out of a worker that never serves it (issue #23)."""
    return _editions_feed()(request, *args, **kwargs)


# Appended to seminars.public.urls (namespace "seminars", under /<lang>/).
localized = [
    path("seminars/<edition:edition>/programme/", views.side_by_side, name="programme"),
    path("seminars/<edition:edition>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("seminars/<edition:edition>/report.pdf", views.report_pdf, name="report_pdf"),
    path("seminars/<edition:edition>/calendar.ics", views.calendar, name="calendar"),
    path("feed.atom", feed, name="feed"),
    path("data/", views.open_data, name="open_data"),
]
