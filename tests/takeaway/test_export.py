"""The static copy: exported, served by a static file server, crawled with no broken link."""

import datetime
import re
import threading
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import override

from seminars.models import Photo, Seminar
from tests.factories import make_edition, make_seminar
from tests.security.images import image_bytes


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """A static file server over tmp_path/site, on a free port; the export goes into its
    sub-folder mirror/, served as http://127.0.0.1:PORT/mirror/ (a copy under a path)."""
    site = tmp_path / "site"
    root = site / "mirror"
    root.mkdir(parents=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/mirror"
    server.shutdown()
    server.server_close()


def crawl(origin, starts):
    """Every same-origin link from `starts`: {url: status}, pages parsed for more links."""
    seen, queue, status = set(starts), list(starts), {}
    while queue:
        url = queue.pop()
        try:
            with urlopen(url) as response:
                body, status[url] = response.read(), response.status
                content_type = response.headers.get("Content-Type", "")
        except HTTPError as error:
            status[url] = error.code
            continue
        found = []
        if "html" in content_type:
            parser = Links()
            parser.feed(body.decode())
            found = parser.links
        elif url.endswith((".xml", ".atom")):
            found = re.findall(r'(?:<loc>|href=")([^<"]+)', body.decode())
        for link in found:
            target = urljoin(url, link).split("#")[0]
            if urlsplit(target).netloc == urlsplit(origin).netloc and target not in seen:
                seen.add(target)
                queue.append(target)
    return status


def test_static_copy_has_no_broken_link_and_no_draft(transactional_db, served, settings, tmp_path):
    make_seminar(3)
    draft = make_edition(4, status=Seminar.Status.DRAFT)
    latest = make_edition(5)
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "photos").mkdir(parents=True)
    (tmp_path / "media" / "photos" / "venue.jpg").write_bytes(image_bytes())
    Photo.objects.create(
        seminar=latest,
        caption_ja="本会議",
        caption_zh_hans="全体会议",
        image="photos/venue.jpg",
    )
    root, origin = served

    call_command("export_site", str(root), base_url=f"{origin}/", verbosity=0)
    status = crawl(origin, [f"{origin}/"])  # index.html: both languages

    broken = {url: code for url, code in status.items() if code != 200}
    assert not broken
    urls = set(status)
    for lang in ("ja", "zh-hans"):
        edition = f"{origin}/{lang}/seminars/{latest.edition}/"
        assert edition in urls and f"{origin}/{lang}/seminars/3/" in urls
        assert f"{edition}programme/" in urls
        assert f"{edition}calendar.ics" in urls
        assert f"{origin}/{lang}/feed.atom" in urls
        assert f"{origin}/{lang}/seminars/{draft.edition}/" not in urls
        assert not (root / lang / "seminars" / str(draft.edition)).exists()
    report = f"{origin}/ja/seminars/{latest.edition}/report.pdf"
    assert f"{origin}/data/editions.csv" in urls and report in urls
    assert crawl(origin, [f"{origin}/sitemap.xml"])[f"{origin}/sitemap.xml"] == 200
    assert any(url.startswith(f"{origin}/static/") for url in urls)
    assert f"{origin}/media/photos/venue.jpg" in urls
    assert (root / "media" / "photos" / "venue.jpg").read_bytes() == image_bytes()
    assert (root / "robots.txt").read_text().endswith(f"Sitemap: {origin}/sitemap.xml\n")
    assert f"/seminars/{draft.edition}/" not in (root / "sitemap.xml").read_text()
    assert latest.theme_ja in (root / "ja" / "index.html").read_text()
    assert all(url.startswith(f"{origin}/") for url in urls)  # every link under the base path


def test_static_copy_index_offers_both_languages_and_404_is_the_sites_own(db, tmp_path):
    make_seminar(3)

    call_command("export_site", str(tmp_path / "copy"), base_url="https://example.org/m/")
    index = (tmp_path / "copy" / "index.html").read_text()
    not_found = (tmp_path / "copy" / "404.html").read_text()
    ja_not_found = (tmp_path / "copy" / "ja" / "404.html").read_text()

    assert '<html lang="ja">' in index
    assert 'href="/m/ja/"' in index and 'href="/m/zh-hans/"' in index
    assert "navigator.languages" in index and 'lang="zh-Hans"' in index
    assert "ページが見つかりません" in not_found and "找不到该页面" in not_found
    assert 'href="/m/zh-hans/"' in not_found
    assert "ページが見つかりません" in ja_not_found
    for page in (not_found, ja_not_found):
        assert "URLconf" not in page and "admin/" not in page  # not Django's debug page


def test_static_copy_with_https_base_url_writes_no_http_url(db, tmp_path):
    make_seminar(3)
    make_seminar(6, start_date=datetime.date(2008, 5, 10), end_date=datetime.date(2008, 5, 11))

    call_command("export_site", str(tmp_path / "copy"), base_url="https://example.org/m/")

    texts = {
        path: path.read_text(errors="replace")
        for path in (tmp_path / "copy").rglob("*")
        if path.suffix in (".html", ".xml", ".atom", ".txt", ".json", ".csv", ".ics")
    }
    assert not {str(path) for path, text in texts.items() if "http://example.org" in text}
    page = texts[tmp_path / "copy" / "ja" / "seminars" / "6" / "index.html"]
    assert 'canonical" href="https://example.org/m/ja/seminars/6/"' in page
    assert 'content="https://example.org/m/ja/seminars/6/"' in page  # Open Graph
    sitemap = texts[tmp_path / "copy" / "sitemap.xml"]
    assert "<loc>https://example.org/m/ja/seminars/6/</loc>" in sitemap


def test_export_refuses_a_directory_that_is_not_a_copy(db, tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")

    with pytest.raises(CommandError, match="は空ではなく、以前の静的書き出し"):
        call_command("export_site", str(tmp_path), language="ja", verbosity=0)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_export_writes_paginated_series_pages_as_folders(tmp_path):
    from seminars.takeaway.export import Export, paged_links

    export = Export(root=tmp_path, base_url="https://seminar.example.org")
    html = (
        b'<a href="?page=2">2</a> <a href="?page=1">1</a> '
        b'<a href="/zh-hans/?page=3" hreflang="zh-Hans">zh</a> '
        b'<link rel="canonical" href="https://seminar.example.org/ja/?page=2">'
    )

    assert export.target("/ja/?page=2") == tmp_path / "ja" / "page" / "2" / "index.html"
    assert export.target("/ja/?page=1") == tmp_path / "ja" / "index.html"
    assert paged_links("/ja/?page=2", html) == (
        b'<a href="/ja/page/2/">2</a> <a href="/ja/">1</a> '
        b'<a href="/zh-hans/page/3/" hreflang="zh-Hans">zh</a> '
        b'<link rel="canonical" href="https://seminar.example.org/ja/page/2/">'
    )
    with (
        override("ja"),
        pytest.raises(ValueError, match="このクエリ文字列を含むページは書き出せません"),
    ):
        export.target("/ja/seminars/5/?utm_source=x")
