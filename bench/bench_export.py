"""Benchmark: the participant report (`export_participants`) over 100,000 delegations.

Builds a throw-away SQLite database, runs the command in a subprocess and prints wall time,
rows written and the subprocess's peak RSS (target: under 100 MiB, flat as data grows).

    .venv/bin/python bench/bench_export.py [--delegations 100000] [--format csv|xlsx|both]

The real schema allows one seminar per fiscal year (2000–2100), so 100,000 delegations cannot
exist under it; the throw-away database drops that one unique index to hold 50,000 seminars
with two delegations each. Nothing else is changed, and the project database is not touched.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MIB = 100


def allow_repeated_fiscal_years(connection):
    """Rebuild the (still empty) seminar table without its one-seminar-per-year constraint."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'seminars_seminar'")
        (create,) = cursor.fetchone()
        relaxed = create.replace(
            ', CONSTRAINT "seminars_seminar_unique_fiscal_year" UNIQUE ("fiscal_year")', ""
        )
        assert relaxed != create, "the constraint to relax was not found"
        connection.disable_constraint_checking()
        cursor.execute('DROP TABLE "seminars_seminar"')
        cursor.execute(relaxed)
        connection.enable_constraint_checking()


def build_database(database_url, delegations):
    """Migrate a fresh database and fill it with `delegations` rows (two per seminar)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from participants.models import Delegation
    from seminars.models import City, Seminar

    call_command("migrate", verbosity=0)
    allow_repeated_fiscal_years(connection)
    city = City.objects.create(name_ja="綿陽市", name_zh_hans="绵阳市")
    seminars = [
        Seminar(
            edition=edition,
            fiscal_year=2000 + edition % 100,
            city=city,
            theme_ja=f"テーマ{edition}",
            theme_zh_hans=f"主题{edition}",
        )
        for edition in range(1, delegations // 2 + 1)
    ]
    Seminar.objects.bulk_create(seminars, batch_size=2000)
    ids = Seminar.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
    batch = []
    for seminar_id in ids:
        for side, count in (("japan", 59), ("china", 88)):
            batch.append(Delegation(seminar_id=seminar_id, side=side, participant_count=count))
        if len(batch) >= 5000:
            Delegation.objects.bulk_create(batch)
            batch = []
    Delegation.objects.bulk_create(batch)
    return Seminar.objects.count(), Delegation.objects.count()


def run_export(database_url, file_format, output):
    """Run the command in its own process; return wall seconds and its peak RSS in MiB."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    command = [sys.executable, str(ROOT / "manage.py"), "export_participants"]
    command += ["-o", str(output), "--format", file_format]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would mix the runs together).
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, usage.ru_maxrss / 1024  # KiB on Linux


def count_rows(output, file_format):
    if file_format == "csv":
        with open(output, "rb") as stream:
            return sum(1 for _ in stream) - 1
    from openpyxl import load_workbook

    workbook = load_workbook(output, read_only=True)
    return sum(1 for _ in workbook.active.iter_rows(values_only=True)) - 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegations", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx", "both"], default="both")
    parser.add_argument("--build", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        seminars, delegations = build_database(args.build, args.delegations)
        print(f"built {seminars} seminars, {delegations} delegations in ", end="")
        return None
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        database_url = f"sqlite:///{folder}/bench.sqlite3"
        start = time.perf_counter()
        # Built in its own process: a child started from a big parent would report the
        # parent's memory as its own peak.
        build = [sys.executable, __file__, "--build", database_url]
        subprocess.run([*build, "--delegations", str(args.delegations)], cwd=ROOT, check=True)
        print(f"{time.perf_counter() - start:.1f} s", flush=True)
        for file_format in formats:
            output = Path(folder) / f"report.{file_format}"
            seconds, peak_mib = run_export(database_url, file_format, output)
            rows = count_rows(output, file_format)
            verdict = "ok" if peak_mib < TARGET_MIB else f"OVER {TARGET_MIB} MiB"
            print(
                f"export_participants --format {file_format}: {seconds:.2f} s, {rows} rows, "
                f"peak RSS {peak_mib:.1f} MiB ({verdict})"
            )
            results.append(
                {"format": file_format, "seconds": seconds, "rows": rows, "peak_mib": peak_mib}
            )
    return results


if __name__ == "__main__":
    main()
