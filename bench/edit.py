"""One content edit, as staff make it: a seminar saved through the ORM (the admin's path).

    python bench/edit.py EDITION MARKER

Run by bench/run.py with the servers' environment, so the page cache it clears and re-warms is
the servers' own. Saving triggers seminars.signals: after the commit the edition's pages are
rendered again before save() returns (the rest of the site in a background thread, which this
process finishes before it exits).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(edition, marker):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from seminars.models import Seminar

    seminar = Seminar.objects.get(edition=edition)
    seminar.theme_ja = f"{marker} テーマ"
    seminar.theme_zh_hans = f"{marker} 主题"
    seminar.save()
    print("saved", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
