"""Faults under bounded load, on real servers: Redis stopped, at a closed port or full; a page
cache flooded with `page` spellings; PostgreSQL backends killed and the server restarted; a
restore. The site runs under gunicorn in production mode (tests/operations/servers.py).
"""

import subprocess
import sys
import threading
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client

from seminars.models import City, Seminar
from tests.admin_forms import admin_form_data
from tests.factories import make_edition, make_seminar

from . import servers

# The servers these tests start check passwords with the production hashers: users are stored
# with them too, not with the tests' fast one.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_password_hasher]
PASSWORD = "a-long-test-password-1"
# The editions `site_data` builds: two complete ones and an early one with only its theme.
FIRST, EARLIER, LATEST = 3, 6, 7
PUBLIC = ["/ja/", "/zh-hans/", f"/ja/seminars/{LATEST}/", f"/zh-hans/seminars/{EARLIER}/"]
PUBLIC += ["/ja/seminars/999/", "/sitemap.xml", f"/zh-hans/seminars/{FIRST}/"]
# "Yes, publish" for a draft never approved in review: with the reason it is published anyway.
UNREVIEWED = {"post": "yes", "reason": "no review"}


def served_database_url():
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.fixture
def site_data(postgresql, django_user_model):
    """A small record (factories) and a superuser, committed in the test database the site is
    served from: the latest edition and the earlier one complete, the first only a theme."""
    make_seminar(FIRST)
    make_edition(EARLIER)
    make_edition(LATEST)
    django_user_model.objects.create_superuser("ops", "ops@example.org", PASSWORD)
    connection.close()  # the tests' own idle connection must not block a restore


@pytest.fixture
def redis(redis_server_binary):
    server = servers.Redis(redis_server_binary)
    yield server
    server.close()


@pytest.fixture(scope="session")
def static_manifest():
    """Production pages need the static manifest (var/static), as after a deploy; once."""
    servers.collectstatic(servers.production_env("sqlite:////tmp/unused.sqlite3"))


@pytest.fixture
def site_factory(static_manifest):
    sites = []

    def start(env):
        site = servers.Site(env)
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.close()


def signed_in_site(site_factory, env):
    """The site served with `env`, and a browser signed in to it as the superuser."""
    site = site_factory(env)
    staff = servers.Browser(site.port)
    staff.login("ops", PASSWORD)
    return site, staff


def latest_city():
    return Seminar.objects.get(edition=LATEST).city


def city_change(city_pk, **changes):
    """The admin's own form data for a city, with changes (built in process, posted over HTTP)."""
    staff = Client()
    staff.force_login(staff_user())
    url = f"/admin/seminars/city/{city_pk}/change/"
    data = admin_form_data(staff.get(url))
    data.update(changes)
    return url, data


def staff_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="ops")


