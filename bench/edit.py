"""One content edit, as staff make it: a seminar saved through the ORM (the admin's path).

    python bench/edit.py EDITION MARKER PATH

Run by bench/run.py with the servers' environment, so the page cache it clears and re-warms is
the servers' own. Saving triggers seminars.public.invalidation: after the commit the edition's
pages are
rendered again before save() returns (the other stored pages the edit touched in a background
thread, which this process finishes before it exits). Prints whether PATH is in the page cache
once save() returned, looked up with Django's own key function for every origin the servers
stored pages under.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def stored(path):
    """Whether the page cache holds `path` for every origin it knows (and there is one)."""
    from urllib.parse import urlsplit

    from django.core.cache import caches
    from django.test import RequestFactory
    from django.utils.cache import get_cache_key
    from django.utils.translation import get_language_from_path

    from seminars.public.pagecache import ORIGINS_KEY

    cache = caches["pages"]
    origins = cache.get(ORIGINS_KEY) or {}
    found = []
    for origin in origins:
        request = RequestFactory().get(path, HTTP_HOST=urlsplit(origin).netloc)
        request.LANGUAGE_CODE = get_language_from_path(path)
        key = get_cache_key(request, "", "GET", cache=cache)
        found.append(key is not None and cache.get(key) is not None)
    return bool(found) and all(found)


def main(edition, marker, path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from seminars.models import Seminar

    seminar = Seminar.objects.get(edition=edition)
    seminar.theme_ja = f"{marker} テーマ"
    seminar.theme_zh_hans = f"{marker} 主题"
    seminar.save()
    print("stored" if stored(path) else "missing", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
