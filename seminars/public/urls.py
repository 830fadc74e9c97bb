from django.urls import path, register_converter
from django.views.generic import RedirectView

from seminars.public import organizations, views
from seminars.search.views import search_page


class EditionConverter:
    """The N of 第N回: 1 to 5 digits, no leading zero (one URL per edition)."""

    regex = "[1-9][0-9]{0,4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(EditionConverter, "edition")
register_converter(organizations.OrganizationConverter, "organization")

app_name = "seminars"
urlpatterns = [
    path("", views.series, name="series"),
    path("seminars/<edition:edition>/", views.seminar_detail, name="detail"),
    path("organizations/", organizations.organization_index, name="organizations"),
    path(
        "organizations/<organization:pk>/",
        organizations.organization_detail,
        name="organization",
    ),
    path("search/", search_page, name="search"),
    path("site-policy/", views.site_policy, name="site_policy"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # /ja/seminars/ has no page of its own: the list of editions is the series page.
    path("seminars/", RedirectView.as_view(pattern_name="seminars:series", permanent=True)),
]

# Take-away formats (seminars/takeaway/): side-by-side programme, PDFs, calendar, feed, open data.
from seminars.takeaway.urls import localized as takeaway_urls  # noqa: E402

urlpatterns += takeaway_urls