def post_until(staff, url, data, statuses, seconds):
    """An editor saving again and again (bounded): the statuses of the saves."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(statuses) < 100:
        statuses.append(staff.post(url, data)[0])
        time.sleep(0.1)


def failed(counts):
    return {status: n for status, n in counts.items() if status not in (200, 404)}


def test_redis_stopped_mid_load_fails_no_get_and_admin_saves_and_publishes(
    site_data, redis, site_factory
):
    env = servers.production_env(served_database_url(), redis.url)
    site, staff = signed_in_site(site_factory, env)
    workers, counts = servers.load(site.port, PUBLIC, seconds=6, min_requests=101)
    time.sleep(2)
    redis.stop()
    city = latest_city()
    url, data = city_change(city.pk, name_ja="Redis停止中の市", name_zh_hans="Redis停机时的市")
    saved = staff.post(url, data)
    draft = Seminar.objects.get(edition=EARLIER)
    Seminar.objects.filter(pk=draft.pk).update(status=Seminar.Status.DRAFT)
    published = staff.post(f"/admin/seminars/seminar/{draft.pk}/publish/", UNREVIEWED)
    servers.join(workers)

    assert sum(counts.values()) > 100
    assert failed(counts) == {}
    assert saved[0] == 302 and published[0] == 302
    assert City.objects.get(pk=city.pk).name_ja == "Redis停止中の市"
    assert Seminar.objects.get(pk=draft.pk).is_published
    assert LogEntry.objects.filter(object_id=str(draft.pk)).exists()  # the publish was logged
    page = servers.request(site.port, "GET", f"/zh-hans/seminars/{LATEST}/")
    assert page[0] == 200 and "Redis停机时的市" in page[2].decode()
    # Logged once per interval and worker, not once per request.
    assert 1 <= site.log.count("Redis cache") <= 8, site.log[-3000:]


def test_redis_at_a_closed_port_costs_nothing_but_the_cache(site_data, site_factory):
    closed = f"redis://127.0.0.1:{servers.free_port(6390, 6399)}/0"
    site, staff = signed_in_site(
        site_factory, servers.production_env(served_database_url(), closed)
    )
    workers, counts = servers.load(site.port, PUBLIC, seconds=3, min_requests=51)
    city = latest_city()
    url, data = city_change(city.pk, name_ja="閉じたポートの市")
    saved = staff.post(url, data)
    servers.join(workers)
    assert sum(counts.values()) > 50
    assert failed(counts) == {}
    assert counts[404] > 0  # the 404 page too
    assert saved[0] == 302
    assert City.objects.get(pk=city.pk).name_ja == "閉じたポートの市"
    assert 1 <= site.log.count("Redis cache") <= 8


def test_full_redis_serves_pages_and_saves(site_data, redis_server_binary, site_factory):
    full = servers.Redis(
        redis_server_binary, "--maxmemory", "1mb", "--maxmemory-policy", "noeviction"
    )
    try:
        subprocess.run(  # fill it up to the limit
            [
                "redis-cli",
                "-p",
                str(full.port),
                "eval",
                "for i=1,2000 do redis.call('set','filler:'..i,string.rep('x',1000)) end",
                "0",
            ],
            capture_output=True,
            timeout=30,
        )
        env = servers.production_env(served_database_url(), full.url)
        site, staff = signed_in_site(site_factory, env)
        workers, counts = servers.load(site.port, PUBLIC, seconds=3)
        url, data = city_change(latest_city().pk, name_ja="満杯の市")
        saved = staff.post(url, data)
        servers.join(workers)
    finally:
        full.close()
    assert failed(counts) == {}
    assert saved[0] == 302
    # The refused writes are logged, once per interval and worker.
    assert 1 <= site.log.count("OutOfMemoryError") <= 4, site.log[-2000:]


def test_thousand_page_spellings_store_at_most_the_real_pages(site_data, redis, site_factory):
    import redis as redis_client

    site = site_factory(servers.production_env(served_database_url(), redis.url))
    spellings = [f"page={'0' * (i % 5)}{1 + i % 2}" for i in range(250)]
    spellings += [f"page=%EF%BC%91&x={i}" for i in range(250)]
    spellings += [f"page={i}" for i in range(250)] + [f"page=a{i}" for i in range(250)]
    statuses = set()
    for i, query in enumerate(spellings):
        path = ["/ja/", "/zh-hans/", f"/ja/seminars/{LATEST}/", "/sitemap.xml"][i % 4]
        statuses.add(servers.request(site.port, "GET", f"{path}?{query}")[0])
    keys = redis_client.Redis(port=redis.port).keys("*cache_page*")
    # Real pages asked for: two series pages, one edition page, the sitemap.
    assert statuses <= {200, 301, 404}
    assert len(keys) <= 4, keys


def test_postgresql_killed_and_restarted_under_load_fails_no_get(
    site_data, postgresql_bin, site_factory
):
    cluster = servers.PostgreSQL(postgresql_bin)
    try:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "seminars"],
            check=True,
            timeout=30,
        )
        dump = subprocess.run(
            ["pg_dump", "--no-owner", served_database_url()],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        subprocess.run(
            ["psql", "-q", cluster.url("seminars")],
            input=dump,
            check=True,
            capture_output=True,
            timeout=60,
        )
        env = servers.production_env(cluster.url("seminars"), PAGECACHE_DISABLED="1")
        site, staff = signed_in_site(site_factory, env)
        url, data = city_change(latest_city().pk)
        workers, counts = servers.load(site.port, PUBLIC, seconds=7, threads=4, min_requests=101)
        posts = []
        poster = threading.Thread(target=post_until, args=(staff, url, data, posts, 6))
        poster.start()
        time.sleep(1.5)
        subprocess.run(
            [
                "psql",
                "-q",
                cluster.url("postgres"),
                "-c",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = 'seminars' AND pid <> pg_backend_pid()",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        time.sleep(1.5)
        started = time.monotonic()
        cluster.restart()
        restart_seconds = time.monotonic() - started
        servers.join([*workers, poster])
        posts.append(staff.post(url, data)[0])
    finally:
        cluster.close()
    assert sum(counts.values()) > 100
    assert failed(counts) == {}, counts
    assert set(posts) <= {302, 503}, posts  # never a 500
    assert posts[-1] == 302  # after the restart a save works again
    assert restart_seconds < 5
    print(f"restart {restart_seconds:.2f} s, GETs {dict(counts)}, admin POSTs {posts}")


def make(target, backup, env):
    """`make backup` or `make restore` of the file `backup`, as an operator runs it."""
    subprocess.run(
        ["make", "-s", target, f"BACKUP={backup}"],
        cwd=servers.ROOT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_restore_then_anonymous_get_shows_the_restored_state(
    site_data, redis, site_factory, tmp_path
):
    site = site_factory(servers.production_env(served_database_url(), redis.url))
    draft = Seminar.objects.get(edition=LATEST)
    Seminar.objects.filter(pk=draft.pk).update(status=Seminar.Status.DRAFT)
    env = servers.production_env(served_database_url(), redis.url)
    backup = tmp_path / "before.dump"
    make("backup", backup, env)
    staff = servers.Browser(site.port)
    staff.login("ops", PASSWORD)
    assert staff.post(f"/admin/seminars/seminar/{draft.pk}/publish/", UNREVIEWED)[0] == 302
    page = f"/ja/seminars/{LATEST}/"
    assert servers.request(site.port, "GET", page)[0] == 200  # stored in Redis
    assert servers.request(site.port, "GET", page)[0] == 200
    connection.close()

    make("restore", backup, env)

    assert servers.request(site.port, "GET", page)[0] == 404  # a draft again
    series = servers.request(site.port, "GET", "/ja/")[2].decode()
    assert f'href="{page}"' not in series
    assert f'href="/ja/seminars/{EARLIER}/"' in series


def test_build_id_is_part_of_every_page_key():
    script = "from django.core.cache import caches; print(caches['pages'].key_prefix)"
    env = servers.production_env("sqlite:////tmp/unused.sqlite3", DJANGO_BUILD_ID="build-42")
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=servers.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "build-42" in out
