"""Build the benchmark database and count each page's SQL queries, in-process.

Run by bench/run.py in a subprocess whose DATABASE_URL is the benchmark database and whose
DJANGO_SECRET_KEY is the servers' key (the staff session it creates must stay valid there).
Prints one JSON object: the staff session key and the queries per request of each page.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build():
    from django.core.management import call_command

    from bench.dataset import add_editions

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    call_command("loaddata", "seminars", "participants", verbosity=0)
    return add_editions()


def staff_session():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", None)
    client = Client()
    client.force_login(user)
    return client, client.cookies["sessionid"].value


def count_queries(client, path):
    """Queries of a first (uncached) and of a second (cached) request, on a running site: the
    site settings are cached (every commit stores them again)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seminars.models import SiteSettings

    caches["pages"].clear()
    SiteSettings.objects.current()
    counts = []
    for _attempt in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(captured))
    return counts


def main(pages, report_path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from seminars.models import Seminar

    setup_test_environment()
    seminars = build()
    staff, session_key = staff_session()
    queries = {path: count_queries(Client(), path) for path in pages}
    queries[report_path] = count_queries(staff, report_path)
    result = {
        "session_key": session_key,
        "queries": queries,
        "editions": Seminar.objects.published().count(),
        "generated": len(seminars),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[2:], sys.argv[1])
