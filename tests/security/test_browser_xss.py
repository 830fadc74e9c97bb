"""In a real browser: script stored in a translated field never runs, on public or admin pages,
and the pages themselves run under the CSP without a single violation."""

import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from seminars.models import Seminar

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Same launch as tests/browser/conftest.py (Debian's Chromium through Playwright).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    if not path:
        reason = "Chromium is not on PATH (Debian package `chromium`; `make browser-deps`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: browser tests must run in CI.")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def hostile_site(live_server, transactional_db, superuser):
    call_command("loaddata", "seminars", "participants", verbosity=0)
    Seminar.objects.filter(edition=17).update(theme_zh_hans=PAYLOAD, summary_ja=PAYLOAD)
    client = Client()
    client.force_login(superuser)
    return live_server.url, client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def page(chromium, hostile_site):
    url, session = hostile_site
    context = chromium.new_context()
    host = url.split("//", 1)[1].split(":", 1)[0]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}]
    )
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/zh-hans/seminars/17/",
        "/ja/seminars/17/",
        "/zh-hans/",
        "/admin/seminars/seminar/17/change/",
    ],
)
def test_browser_stored_script_never_runs(hostile_site, page, path):
    url, _session = hostile_site
    response = page.goto(url + path)
    assert response.status == 200
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("window.__csp") == []


def test_browser_admin_scripts_work_under_the_csp(hostile_site, page):
    url, _session = hostile_site
    page.goto(url + "/admin/seminars/seminar/17/change/")
    page.wait_for_load_state("load")
    # modeltranslation's tabs (jQuery UI, vendored) ran: the language tabs exist.
    assert page.locator(".ui-tabs-nav").count() > 0
    # The stored text is shown as text in the Chinese input, unchanged.
    assert page.locator("#id_theme_zh_hans").input_value() == PAYLOAD
    for path in [
        "/admin/",
        "/admin/seminars/seminar/",
        "/admin/seminars/seminar/17/history/",
        "/admin/participants/delegation/",
        "/admin/participants/delegation/import/",
        "/admin/participants/delegation/export/",
    ]:
        assert page.goto(url + path).status == 200
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], path


def test_browser_export_select_all_works_without_inline_handler(hostile_site, page):
    url, _session = hostile_site
    assert page.goto(url + "/admin/participants/delegation/export/").status == 200
    page.wait_for_load_state("load")
    boxes = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert boxes.count() > 1
    page.locator("input.select-toggle:visible").first.uncheck()
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.locator("input.select-toggle:visible").first.check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert page.evaluate("window.__csp") == []
