"""The benchmark's results: one dict (saved as JSON) and its Markdown table."""

import datetime
import os
import platform
from pathlib import Path

TARGETS = {
    "edition_uncached_rps": 590,
    "cached_floor_ratio": 0.9,
    "rss_mib": 60,
    "export_mib": 100,
    "save_cpu_ms": 300,
}


def proc_status(pid):
    """(VmRSS, VmHWM) of a process, in MiB, from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import django

    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "kernel": platform.release(),
        # Other work on the host skews every figure: recorded so runs can be judged.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _row(name, mode, result, queries, floor_rps):
    return {
        "page": name,
        "mode": mode,
        "rps": round(result["rps"], 1),
        "p50_ms": round(result["p50_ms"], 2),
        "p99_ms": round(result["p99_ms"], 2),
        "worker_rss_mib": round(result["rss_mib"], 1),
        "worker_peak_rss_mib": round(result["hwm_mib"], 1),
        "queries": queries,
        "floor_ratio": round(result["rps"] / floor_rps, 3) if floor_rps else None,
        "requests": result["requests"],
        "errors": result["non_2xx"],
        "socket_errors": result["socket_errors"],
    }


def assemble(prepared, uncached, cached, floor, export, database_url, wrk, args, pages, report):
    floor_rps = floor["rps"]
    queries = prepared["queries"]
    rows = []
    for name, path in pages:
        rows.append(_row(name, "uncached", uncached[name], queries[path][0], floor_rps))
        rows.append(_row(name, "cached", cached[name], queries[path][1], floor_rps))
    for name, result in uncached.items():
        if name not in dict(pages):
            rows.append(_row(name, "never cached", result, queries[report][0], floor_rps))
    rows.append(_row("floor (same bytes, minimal Django)", "-", floor, 0, floor_rps))
    after_edit = next((dict(v, page=k) for k, v in cached.items() if k not in dict(pages)), None)
    edition = pages[1][0]
    by_key = {(r["page"], r["mode"]): r for r in rows}
    checks = {
        "edition page uncached >= 590 req/s": by_key[(edition, "uncached")]["rps"]
        >= TARGETS["edition_uncached_rps"],
        "edition page cached >= 0.9x floor": by_key[(edition, "cached")]["floor_ratio"]
        >= TARGETS["cached_floor_ratio"],
        "worker RSS <= 60 MiB": all(
            r["worker_rss_mib"] <= TARGETS["rss_mib"] for r in rows if r["mode"] != "-"
        ),
    }
    if after_edit:
        checks["first request after an edit is a cache hit"] = (
            after_edit["stored"] == after_edit["edits"] == after_edit["updated"]
        )
    if export:
        checks["export peak RSS < 100 MiB"] = all(
            e["peak_mib"] < TARGETS["export_mib"] for e in export
        )
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": database_url.split(":", 1)[0],
        "dataset": {"published_editions": prepared["editions"], "generated": prepared["generated"]},
        "load": {
            "tool": "wrk" if wrk else "python",
            "connections": args.connections,
            "seconds": args.seconds,
            "server": "gunicorn, 2 sync workers, 127.0.0.1, DJANGO_DEBUG=0",
        },
        "rows": rows,
        "after_edit": after_edit,
        "export": export,
        "targets_met": checks,
    }


def add_cpu(results, cpu):
    """CPU ms per request (in-process) for each row, and its ratio to the floor's."""
    floor = cpu["floor"]
    results["render_cpu"] = cpu.get("render", {})
    for name, r in results["render_cpu"].items():
        if r["target_ms"]:
            results["targets_met"][f"render CPU <= {r['target_ms']:.0f} ms: {name}"] = (
                r["cpu_ms"] <= r["target_ms"]
            )
    for row in results["rows"]:
        ms = floor if row["mode"] == "-" else cpu.get((row["page"], row["mode"]))
        row["cpu_ms"] = ms
        row["cpu_floor_ratio"] = round(floor / ms, 3) if ms else None


def render_markdown(render):
    lines = [
        "",
        "Render CPU, page cache disabled (in-process, bench/cpu.py). The pieces of a page are "
        "kept per process while the rows they show are unchanged (seminars/public/fragments.py): "
        "the first column is a page this process has shown before, the second (the memo emptied "
        "before each request) one it has not:",
        "",
        "| page | path | CPU ms/request | memo empty: CPU ms/request | target ms |",
        "|---|---|---:|---:|---:|",
    ]
    for name, r in render.items():
        target = f"{r['target_ms']:.0f}" if r["target_ms"] else "–"
        cold = f"{r['cold_cpu_ms']:.2f}" if r.get("cold_cpu_ms") is not None else "–"
        lines.append(f"| {name} | {r['path']} | {r['cpu_ms']:.2f} | {cold} | {target} |")
    return "\n".join(lines) + "\n"


def add_save(results, save):
    """One admin save's CPU (bench/save.py) and its targets."""
    results["save"] = save
    for size in ("small", "large"):
        run = save[size]
        name = f"a save's server CPU <= 300 ms at {run['editions']} editions"
        results["targets_met"][name] = run["cpu_ms_median"] <= TARGETS["save_cpu_ms"]
        name = f"first request after a save is a hit at {run['editions']} editions"
        results["targets_met"][name] = run["hit_after"]


