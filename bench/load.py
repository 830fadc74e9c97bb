"""Bounded HTTP load: wrk when installed, otherwise a small threaded Python client."""

import http.client
import os
import re
import shutil
import subprocess
import threading
import time
from urllib.parse import urlsplit

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def ensure_wrk():
    """wrk from Debian when missing and we are root; None means: use the Python client."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if os.geteuid() == 0:
        subprocess.run(
            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk",
            shell=True,
            check=False,
            timeout=300,
        )
    return shutil.which("wrk")


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(wrk, url, seconds, connections, headers):
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    percentiles = dict(re.findall(r"^[ \t]+(50|99)(?:\.0+)?%[ \t]+(\S+)", out, re.M))
    if len(percentiles) != 2:
        raise RuntimeError(f"Unexpected wrk output:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "tool": "wrk",
    }


def run_python(url, seconds, connections, headers):
    """The fallback: `connections` threads, each looping GETs on one keep-alive connection."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.perf_counter() + seconds
    latencies, failures, lock = [], [0], threading.Lock()

    def worker():
        conn, mine, bad = None, [], 0
        while time.perf_counter() < deadline:
            conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                bad += response.status >= 400
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                bad += 1
                conn = None
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            failures[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    count = len(latencies)
    return {
        "rps": count / seconds,
        "p50_ms": latencies[count // 2] if count else 0.0,
        "p99_ms": latencies[min(count - 1, int(count * 0.99))] if count else 0.0,
        "requests": count,
        "non_2xx": failures[0],
        "socket_errors": "",
        "tool": "python",
    }


def load(url, seconds=10, connections=8, headers=None, wrk=None):
    headers = headers or {}
    if wrk:
        return run_wrk(wrk, url, seconds, connections, headers)
    return run_python(url, seconds, connections, headers)
