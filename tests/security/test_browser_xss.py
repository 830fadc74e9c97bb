"""In a real browser: script stored in a translated field never runs, on public or admin pages,
and the pages themselves run under the CSP without a single violation."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_edition

pytestmark = pytest.mark.browser

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def hostile_site(live_server, transactional_db, superuser):
    """A complete edition whose Chinese theme and Japanese summary carry the payload."""
    seminar = make_edition(5, theme_zh_hans=PAYLOAD, summary_ja=PAYLOAD)
    client = Client()
    client.force_login(superuser)
    return live_server.url, client.cookies[settings.SESSION_COOKIE_NAME].value, seminar


@pytest.fixture
def in_browser(browser, hostile_site):
    """Runs `steps(page, base_url)` in a Chromium context signed in as a superuser."""
    url, session, seminar = hostile_site

    def run(steps):
        context = browser.new_context()
        try:
            host = url.split("//", 1)[1].split(":", 1)[0]
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session}
            context.add_cookies([{**cookie, "domain": host, "path": "/"}])
            context.add_init_script(WATCH_CSP)
            return steps(context.new_page(), url)
        finally:
            context.close()

    run.seminar = seminar  # its edition and pk fill the paths below
    return run


def at(path, seminar):
    return path.format(edition=seminar.edition, pk=seminar.pk)


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("load")
    return response.status, page.evaluate("typeof window.__pwned"), page.evaluate("window.__csp")


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/seminars/{edition}/",
        "/ja/seminars/{edition}/",
        "/zh-hans/",
        "/admin/seminars/seminar/{pk}/change/",
    ],
)
def test_browser_stored_script_never_runs(in_browser, path):
    path = at(path, in_browser.seminar)
    status, pwned, violations = in_browser(lambda page, url: visit(page, url + path))
    assert status == 200
    assert pwned == "undefined"
    assert violations == []


ADMIN_PAGES = [
    "/admin/",
    "/admin/seminars/seminar/",
    "/admin/seminars/seminar/{pk}/history/",
    "/admin/participants/delegation/",
    "/admin/participants/delegation/import/",
    "/admin/participants/delegation/export/",
]


def test_browser_admin_scripts_work_under_the_csp(in_browser):
    pages = [at(path, in_browser.seminar) for path in ADMIN_PAGES]

    def steps(page, url):
        visit(page, url + at("/admin/seminars/seminar/{pk}/change/", in_browser.seminar))
        # modeltranslation's tabs (jQuery UI, vendored) ran; the stored text is plain text.
        tabs = page.locator(".ui-tabs-nav").count()
        value = page.locator("#id_theme_zh_hans").input_value()
        return tabs, value, {path: visit(page, url + path) for path in pages}

    tabs, value, visits = in_browser(steps)
    assert tabs > 0
    assert value == PAYLOAD
    assert visits == {path: (200, "undefined", []) for path in pages}


def test_browser_export_select_all_works_under_the_csp(in_browser):
    def steps(page, url):
        status = visit(page, url + "/admin/participants/delegation/export/")[0]
        boxes = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
        toggle = page.locator("input.select-toggle:visible").first
        toggle.uncheck()
        after_uncheck = [boxes.nth(i).is_checked() for i in range(boxes.count())]
        toggle.check()
        after_check = [boxes.nth(i).is_checked() for i in range(boxes.count())]
        return status, after_uncheck, after_check, page.evaluate("window.__csp")

    status, after_uncheck, after_check, violations = in_browser(steps)
    assert status == 200
    assert len(after_check) > 1
    assert not any(after_uncheck) and all(after_check)
    assert violations == []
