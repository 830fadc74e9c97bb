"""What one admin save costs the server: CPU, re-warm included, at 17 and at 101 editions.

    python bench/save.py [--saves 5]

Run by bench/run.py with the servers' production environment (DJANGO_DEBUG=0, its own page cache
directory) and its own SQLite database (var/bench/save.sqlite3). In one process, as a gunicorn
worker would: the seed (17 editions) is loaded, every public page is requested once as an
anonymous reader (the whole site cached), then a staff member saves edition 17 through its admin
change form (a new theme in both languages, which the series pages list; then a new summary,
which they do not). For each save it records the CPU time of this process
(every thread: the request, the pages re-rendered before it returns and the background re-warm,
waited for), the page-cache entries dropped or rewritten of those stored, and whether the first
request for the edited page (both languages) is a hit that shows the change. Then the editions the
schema still allows are added (bench/dataset.py: 101 in all) and the same is measured again.
Before each series of saves the heap is frozen as config/gunicorn.py freezes a worker's after
start-up (`freeze_heap`). Prints one JSON object.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EDITION = 17  # the seed's 2018 edition, with its full report


def public_paths():
    """Every page an anonymous reader can ask for (PDFs aside), in both languages."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from seminars.models import Seminar
    from seminars.public.views import EDITIONS_PER_PAGE

    editions = list(Seminar.objects.published().order_by("edition"))
    with_agenda = set(
        Seminar.objects.published()
        .filter(agenda_items__isnull=False)
        .values_list("edition", flat=True)
    )
    dated = set(
        Seminar.objects.published()
        .filter(start_date__isnull=False)
        .values_list("edition", flat=True)
    )
    pages = range(1, (len(editions) - 1) // EDITIONS_PER_PAGE + 2)
    paths = ["/sitemap.xml"]
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            series = reverse("seminars:series")
            paths += [series if n == 1 else f"{series}?page={n}" for n in pages]
            paths += [reverse("seminars:feed"), reverse("seminars:open_data")]
            for seminar in editions:
                paths.append(reverse("seminars:detail", args=[seminar.edition]))
                if seminar.edition in with_agenda | dated:  # a calendar holds an event
                    paths.append(reverse("seminars:calendar", args=[seminar.edition]))
                if seminar.edition in with_agenda:
                    paths.append(reverse("seminars:programme", args=[seminar.edition]))
    return paths


def entries():
    """{file name: modification time} of the page cache's files."""
    from django.core.cache import caches

    folder = Path(caches["pages"]._dir)
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.djcache")}


def warm_site(client):
    for path in public_paths():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)


def first_requests(theme_ja, theme_zh):
    """Whether the first anonymous request for the edited page, in each language, is a hit
    (no query) that shows the new theme."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = []
    for path, theme in (
        (f"/ja/seminars/{EDITION}/", theme_ja),
        (f"/zh-hans/seminars/{EDITION}/", theme_zh),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = Client(HTTP_HOST="127.0.0.1").get(path)
        results.append(len(captured) == 0 and theme in response.content.decode())
    return all(results)


def form_data(staff, url):
    """The change form's data, read from its context: the test environment's instrumented
    template rendering only for this GET, so that the measured save renders as a worker does."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.admin_forms import admin_form_data

    setup_test_environment()
    try:
        return admin_form_data(staff.get(url))
    finally:
        teardown_test_environment()


def one_save(staff, anonymous, n, field="theme"):
    from seminars.models import Seminar
    from seminars.public import pagewarm

    pk = Seminar.objects.get(edition=EDITION).pk
    url = f"/admin/seminars/seminar/{pk}/change/"
    data = form_data(staff, url)
    theme_ja, theme_zh = f"ベンチ保存{n}の{field}", f"基准保存{n}的{field}"
    data.update({f"{field}_ja": theme_ja, f"{field}_zh_hans": theme_zh})
    warm_site(anonymous)  # every page cached before the save
    before = entries()
    started, wall = time.process_time(), time.perf_counter()
    response = staff.post(url, data)
    pagewarm.wait_for_background(timeout=600)
    cpu_ms = (time.process_time() - started) * 1000
    wall_ms = (time.perf_counter() - wall) * 1000
    assert response.status_code == 302, response.content[:3000]
    after = entries()
    dropped = [name for name in before if name not in after]
    rewritten = [name for name in before if name in after and after[name] != before[name]]
    return {
        "cpu_ms": round(cpu_ms, 1),
        "wall_ms": round(wall_ms, 1),
        "entries": len(before),
        "dropped": len(dropped),
        "rewritten": len(rewritten),
        "hit_after": first_requests(theme_ja, theme_zh),
    }


def measure(staff, anonymous, saves):
    from seminars.models import Seminar

    one_save(staff, anonymous, 0)  # the first save of the day may move the footer's date
    runs = [one_save(staff, anonymous, n) for n in range(1, saves + 1)]
    # A field the series pages do not list: only the edition's own pages and the feeds.
    unlisted = [one_save(staff, anonymous, n, "summary") for n in range(1, saves + 1)]
    return {
        "unlisted_cpu_ms_median": statistics.median(r["cpu_ms"] for r in unlisted),
        "unlisted_dropped_or_rewritten": max(r["dropped"] + r["rewritten"] for r in unlisted),
        "editions": Seminar.objects.published().count(),
        "cpu_ms_median": statistics.median(r["cpu_ms"] for r in runs),
        "cpu_ms_max": max(r["cpu_ms"] for r in runs),
        "wall_ms_median": statistics.median(r["wall_ms"] for r in runs),
        "entries": runs[-1]["entries"],
        "dropped_or_rewritten": max(r["dropped"] + r["rewritten"] for r in runs),
        "hit_after": all(r["hit_after"] for r in runs + unlisted),
        "saves": runs,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.core.management import call_command
    from django.test import Client

    from bench.dataset import add_editions
    from config.gunicorn import freeze_heap

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    call_command("loaddata", "seminars", "participants", verbosity=0)
    caches["pages"].clear()
    user = get_user_model().objects.create_superuser("bench-save", "bench@example.org", None)
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(user)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    # As a gunicorn worker does once it has loaded the application (config/gunicorn.py): what
    # this process built to get here (the fixtures, the editions added) is not walked by the
    # collections the saves trigger, as a worker's start-up is not.
    freeze_heap()
    small = measure(staff, anonymous, args.saves)
    add_editions()
    freeze_heap()
    large = measure(staff, anonymous, args.saves)
    print(json.dumps({"small": small, "large": large}))


if __name__ == "__main__":
    main()
