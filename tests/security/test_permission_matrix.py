"""Every admin URL (found by walking the URL resolver) × four kinds of visitor, against a table.

A URL name missing from EXPECTED fails the test with the line to add: whoever adds an admin
URL decides, here, who may open it. GET only (POSTs are covered by the views' own tests).
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from seminars.models import InfoPage, Seminar, TrashedEdition

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "staff", "editor", "superuser")
LOGIN = 302  # anonymous visitors are sent to the admin login page

# name (without "admin:") → expected status for (anonymous, staff without permissions,
# member of "Editors", superuser). Model URLs are named <app>_<model>_<view>; CONTENT models are
# editable by Editors, the others (users, groups, login throttling records) by superusers only.
CONTENT = {
    "seminars_seminar",
    "seminars_city",
    "seminars_organization",
    "seminars_agendaitem",
    "seminars_sitesettings",
    "seminars_infopage",
    "participants_delegation",
    "participants_participant",
}
ADMIN_ONLY = {
    "auth_group",
    "auth_user",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")
# The answers that recur, as (anonymous, staff, editor, superuser).
EDITORS = (LOGIN, 403, 200, 200)
SUPERUSERS = (LOGIN, 403, 403, 200)
NOBODY = (LOGIN, 403, 403, 403)
ANY_STAFF = (LOGIN, 200, 200, 200)
POST_ONLY = (LOGIN, 405, 405, 405)
EXPECTED = {
    **{f"{m}_{v}": EDITORS for m in CONTENT for v in MODEL_VIEWS},
    **{f"{m}_{v}": SUPERUSERS for m in ADMIN_ONLY for v in MODEL_VIEWS},
    # axes records are written by the login throttle, never added by hand.
    # The edition used is published: deleting it is refused with a message, back to its page.
    "seminars_seminar_delete": (LOGIN, 403, 302, 302),
    **{f"{m}_add": NOBODY for m in ADMIN_ONLY if m.startswith("axes_")},
    "auth_user_password_change": SUPERUSERS,
    "index": ANY_STAFF,
    "login": (200, 302, 302, 302),  # signed-in staff go straight to the index
    "logout": POST_ONLY,
    "password_change": ANY_STAFF,
    "password_change_done": ANY_STAFF,
    "jsi18n": ANY_STAFF,
    "autocomplete": NOBODY,  # without its parameters
    "view_on_site": (302, 302, 302, 302),  # a redirect to the public page (404 there if draft)
    "app_list": (LOGIN, 404, 200, 200),  # an app the visitor may not see does not exist
    # Older versions (django-simple-history) need the seminar's view or change permission.
    "seminars_seminar_simple_history": EDITORS,
    "seminars_infopage_simple_history": EDITORS,
    # Import and export need their own permissions (Data stewards have them, Editors do not).
    "participants_delegation_import": SUPERUSERS,
    "participants_delegation_export": SUPERUSERS,
    "participants_delegation_process_import": POST_ONLY,
    "participants_delegation_report": EDITORS,  # view permission
    # Editorial workflow: preview with view permission; publishing needs seminars.publish_seminar.
    "seminars_seminar_preview": EDITORS,
    "seminars_seminar_publish": SUPERUSERS,  # GET: the confirmation page
    "seminars_seminar_unpublish": SUPERUSERS,  # GET: the confirmation page
    "seminars_seminar_presence": POST_ONLY,  # the edition page's heartbeat
    "seminars_seminar_review": EDITORS,  # its steps by role: tests/seminars/test_review.py
    # The translator's workbench and its files (view to read; saving: its own tests).
    "seminars_seminar_translate": EDITORS,
    "seminars_seminar_translate_xliff": EDITORS,
    "seminars_seminar_translate_xlsx": EDITORS,
    "seminars_seminar_translate_import": POST_ONLY,  # the upload, answered with its preview
    # The trash: listed for viewers; restore is POST only; purge (its question) for publishers.
    "seminars_seminar_trash": EDITORS,
    "seminars_seminar_trash_restore": POST_ONLY,
    "seminars_seminar_trash_purge": SUPERUSERS,
    # The site settings: one record (the list is the record; no second one, never deleted).
    "seminars_sitesettings_changelist": (LOGIN, 403, 302, 302),
    "seminars_sitesettings_add": NOBODY,
    "seminars_sitesettings_delete": NOBODY,
    # The three information pages: edited, never added or deleted (the footer links each).
    "seminars_infopage_add": NOBODY,
    "seminars_infopage_delete": NOBODY,
}

SPECIAL_ARGS = {
    "app_list": {"app_label": "seminars"},
}


def admin_url_patterns(patterns=None, prefix="admin"):
    """(name, pattern) of every named admin URL, found recursively."""
    if patterns is None:
        resolver = next(
            p
            for p in get_resolver().url_patterns
            if isinstance(p, URLResolver) and p.namespace == "admin"
        )
        patterns = resolver.url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_url_patterns(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, pattern


def model_for(name):
    for model in admin.site._registry:
        base = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(base):
            return model
    return None


def url_for(name, pattern, objects):
    model = model_for(name)
    obj = objects.get(model)
    if name in SPECIAL_ARGS:
        return reverse(f"admin:{name}", kwargs=SPECIAL_ARGS[name])
    if name == "view_on_site":
        ct = objects["seminar_ct"]
        return reverse("admin:view_on_site", args=[ct.pk, objects[Seminar].pk])
    if name.endswith("_simple_history"):
        version = obj.history.earliest().history_id
        return reverse(f"admin:{name}", args=[obj.pk, version])
    kwargs = {}
    for key in getattr(pattern.pattern, "converters", {}):
        if key in ("object_id", "id", "pk"):
            kwargs[key] = obj.pk
        elif key in ("lang", "language"):
            kwargs[key] = "ja"
        elif key == "trashed_id":
            kwargs[key] = objects["trashed"].pk
        else:
            raise AssertionError(f"admin:{name}: add its arguments to SPECIAL_ARGS")
    return reverse(f"admin:{name}", kwargs=kwargs)


@pytest.fixture
def objects(edition, superuser):
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import make_seminar

    seminar = edition
    trashed = make_seminar(edition.edition - 1)
    seminar.theme_zh_hans = seminar.theme_zh_hans + " "
    seminar.save()  # one history record to view
    AccessAttempt.objects.create(username="x", ip_address="192.0.2.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="x", ip_address="192.0.2.1")
    found = {model: model._default_manager.order_by("pk").first() for model in admin.site._registry}
    info_page = found[InfoPage]
    info_page.title_ja += " "
    info_page.save()  # one history record to view (the migrations' pages have none)
    found[Seminar] = seminar
    found["seminar_ct"] = ContentType.objects.get_for_model(Seminar)
    draft = Seminar.objects.get(pk=trashed.pk)
    draft.status = Seminar.Status.DRAFT
    draft.save()
    draft.delete()  # into the trash
    found["trashed"] = TrashedEdition.objects.get(edition=trashed.edition)
    missing = [m.__name__ for m, o in found.items() if o is None]
    assert not missing, f"no object to open for {missing}"
    return found


@pytest.fixture
def clients(client, superuser, django_user_model, django_db_blocker):
    from django.test import Client

    staff = django_user_model.objects.create_user("staff", password="x" * 20, is_staff=True)
    editor = django_user_model.objects.create_user("editor", password="x" * 20, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    result = {"anonymous": client}
    for role, user in (("staff", staff), ("editor", editor), ("superuser", superuser)):
        result[role] = Client()
        result[role].force_login(user)
    return result


def test_every_admin_url_has_an_expectation():
    names = {name for name, _pattern in admin_url_patterns()}
    missing = sorted(names - set(EXPECTED))
    assert not missing, (
        "Admin URLs without an expected answer; add to EXPECTED in "
        "tests/security/test_permission_matrix.py, as (anonymous, staff, editor, superuser):\n"
        + "\n".join(f'    "{name}": (LOGIN, 403, 200, 200),' for name in missing)
    )


def test_admin_permission_matrix(clients, objects):
    wrong = []
    for name, pattern in admin_url_patterns():
        if name not in EXPECTED:
            continue  # reported by test_every_admin_url_has_an_expectation
        url = url_for(name, pattern, objects)
        for role, expected in zip(ROLES, EXPECTED[name], strict=True):
            response = clients[role].get(url)
            if response.status_code != expected:
                wrong.append(f"{name} {url} as {role}: {response.status_code}, expected {expected}")
            if role == "anonymous" and expected == LOGIN and name not in ("view_on_site", "logout"):
                assert re.match(r"^/admin/login/\?next=", response["Location"]), url
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lang", ["ja", "zh-hans"])
def test_unpublished_edition_is_404_to_the_public(client, edition, lang):
    from tests.factories import make_seminar

    published = make_seminar(edition.edition + 1)
    Seminar.objects.filter(pk=edition.pk).update(status=Seminar.Status.DRAFT)
    response = client.get(f"/{lang}/seminars/{edition.edition}/")
    assert response.status_code == 404
    series = client.get(f"/{lang}/").content.decode()
    assert f"/seminars/{published.edition}/" in series
    assert f"/seminars/{edition.edition}/" not in series


# --- Public URLs outside the admin: every named one has an expected answer for anonymous readers
# of a published edition (drafts are 404s: test_unpublished_edition_is_404_to_the_public).
PUBLIC_EXPECTED = {
    "root": ("/", 302),
    "robots_txt": ("/robots.txt", 200),
    "sitemap": ("/sitemap.xml", 200),
    "set_language": ("/i18n/setlang/", 302),
    "favicon": ("/favicon.ico", 301),
    "language_alias": ("/zh-cn/", 301),
    "seminars:series": ("/ja/", 200),
    "seminars:detail": ("/ja/seminars/{edition}/", 200),
    # Take-away formats (seminars/takeaway/); the PDFs answer 503 where WeasyPrint is missing.
    "seminars:programme": ("/ja/seminars/{edition}/programme/", 200),
    "seminars:programme_pdf": ("/ja/seminars/{edition}/programme.pdf", (200, 503)),
    "seminars:report_pdf": ("/zh-hans/seminars/{edition}/report.pdf", (200, 503)),
    "seminars:calendar": ("/ja/seminars/{edition}/calendar.ics", 200),
    "seminars:feed": ("/zh-hans/feed.atom", 200),
    "seminars:open_data": ("/ja/data/", 200),
    "seminars:site_policy": ("/ja/site-policy/", 200),
    "seminars:privacy": ("/zh-hans/privacy/", 200),
    "seminars:accessibility": ("/ja/accessibility/", 200),
    "seminars:organizations": ("/zh-hans/organizations/", 200),
    "seminars:organization": ("/ja/organizations/{organization}/", 200),
    "seminars:search": ("/zh-hans/search/?q=綿陽", 200),
    "editions_csv": ("/data/editions.csv", 200),
    "editions_json": ("/data/editions.json", 200),
}


def public_url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from public_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_public_url_has_an_expectation():
    missing = sorted(set(public_url_names()) - set(PUBLIC_EXPECTED))
    assert not missing, (
        "Public URLs without an expected answer; add to PUBLIC_EXPECTED in "
        "tests/security/test_permission_matrix.py:\n" + "\n".join(missing)
    )


def test_public_urls_answer_anonymous_readers_as_expected(client, edition):
    wrong = []
    for name, (url, expected) in PUBLIC_EXPECTED.items():
        organization = edition.organizers.first().organization_id
        url = url.format(edition=edition.edition, organization=organization)
        status = client.get(url).status_code
        if status not in (expected if isinstance(expected, tuple) else (expected,)):
            wrong.append(f"{name} {url}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)
