"""Bad input never reaches the record: each case answers a clear 4xx or a form error, and the
database (every row of every table) and the media folder are exactly as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.security import images
from tests.security.conftest import EARLIER_EDITION, LATEST_EDITION
from tests.security.photo_posts import seminar_form, seminar_form_url, with_new_photo
from tests.security.snapshots import database_rows, media_files

# A complete record (two factory editions, built once for the module): bad input must leave all
# of it alone.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_for_module")]
LATEST = f"/ja/seminars/{LATEST_EDITION}/"


def latest_edition():
    from seminars.models import Seminar

    return Seminar.objects.latest("edition")


def change_url():
    return seminar_form_url(latest_edition())


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unchanged(media_root):
    """Asserts, after the test body, that nothing in the database or media folder changed."""
    before = database_rows(), media_files(media_root)
    yield
    after = database_rows(), media_files(media_root)
    assert after[0] == before[0], "the database changed"
    assert after[1] == before[1], "the media folder changed"


# --- URLs and query strings -------------------------------------------------------------------

PUBLIC_URLS = [
    ("/ja/seminars/%00/", 400),
    ("/zh-hans/seminars/%00/", 400),
    ("/ja/%00", 400),
    (LATEST + "?x=%00", 400),
    ("/ja/?q=%00", 400),
    ("/ja/?%00=1", 400),
    (LATEST + "%00", 400),
    ("/ja/seminars/99999999999999999999/", 404),
    ("/zh-hans/seminars/99999999999999999999/", 404),
    ("/ja/seminars/-1/", 404),
    ("/ja/seminars/0/", 404),
    (f"/ja/seminars/{LATEST_EDITION}abc/", 404),
    ("/ja/seminars/%EF%BC%95/", 404),  # full-width ５
    (f"/ja/seminars/%E2%80%AE{LATEST_EDITION}/", 404),  # right-to-left override
    ("/ja/seminars/%ff/", 404),  # not UTF-8
    ("/ja/seminars/%2e%2e/%2e%2e/admin/", 404),
    (f"/xx/seminars/{LATEST_EDITION}/", 404),
    ("/ja/" + "a" * 5000 + "/", 404),
    (LATEST + "%F0%9F%98%80" * 500 + "/", 404),
]


@pytest.mark.parametrize(("url", "status"), PUBLIC_URLS)
def test_bad_public_url_answers_4xx(client, unchanged, url, status):
    response = client.get(url)
    assert response.status_code == status


ADMIN_URLS = [
    ("/admin/seminars/seminar/?q=%00", 400, None),
    ("/admin/seminars/seminar/%00/change/", 400, None),
    ("/admin/seminars/seminar/?p=%00", 400, None),
    ("/admin/seminars/seminar/?o=%00", 400, None),
    ("/admin/participants/delegation/?q=%00", 400, None),
    ("/admin/autocomplete/?term=%00", 400, None),
    (
        "/admin/autocomplete/?app_label=seminars&model_name=seminar&field_name=nope&term=x",
        403,
        None,
    ),
    ("/admin/autocomplete/?app_label=nope&model_name=x&field_name=y", 403, None),
    ("/admin/nope/", 404, None),
    ("/admin/seminars/nope/", 404, None),
    # The admin's own answer to an impossible filter: back to the list with ?e=1 (an error note).
    ("/admin/seminars/seminar/?city__id__exact=abc", 302, "/admin/seminars/seminar/?e=1"),
    ("/admin/seminars/seminar/?edition=abc", 302, "/admin/seminars/seminar/?e=1"),
    # ...and to a missing or malformed object id: to the index with a "does not exist" message.
    ("/admin/seminars/seminar/abc/change/", 302, "/admin/"),
    ("/admin/seminars/seminar/99999999999999999999/change/", 302, "/admin/"),
]


@pytest.mark.parametrize(("url", "status", "location"), ADMIN_URLS)
def test_bad_admin_url_answers_4xx_or_admin_error(
    admin_client_ja, unchanged, url, status, location
):
    response = admin_client_ja.get(url)
    assert response.status_code == status
    assert response.get("Location") == location


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken", "django_language"])
@pytest.mark.parametrize("path", [LATEST, "/admin/"])
def test_nul_byte_in_cookie_answers_400(client, unchanged, cookie, path):
    client.cookies[cookie] = "abcdefghij\x00klmnop"
    response = client.get(path)
    assert response.status_code == 400


# --- admin form posts (the seminar page with its inlines) ------------------------------------

LONG_EMOJI = "😀" * 301
ADMIN_POSTS = [
    (
        "negative_count",
        {"delegations-0-participant_count": "-1"},
        "delegations-0.participant_count",
    ),
    (
        "fullwidth_minus",
        {"delegations-0-participant_count": "－５"},
        "delegations-0.participant_count",
    ),
    (
        "decimal_count",
        {"delegations-0-participant_count": "12.5"},
        "delegations-0.participant_count",
    ),
    (
        "exponent_count",
        {"delegations-0-participant_count": "1e3"},
        "delegations-0.participant_count",
    ),
    (
        "huge_count",
        {"delegations-0-participant_count": "99999999999999999999"},
        "delegations-0.participant_count",
    ),
    (
        "fullwidth_huge_count",
        {"delegations-0-participant_count": "９" * 20},
        "delegations-0.participant_count",
    ),
    ("empty_count", {"delegations-0-participant_count": ""}, "delegations-0.participant_count"),
    ("unknown_side", {"delegations-0-side": "mars"}, "delegations-0.side"),
    ("duplicate_side", {"delegations-1-side": "@delegations-0-side"}, "delegations-1.__all__"),
    ("reversed_dates", {"start_date": "2006-11-30", "end_date": "2006-11-01"}, "form.__all__"),
    ("end_without_start", {"start_date": "", "end_date": "2006-11-01"}, "form.__all__"),
    ("impossible_date", {"start_date": "2006-02-30"}, "form.start_date"),
    ("edition_zero", {"edition": "0"}, "form.edition"),
    ("edition_negative", {"edition": "-5"}, "form.edition"),
    ("edition_overflow", {"edition": "99999999999999999999"}, "form.edition"),
    ("edition_taken", {"edition": str(EARLIER_EDITION)}, "form.edition"),
    ("fiscal_year_range", {"fiscal_year": "1999"}, "form.fiscal_year"),
    ("fiscal_year_far_future", {"fiscal_year": "32000"}, "form.fiscal_year"),
    ("edition_beyond_the_years", {"edition": "102"}, "form.edition"),
    ("order_overflow", {"organizers-0-order": "40000"}, "organizers-0.order"),
    (
        "implausible_count",
        {"delegations-0-participant_count": "100001"},
        "delegations-0.participant_count",
    ),
    ("unknown_status", {"status": "hacked"}, "form.status"),
    ("unknown_city", {"city": "999999"}, "form.city"),
    ("city_not_a_number", {"city": "abc"}, "form.city"),
    ("city_huge_id", {"city": "99999999999999999999"}, "form.city"),
    ("organization_not_a_number", {"organizers-0-organization": "x"}, "organizers-0.organization"),
    ("overlong_theme", {"theme_ja": "あ" * 301}, "form.theme_ja"),
    ("overlong_emoji_theme", {"theme_zh_hans": LONG_EMOJI}, "form.theme_zh_hans"),
    ("overlong_rtl_title", {"title_zh_hans": "\u202e" * 201}, "form.title_zh_hans"),
    ("unknown_role", {"organizers-0-role": "boss"}, "organizers-0.role"),
    ("agenda_end_before_start", {"agenda_items-0-end_time": "00:01"}, "agenda_items-0.__all__"),
    ("agenda_outside_dates", {"agenda_items-0-date": "2030-01-01"}, "agenda_items-0.date"),
    (
        "bad_published_at",
        {"published_at_0": "2006-13-45", "published_at_1": "25:61"},
        "form.published_at",
    ),
    ("stale_lock", {"edition_version": "999"}, "form.__all__"),
    ("missing_lock", {"edition_version": ""}, "form.__all__"),
    ("forms_overflow", {"delegations-TOTAL_FORMS": "1000000"}, "delegations.__all__"),
    ("forms_not_a_number", {"delegations-TOTAL_FORMS": "abc"}, "delegations.__all__"),
]


_FORM_DATA = {}  # (edition id, version, user) -> the change form's data, for this module


def _admin_data(client):
    """The latest edition's change form as a browser would post it. Read once per version and
    user: every test here starts from the same module-wide record (its own changes roll back),
    and the GET renders the whole change form (0.3 s)."""
    from seminars.models import EditionVersion

    seminar = latest_edition()
    version = EditionVersion.objects.filter(seminar=seminar).values_list("number", flat=True)
    key = (seminar.pk, version.first(), client.session.get("_auth_user_id"))
    if key not in _FORM_DATA:
        _FORM_DATA[key] = seminar_form(client, seminar)[1]
    return dict(_FORM_DATA[key])


def _errors(response):
    """Errors of the main form and each inline form, keyed "form.field" / "prefix.field"."""
    found = {f"form.{k}" for k in response.context["adminform"].form.errors}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.non_form_errors():
            found.add(f"{formset.prefix}.__all__")
        for form in formset.forms:
            found |= {f"{form.prefix}.{k}" for k in form.errors}
    return found


@pytest.mark.parametrize(
    ("changes", "error"), [pytest.param(c, e, id=i) for i, c, e in ADMIN_POSTS]
)
def test_bad_admin_post_is_a_form_error(admin_client_ja, unchanged, changes, error):
    data = _admin_data(admin_client_ja)
    for key, value in changes.items():
        data[key] = data[value[1:]] if value.startswith("@") else value
    response = admin_client_ja.post(change_url(), data)
    assert response.status_code == 200
    assert error in _errors(response)


def test_admin_post_with_nul_byte_is_refused(admin_client_ja, unchanged):
    data = _admin_data(admin_client_ja)
    data["summary_ja"] = "before\x00after"
    response = admin_client_ja.post(change_url(), data)
    assert response.status_code == 400


# --- hostile images (a new photo row on the seminar page) -------------------------------------

HOSTILE_IMAGES = [
    ("gif_polyglot", "photo.gif", images.GIF_POLYGLOT),
    ("gif_as_jpg", "photo.jpg", images.image_bytes("GIF")),
    ("bmp", "photo.jpg", images.image_bytes("BMP")),
    ("tiff", "photo.png", images.image_bytes("TIFF")),
    ("svg_script", "photo.svg", images.SVG_WITH_SCRIPT),
    ("html_as_jpeg", "photo.jpg", images.HTML_AS_JPEG),
    ("pdf_as_png", "photo.png", images.PDF_BYTES),
    ("truncated_jpeg", "photo.jpg", images.image_bytes("JPEG", size=(400, 300))[:600]),
    ("empty", "photo.jpg", b""),
    ("bomb_100mpx", "bomb.png", images.png_header_only(10_000, 10_000)),
    ("bomb_49mpx", "bomb.png", images.png_header_only(7_000, 7_000)),
    ("bomb_wide", "bomb.png", images.png_header_only(1_000_000, 1)),
]


def _with_new_photo(client, upload):
    _url, data, n = with_new_photo(client, latest_edition(), upload, "悪意のある画像", "恶意图片")
    return data, n


@pytest.mark.parametrize(
    ("name", "content"), [pytest.param(n, c, id=i) for i, n, c in HOSTILE_IMAGES]
)
def test_hostile_image_is_refused(admin_client_ja, unchanged, name, content):
    data, n = _with_new_photo(admin_client_ja, SimpleUploadedFile(name, content))
    response = admin_client_ja.post(change_url(), data)
    assert response.status_code == 200
    assert f"photos-{n}.image" in _errors(response)


def test_oversized_image_is_refused(admin_client_ja, unchanged):
    content = images.image_bytes("PNG", size=(64, 64)) + b"\x00" * (8 * 1024 * 1024)
    data, n = _with_new_photo(admin_client_ja, SimpleUploadedFile("big.png", content))
    response = admin_client_ja.post(change_url(), data)
    assert response.status_code == 200
    assert f"photos-{n}.image" in _errors(response)


# --- CSRF-less posts and open redirects --------------------------------------------------------

CSRF_POSTS = [
    ("/admin/seminars/seminar/{pk}/change/", {"edition": "99"}),
    ("/admin/seminars/seminar/{pk}/delete/", {"post": "yes"}),
    ("/admin/participants/delegation/add/", {"participant_count": "1"}),
    ("/admin/logout/", {}),
    ("/admin/participants/delegation/import/", {"resource": "0", "format": "0"}),
    ("/admin/participants/delegation/export/", {"resource": "0", "format": "0"}),
    ("/admin/seminars/seminar/{pk}/publish/", {"post": "yes"}),
    ("/admin/password_change/", {"old_password": "x", "new_password1": "y", "new_password2": "y"}),
    ("/i18n/setlang/", {"language": "zh-hans", "next": "/zh-hans/"}),
]


@pytest.mark.parametrize(("url", "data"), CSRF_POSTS)
def test_post_without_csrf_token_is_forbidden(superuser, media_root, url, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(superuser)
    before = database_rows()  # after the login row exists
    response = client.post(url.format(pk=latest_edition().pk), data)
    assert response.status_code == 403
    assert database_rows() == before
    assert media_files(media_root) == {}


def test_login_post_without_csrf_token_is_forbidden(superuser, unchanged, settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("admin:login"), {"username": "admin", "password": "a-long-test-password-1"}
    )
    assert response.status_code == 403
    assert settings.SESSION_COOKIE_NAME not in response.cookies


OPEN_REDIRECTS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "https:evil.example",
    "\x00https://evil.example/",
    " https://evil.example/",
    "java\tscript:alert(1)",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_language_switch_never_redirects_off_site(client, unchanged, target):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))
        assert "evil" not in response["Location"] and "script" not in response["Location"]


@pytest.mark.parametrize("target", OPEN_REDIRECTS[:4])
def test_admin_login_never_redirects_off_site(client, superuser, target):
    response = client.post(
        f"{reverse('admin:login')}?next={target}",
        {"username": "admin", "password": "a-long-test-password-1", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# --- malformed and hostile import files (delegation counts) ------------------------------------

IMPORT_URL = "/admin/participants/delegation/import/"
CSV_HEADER = "edition,side,participant_count,description_ja,description_zh_hans\r\n"
HOSTILE_IMPORTS = [
    ("nul_in_csv", "0", (CSV_HEADER + f"{LATEST_EDITION},japan,5\x009,a,b\r\n").encode()),
    ("html_as_csv", "0", b"<html><script>alert(1)</script></html>"),
    ("binary_as_csv", "0", bytes(range(256)) * 8),
    ("empty_csv", "0", b""),
    ("header_only_garbage", "0", b"\xef\xbb\xbf;;;;\r\n1;2;3\r\n"),
    ("nan_count", "0", (CSV_HEADER + f"{LATEST_EDITION},japan,NaN,a,b\r\n").encode()),
    ("infinite_count", "0", (CSV_HEADER + f"{LATEST_EDITION},japan,1e309,a,b\r\n").encode()),
    ("negative_count", "0", (CSV_HEADER + f"{LATEST_EDITION},japan,-3,a,b\r\n").encode()),
    ("unknown_side", "0", (CSV_HEADER + f"{LATEST_EDITION},mars,3,a,b\r\n").encode()),
    (
        "overlong_description",
        "0",
        (CSV_HEADER + f"{LATEST_EDITION},japan,3,{'あ' * 400},b\r\n").encode(),
    ),
    ("edition_overflow", "0", (CSV_HEADER + "99999999999999999999,japan,3,a,b\r\n").encode()),
    ("garbage_as_xlsx", "1", b"PK\x03\x04" + b"\x00" * 200),
    ("csv_as_xlsx", "1", (CSV_HEADER + f"{LATEST_EDITION},japan,3,a,b\r\n").encode()),
]


@pytest.mark.parametrize(
    ("file_format", "content"), [pytest.param(f, c, id=i) for i, f, c in HOSTILE_IMPORTS]
)
def test_hostile_import_file_is_refused(admin_client_ja, unchanged, file_format, content):
    response = admin_client_ja.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": file_format,
            "encoding": "utf-8-sig",
            "import_file": SimpleUploadedFile("counts.csv", content),
        },
    )
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    form_errors = response.context["form"].errors
    result = response.context.get("result")
    assert form_errors or (result is not None and (result.has_errors() or result.invalid_rows))
