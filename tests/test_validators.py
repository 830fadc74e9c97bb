"""Every public page type passes the Nu Html Checker (vnu) and html-validate without an error.

The pages: every URL of the sitemap that answers HTML (series, edition pages and programmes in
both languages, the data page, the information pages …: a page type added to the sitemap is
validated with no change here), plus the pages no sitemap lists — the 404 page for a path in each
language, the 400, 403, 500 and 503 pages, and the "PDF being prepared" page.

The validators come from `make validator-deps`: Debian's Java runs vnu.jar (npm package vnu-jar),
Node runs html-validate, both pinned in package-lock.json and installed into var/node. Each runs
once over all the pages (a JVM start costs seconds; one per page would cost minutes). With them
goes a canary, a page with the errors these validators once found here (`tspan` inside `a` in an
SVG, `aria-label` on an element that takes none): it must be reported, so a validator that checks
nothing cannot pass. html-validate runs its recommended rules except `no-trailing-whitespace`
(tests/htmlvalidate.json), a rule about template indentation, not about the page.

About 11 s of CPU in all (measured with pytest's start: rendering ~60 pages of the seed about
4 s, vnu 2 s, html-validate 2.3 s; 57 s of wall time on a 2-core host with a load average of
15), which is why this module runs once, in the SQLite pass (`validators`). Without the tools it
skips with the reason, or fails when CI=true.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "var" / "node" / "node_modules"
VNU_JAR = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTML_VALIDATE = NODE / ".bin" / "html-validate"
HTML_VALIDATE_CONFIG = ROOT / "tests" / "htmlvalidate.json"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CANARY = "canary"
CANARY_HTML = (
    b'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>canary</title></head>'
    b'<body><main><svg viewBox="0 0 10 10" role="img" aria-label="map"><text x="1" y="5">'
    b'<a href="/ja/"><tspan>x</tspan></a></text></svg><div aria-label="x">x</div></main></body>'
    b"</html>"
)

pytestmark = [
    pytest.mark.validators,
    pytest.mark.django_db,
    pytest.mark.usefixtures("seed_for_module"),
]


def require(path, what):
    if path:
        return str(path)
    reason = f"{what} is missing (`make validator-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: the validators must run in CI.")
    pytest.skip(reason)


def sitemap_paths(client):
    """The sitemap's HTML pages, as paths (the sitemap's URLs are absolute)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = [
        node.text
        for node in ElementTree.fromstring(response.content).iterfind(".//sm:loc", SITEMAP_NS)
    ]
    paths = sorted({re.sub(r"^https?://[^/]+", "", url) for url in urls})
    return [path for path in paths if not re.search(r"\.(pdf|ics|csv|json|atom|xml)$", path)]


def error_pages():
    """The error pages no sitemap lists, rendered by the site's own handlers."""
    from config import db, urls

    factory = RequestFactory()
    pages = {}
    for language in ("ja", "zh-hans"):
        request = factory.get(f"/{language}/no-such-page/")
        pages[f"404-{language}"] = urls.page_not_found(request).content
        request = factory.get(f"/{language}/")
        pages[f"400-{language}"] = urls.bad_request(request).content
        pages[f"403-{language}"] = urls.permission_denied(request).content
        pages[f"500-{language}"] = urls.server_error(request).content
        pages[f"503-{language}"] = db.DatabaseUnavailable(request).content
    return pages


@pytest.fixture(scope="module")
def pages(seed_for_module, django_db_blocker, tmp_path_factory):
    """Every page as a file (name → path), written once for the module."""
    from django.test import Client

    folder = tmp_path_factory.mktemp("pages")
    client = Client()
    written = {}

    def write(name, html):
        path = folder / (re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-") + ".html")
        path.write_bytes(html)
        written[name] = path

    with django_db_blocker.unblock():
        for path in sitemap_paths(client):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Content-Type"].startswith("text/html"), path
            write(path, response.content)
        for name, html in error_pages().items():
            write(name, html)
        for language in ("ja", "zh-hans"):  # no PDF is stored in a test: the 503 page
            response = client.get(f"/{language}/seminars/17/programme.pdf")
            assert response.status_code == 503
            write(f"pdf-pending-{language}", response.content)
    write(CANARY, CANARY_HTML)
    return written


def split_canary(errors):
    """(the canary's errors, every other page's errors): errors are (page name, text) pairs."""
    canary = [text for name, text in errors if name == CANARY]
    return canary, [f"{name}:{text}" for name, text in errors if name != CANARY]


def test_every_page_type_is_there(pages):
    """The list covers every kind of public page (a sitemap that lost a kind would hide it)."""
    names = " ".join(pages)
    for expected in (
        "/ja/",
        "/zh-hans/",
        "/ja/seminars/17/",
        "/zh-hans/seminars/17/",
        "/programme/",
    ):
        assert expected in names, expected
    assert any("/data/" in name for name in pages)
    assert any(name.startswith("404-") for name in pages)
    assert len(pages) > 40


def test_vnu_reports_no_error(pages):
    java = require(shutil.which("java"), "Java (Debian package default-jre-headless)")
    jar = require(VNU_JAR if VNU_JAR.exists() else None, "vnu.jar (npm package vnu-jar)")
    # C1 only and the serial collector: half the CPU of a default JVM for one short batch.
    command = [java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar]
    command += ["--errors-only", "--format", "json"]
    done = subprocess.run(
        [*command, *map(str, pages.values())], capture_output=True, text=True, timeout=300
    )
    report = json.loads(done.stderr)  # vnu writes its JSON report to stderr
    names = {path.as_uri(): name for name, path in pages.items()}
    names |= {f"file:{path}": name for name, path in pages.items()}
    canary, errors = split_canary(
        (
            names.get(m.get("url"), m.get("url")),
            f"{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]",
        )
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    )
    assert any("tspan" in text for text in canary), report
    assert errors == [], "\n".join(errors)


def test_html_validate_reports_no_error(pages, tmp_path):
    node = require(shutil.which("node"), "Node.js (Debian package nodejs)")
    binary = require(HTML_VALIDATE if HTML_VALIDATE.exists() else None, "html-validate (npm)")
    output = tmp_path / "report.json"  # not stdout: node may exit before a pipe has it all
    command = [node, binary, "--config", str(HTML_VALIDATE_CONFIG)]
    command += ["--formatter", f"json={output}", *map(str, pages.values())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert output.exists(), done.stderr[-2000:]
    names = {str(path): name for name, path in pages.items()}
    canary, errors = split_canary(
        (
            names.get(result["filePath"], result["filePath"]),
            f"{m['line']}: {m['ruleId']}: {m['message']} [{(m.get('selector') or '')[:80]}]",
        )
        for result in json.loads(output.read_text())
        for m in result["messages"]
        if m["severity"] == 2
    )
    assert any("aria-label-misuse" in text for text in canary), canary
    assert errors == [], "\n".join(errors)
