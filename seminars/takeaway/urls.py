"""URLs of the take-away formats under /<lang>/ (appended to seminars.public.urls; /data/:
data_urls)."""

from django.urls import path

from . import views
from .feeds import EditionsFeed

# Appended to seminars.public.urls (namespace "seminars", under /<lang>/).
localized = [
    path("seminars/<edition:edition>/programme/", views.side_by_side, name="programme"),
    path("seminars/<edition:edition>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("seminars/<edition:edition>/report.pdf", views.report_pdf, name="report_pdf"),
    path("seminars/<edition:edition>/calendar.ics", views.calendar, name="calendar"),
    path("feed.atom", EditionsFeed(), name="feed"),
    path("data/", views.open_data, name="open_data"),
]
