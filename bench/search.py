"""The search on the 101-edition dataset: time and SQL queries per query, the index's size and
the cost of writing it.

    .venv/bin/python bench/search.py             # its own dataset, var/bench/search.sqlite3
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py   # there (flushed first!)
    .venv/bin/python bench/search.py --no-build  # the database as it is (bench/run.py's)

Prints a markdown table, then one JSON object on the last line. Times are in-process (no HTTP):
`search()` alone, and the whole page through Django's test client (middleware, template) with
the site settings cached as on a running site; the median and the 95th percentile of REPEAT runs.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 30
LONG = "交流" * 50  # the longest query accepted (MAX_QUERY_LENGTH characters), found nowhere
QUERIES = [
    ("綿陽", "the seed's 2018 city (ja)"),
    ("绵阳", "the same in simplified glyphs"),
    ("企業誘致", "a theme word (ja)"),
    ("招商引资", "a theme word (zh)"),
    ("三木正夫", "a speaker"),
    ("須坂", "2 characters, a position"),
    ("市", "1 character: every edition"),
    ("議題", "2 characters: 30 texts of each generated edition"),
    ("地区间交流", "every generated edition's theme"),
    ("綿陽 市長", "two words"),
    ("存在しない語", "no match"),
    (LONG, "100 characters, no match"),
]


def timed(call, repeat=REPEAT):
    """(median ms, 95th percentile ms, median CPU ms of this process) of `call`. The CPU time
    moves less with other work on the host; on PostgreSQL it leaves out the server's."""
    call()  # warm: OpenCC's dictionaries, templates, the connection
    times, cpu = [], []
    for _attempt in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return round(statistics.median(times), 2), round(p95, 2), round(statistics.median(cpu), 2)


def queries_of(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def build():
    from django.core.management import call_command

    from bench.dataset import add_editions

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    call_command("loaddata", "seminars", "participants", verbosity=0)
    add_editions()  # bulk inserts; note_changes → the after-commit refresh of the index


def measure_query(client, text):
    from seminars.models import SiteSettings
    from seminars.search.query import search

    def page():
        SiteSettings.objects.current()
        response = client.get("/ja/search/", {"q": text})
        assert response.status_code == 200

    result = search(text)
    search_ms = timed(lambda: search(text))
    page_ms = timed(page)
    SiteSettings.objects.current()
    return {
        "editions": result.count,
        "search_p50_ms": search_ms[0],
        "search_p95_ms": search_ms[1],
        "search_cpu_ms": search_ms[2],
        "search_queries": queries_of(lambda: search(text)),
        "page_p50_ms": page_ms[0],
        "page_p95_ms": page_ms[1],
        "page_cpu_ms": page_ms[2],
        "page_queries": queries_of(lambda: client.get("/ja/search/", {"q": text})),
    }


def measure_index():
    from django.db.models import Q

    from seminars.models import SearchEntry, Seminar
    from seminars.search import index

    began = time.perf_counter()
    index.rebuild()
    rebuild_s = time.perf_counter() - began
    newest = Seminar.objects.published().order_by("-edition").values_list("edition", flat=True)[0]
    one_ms = timed(lambda: index.write(Q(edition=newest)), repeat=5)
    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "rows": SearchEntry.objects.count(),
        "published_editions": Seminar.objects.published().count(),
        "rebuild_s": round(rebuild_s, 2),
        "one_edition_p50_ms": one_ms[0],
    }


def markdown(result):
    idx = result["index"]
    lines = [
        "",
        f"Search ({result['database']}, {idx['published_editions']} published editions, "
        f"{idx['rows']} index rows; full rebuild {idx['rebuild_s']} s, one edition's rows "
        f"written again {idx['one_edition_p50_ms']} ms; in-process, median / p95 of {REPEAT}, "
        f"and the median CPU time of this process; 1-min load average {idx['load_average'][0]}):",
        "",
        "| query | what | editions | search() ms | CPU | SQL | page ms | CPU | SQL (page) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["queries"]:
        text = row["query"] if len(row["query"]) <= 12 else row["query"][:6] + "…"
        lines.append(
            f"| {text} | {row['what']} | {row['editions']} | {row['search_p50_ms']} / "
            f"{row['search_p95_ms']} | {row['search_cpu_ms']} | {row['search_queries']} "
            f"| {row['page_p50_ms']} / {row['page_p95_ms']} | {row['page_cpu_ms']} "
            f"| {row['page_queries']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # Its own page cache (and that of the PDF renderer a load starts): never the tests' folder.
    os.environ.setdefault("DJANGO_PAGE_CACHE_DIR", str(ROOT / "var" / "bench" / "search-pages"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    if not args.no_build:
        build()
    client = Client(HTTP_HOST="127.0.0.1")
    result = {"database": connection.vendor, "index": measure_index(), "queries": []}
    for text, what in QUERIES:
        result["queries"].append({"query": text, "what": what, **measure_query(client, text)})
    print(markdown(result))
    print(json.dumps(result, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
