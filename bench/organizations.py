"""CPU milliseconds per request of the organization pages (seminars/public/organizations.py),
uncached, in-process (bench/cpu.py), on the benchmark database: the page of the organization
with the most published editions (the dataset's shared organizations: every generated edition),
the index, and the series page that carries the participants chart.

Run by bench/run.py with the servers' environment (DATABASE_URL = the benchmark database);
prints one JSON object {row name: ms}. On its own, against a database that holds the dataset:
    DATABASE_URL=... DJANGO_SECRET_KEY=... python bench/organizations.py [REQUESTS]
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def largest_organization():
    """(pk, published editions) of the organization that took part in the most of them."""
    from django.db.models import Count, Q

    from seminars.models import Organization, Seminar

    published = Q(organizer_roles__seminar__status=Seminar.Status.PUBLISHED)
    found = (
        Organization.objects.annotate(
            editions=Count("organizer_roles__seminar", filter=published, distinct=True)
        )
        .order_by("-editions", "pk")
        .values_list("pk", "editions")
        .first()
    )
    return found or (None, 0)


def rows():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    pk, editions = largest_organization()
    return {
        f"organization page (ja, {editions} editions)": f"/ja/organizations/{pk}/",
        "organization index (ja)": "/ja/organizations/",
        "series page with the participants chart (ja)": "/ja/",
    }


def main(requests):
    env = {**os.environ, "PAGECACHE_DISABLED": "1"}  # renders, not cache hits
    result = {}
    for name, path in rows().items():
        command = [sys.executable, str(ROOT / "bench" / "cpu.py"), "site", path, str(requests)]
        out = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        result[name] = float(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