def save_markdown(save):
    lines = [
        "",
        "One admin save (edition 17's theme, both languages; bench/save.py), every public page "
        "cached before it:",
        "",
        "| editions | CPU ms (median) | CPU ms (max) | wall ms | cache entries | "
        "dropped or rewritten | unlisted field: CPU ms, entries | first request after it a hit |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size in ("small", "large"):
        r = save[size]
        lines.append(
            f"| {r['editions']} | {r['cpu_ms_median']:.0f} | {r['cpu_ms_max']:.0f} "
            f"| {r['wall_ms_median']:.0f} | {r['entries']} | {r['dropped_or_rewritten']} "
            f"| {r['unlisted_cpu_ms_median']:.0f}, {r['unlisted_dropped_or_rewritten']} "
            f"| {'yes' if r['hit_after'] else 'no'} |"
        )
    lines += [
        "",
        "CPU: this process's, every thread (the request, the pages rendered before it returns and "
        "the background re-render, waited for).",
        "",
    ]
    return "\n".join(lines)


def markdown(results):
    m = results["machine"]
    lines = [
        f"## Benchmark {results['date']}",
        "",
        f"Machine: {m['cores']} cores, {m['cpu']} "
        f"(1-min load average {m['load_average'][0]} at the end); "
        f"Python {m['python']}, Django {m['django']}; "
        f"database {results['database']}; {results['dataset']['published_editions']} published "
        f"editions. Load: {results['load']['tool']}, {results['load']['connections']} connections, "
        f"{results['load']['seconds']} s per page; {results['load']['server']}.",
        "",
        "| page | mode | req/s | p50 ms | p99 ms | worker RSS MiB | SQL/request | × floor "
        "| CPU ms/request | × floor (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["rows"]:
        cpu = f"{r['cpu_ms']:.2f} | {r['cpu_floor_ratio']:.2f}" if r.get("cpu_ms") else "– | –"
        lines.append(
            f"| {r['page']} | {r['mode']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} "
            f"| {r['worker_rss_mib']:.1f} | {r['queries']} | {r['floor_ratio']:.2f} | {cpu} |"
        )
    after = results.get("after_edit")
    if after:
        ms = after["latencies_ms"]
        lines.append(
            f"| {after['page']} | cached | – | {ms[len(ms) // 2]:.2f} | {ms[-1]:.2f} (max) | – | 0 "
            f"| – | – | – |"
        )
        lines += [
            "",
            f"After each of {after['edits']} edits (a seminar saved in another process), the "
            f"edited page was in the page cache when save() returned {after['stored']} times "
            f"(looked up with Django's key function) and the first request showed the edit "
            f"{after['updated']} times. Each edit's process (start, save, the edited pages "
            f"rendered "
            f"before save() returns, the other pages it touched in its background thread) took "
            f"{after['edit_process_s']} s (median).",
        ]
    if results["export"]:
        lines += ["", "Participant report over 100,000 delegations (bench/bench_export.py):", ""]
        for e in results["export"]:
            lines.append(
                f"- {e['format']}: {e['seconds']:.1f} s, {e['rows']} rows, "
                f"peak RSS {e['peak_mib']:.1f} MiB"
            )
    lines += [
        "",
        "req/s and latencies come from the load generator and move with other work on the host;",
        "CPU ms/request is the WSGI application called in a loop in one process (bench/cpu.py).",
    ]
    lines += ["", "Targets:", ""]
    lines += [
        f"- {name}: {'met' if ok else 'NOT met'}" for name, ok in results["targets_met"].items()
    ]
    return "\n".join(lines) + "\n"


def pdf_burst_markdown(burst):
    """HTML while 20 threads ask for PDFs not rendered yet (bench/pdf_load.py)."""
    return (
        "\n## A burst of PDF requests and searches\n\n"
        f"{burst['threads']} clients sent HEAD and GET for {burst['pdf_urls']} PDFs "
        f"({burst['stored_before']} stored, the others not rendered yet) and searches that find "
        f"many editions (one request in three) for {burst['seconds']} s "
        f"({burst['server']}; load average {burst['load_average']}). "
        f"An edition page answered in p50 {burst['html_quiet_p50_ms']} ms before the burst, "
        f"p50 {burst['html_p50_ms']} ms / p99 {burst['html_p99_ms']} ms during it "
        f"({burst['html_responses']} responses). PDF answers: {burst['pdf_responses']}; "
        f"search answers: {burst.get('search_responses')}; a web "
        f"worker loaded the PDF engine: {'yes' if burst['web_workers_loaded_pdf_engine'] else 'no'}"
        f"; stored PDFs rendered again: {burst['stored_rendered_again']}; renderers at once "
        f"(holding a runner slot): {burst['most_renderers_at_once']}; its first new PDF "
        f"{burst['renderer_first_new_pdf_after_s']} s after the burst.\n"
    )
