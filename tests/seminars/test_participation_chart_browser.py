"""The participants chart and an organization page in Chromium on a 375 px phone."""

import pytest

from tests.factories import make_delegation, make_organization, make_organizer, make_seminar


@pytest.fixture
def site(live_server, transactional_db):
    """Two published editions with counts and one organization that took part in both."""
    organization = make_organization()
    for edition, japan, china in ((1, 30, 40), (2, 59, 88)):
        seminar = make_seminar(edition)
        make_delegation(seminar, "japan", japan)
        make_delegation(seminar, "china", china)
        make_organizer(seminar, organization)
    return live_server.url, organization.pk


def test_browser_chart_and_organization_page_fit_a_375_px_phone(site, page):
    """One browser session for both pages (a live server and Chromium: a few seconds)."""
    url, organization = site
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(f"{url}/zh-hans/")
    chart = page.locator("svg.participation__chart").bounding_box()
    table = page.locator(".participation__table").bounding_box()
    assert 300 <= chart["width"] <= 375 and chart["height"] > 150
    assert table["x"] + table["width"] <= 375
    assert page.locator(".participation__table tbody tr").count() == 2
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375

    page.goto(f"{url}/ja/organizations/{organization}/")
    assert page.locator("h1").inner_text() == "テスト協会"
    rows = page.locator(".organization-editions tbody tr")
    assert rows.count() == 2 and "主催" in rows.nth(1).inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
