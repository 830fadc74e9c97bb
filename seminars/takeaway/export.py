"""A static copy of the public site: every page an anonymous reader can reach, as plain files.

Why not django-distill or django-bakery: both render a list of URLs declared beside each route
(distill_path / a build method per view), which would duplicate the URL contract in every
urls.py and still miss what a page links to (photos, PDFs, the x-default URLs). Here the
site is crawled as an anonymous reader through Django's own test client: start at /ja/,
/zh-hans/, the sitemap, robots.txt and the data files, follow every link and resource, and
write each 200 answer where a plain server (nginx, `python -m http.server`) finds it:
`/ja/seminars/17/` → `ja/seminars/17/index.html`, `/data/editions.csv` as is. Drafts answer 404
to anonymous readers, so they can never appear; a link that does not answer 200 stops the export.
Redirects inside the site (`/`, the unprefixed x-default URLs) become small HTML redirect pages.

Incremental: the copy keeps a manifest (MANIFEST) of every file it wrote, with its content hash
and the versions of the editions it came from. A second export into the same folder writes only
the files whose content changed (the others keep their bytes and times, so a sync to the web
server sends only those) and removes the files that no longer exist (an edition unpublished).
The manifest is taken away while an export runs and written when it ends: an export that fails
midway leaves none, and the next one starts afresh, as the first.

An edition's own pages and files (`/ja/seminars/17/…`: page, programme, PDFs, calendar) are not
even rendered again when their inputs are those of the former copy: the edition's version, its
published neighbours (the pager), and what every page shows or the edition borrows (the code's
build, the base URL, the day, the site settings and footer date, the cities and organizations).
Lists, feeds, the sitemap and data files are always rendered again (and written if changed).
"""

import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.test import Client
from django.test.utils import override_settings
from django.urls import get_script_prefix, set_script_prefix
from django.utils.html import escape
from django.utils.translation import get_language, gettext, override

from seminars.models import Seminar
from seminars.public.fragments import FRAGMENTS

from . import export_pages as pages
from . import pdf, render

logger = logging.getLogger(__name__)
MARKER = ".static-copy"
MANIFEST = ".static-copy.json"
MANIFEST_FORMAT = 1
EDITION_PATH = re.compile(r"^/(?:ja|zh-hans)/seminars/([0-9]+)/")
START = ("/", "/ja/", "/zh-hans/", "/sitemap.xml", "/robots.txt", "/data/editions.csv")
EXTRA = ("/data/editions.json",)
SKIP_PREFIXES = ("/admin/", "/i18n/")
PAGE_QUERY = re.compile(r"page=([1-9][0-9]*)")
PAGE_HREF = re.compile(rb'href="([^"?#]*)\?page=([1-9][0-9]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# The rendered pieces the site keeps per process (seminars/public/fragments.py) are emptied every
# so many pages: a crawl shows each edition's pieces once per language, and a full memo held
# about 14 MiB of the crawling process at 101 editions (peak RSS 95–97 → 82–85 MiB, same bytes).
MEMO_PAGES = 20
XML_LINK = re.compile(r"(?:<loc>|href=\")([^<\"]+)")
REDIRECT_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">'
    '<meta http-equiv="refresh" content="0; url={url}"><link rel="canonical" href="{url}">'
    '<title>→ {url}</title></head><body><a href="{url}">{url}</a></body></html>\n'
)


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.links.append(value)
            elif value and name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


@dataclass
class Export:
    root: Path
    base_url: str
    written: list = field(default_factory=list)
    broken: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # kept without being rendered again
    removed: list = field(default_factory=list)
    previous: dict = field(default_factory=dict)  # the former copy's manifest: {file: entry}
    files: dict = field(default_factory=dict)  # this copy's
    renderer: dict = field(default_factory=dict)  # how the missing PDFs were rendered
    rendered_pages: int = 0

    def __post_init__(self):
        parts = urlsplit(self.base_url)
        self.scheme, self.host = parts.scheme or "http", parts.netloc or "localhost"
        # The folder the copy is served from ("" or "/mirror"): in every link the site writes.
        self.base_path = parts.path.rstrip("/")
        self.client = Client(HTTP_HOST=self.host)
        self.static_url, self.media_url = settings.STATIC_URL, settings.MEDIA_URL

    def settings_during_export(self):
        return {
            # As production renders it, whatever the shell has (manage.py turns DEBUG on
            # without a secret key): the site's own 404 page, never Django's debug page.
            "DEBUG": False,
            "ALLOWED_HOSTS": [self.host.split(":")[0]],
            "PAGE_CACHE_ENABLED": False,  # fresh renders, nothing stored under this host
            "SEARCH_ENABLED": False,  # no server behind the copy: no search box, no SearchAction
            "SECURE_SSL_REDIRECT": False,
            "FORCE_SCRIPT_NAME": self.base_path or None,
            "STATIC_URL": self.base_path + self.static_url,
            "MEDIA_URL": self.base_path + self.media_url,
        }

    def run(self):
        # Each page request activates its own language in this thread (LocaleMiddleware);
        # afterwards the caller's language is back (the command's messages stay in it).
        prefix = get_script_prefix()
        set_script_prefix(f"{self.base_path}/")  # reverse() writes the base path
        try:
            with override_settings(**self.settings_during_export()), override(get_language()):
                self.renderer = store_missing_pdfs()
                self.versions = edition_versions()
                self.site_key = site_key(self.base_url)
                self.published = list(
                    Seminar.objects.published()
                    .order_by("edition")
                    .values_list("edition", "fiscal_year", "city_id")
                )
                self.previous_pages = {
                    entry["path"]: (name, entry)
                    for name, entry in self.previous.items()
                    if isinstance(entry, dict) and entry.get("key") and entry.get("path")
                }
                self.crawl([*START, *EXTRA])
                self.write_not_found_pages()
                self.remove_stale_files()
        finally:
            set_script_prefix(prefix)
        return self

    def crawl(self, start):
        queue, seen = list(start), set(start)
        while queue:
            path = queue.pop(0)
            for link in self.fetch(path):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)

    def local_path(self, link, page):
        """The site path a link points to, or None when it leaves the site or the copy."""
        url = urljoin(f"{self.scheme}://{self.host}{self.base_path}{page}", link.strip())
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            return None
        path = unquote(parts.path) or "/"
        if self.base_path:
            if path != self.base_path and not path.startswith(f"{self.base_path}/"):
                return None  # elsewhere on the host: not part of the copy
            path = path[len(self.base_path) :] or "/"
        if path.startswith(SKIP_PREFIXES):
            return None
        return f"{path}?{parts.query}" if parts.query else path

    def fetch(self, path):
        """Write what `path` answers; the site paths it links to."""
        if path.startswith(self.static_url):
            body = self.static_file(path[len(self.static_url) :])
        elif path.startswith(self.media_url):
            body = self.media_file(path[len(self.media_url) :])
        elif path == "/":
            self.write(path, pages.index_page(self.base_path))
            return ["/ja/", "/zh-hans/"]
        else:
            return self.fetch_page(path)
        if body is None:
            self.broken.append(path)
            return []
        self.write(path, body)
        return self.links_in(path, body, "text/css" if path.endswith(".css") else "")

    def page_key(self, path):
        """What an edition's own page or file is made from (None: not an edition's own)."""
        found = EDITION_PATH.match(path)
        version = self.versions.get(int(found[1])) if found else None
        if version is None:
            return None
        edition = int(found[1])
        earlier = [row for row in self.published if row[0] < edition]
        later = [row for row in self.published if row[0] > edition]
        inputs = [self.site_key, edition, version, earlier[-1:], later[:1]]
        return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()

    def kept(self, path, key):
        """The links of `path` when the former copy holds it made from the same inputs (its file
        untouched since); None when it must be rendered."""
        name, before = self.previous_pages.get(path, (None, None))
        if key is None or before is None or before.get("key") != key:
            return None
        if not same_size(self.root / name, before.get("size")):
            return None
        self.files[name] = before
        self.unchanged.append(path)
        self.skipped.append(path)
        return list(before.get("links", []))

    def fetch_page(self, path):
        key = self.page_key(path)
        links = self.kept(path, key)
        if links is not None:
            return links
        response = self.client.get(path, secure=self.scheme == "https")
        self.rendered_pages += 1
        if self.rendered_pages % MEMO_PAGES == 0:
            FRAGMENTS.clear()
        if response.status_code in (301, 302) and response.get("Location"):
            target = self.local_path(response["Location"], path)
            if target is None:
                self.broken.append(path)
                return []
            url = escape(self.base_path + target)
            self.write(path, REDIRECT_PAGE.format(url=url).encode(), key=key, links=[target])
            return [target]
        if response.status_code != 200:
            self.broken.append(path)
            return []
        body = b"".join(response) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        links = self.links_in(path, body, content_type)
        page = self.base_path + path
        body = paged_links(page, body) if "html" in content_type else body
        self.write(path, body, key=key, links=links)
        return links

    def links_in(self, page, body, content_type):
        if "html" in content_type:
            parser = LinkParser()
            parser.feed(body.decode("utf-8", "replace"))
            found = parser.links
        elif "xml" in content_type:
            found = XML_LINK.findall(body.decode("utf-8", "replace"))
        elif "css" in content_type:
            found = CSS_URL.findall(body.decode("utf-8", "replace"))
        elif page == "/robots.txt":
            found = re.findall(r"Sitemap:\s*(\S+)", body.decode())
        else:
            found = []
        links = (self.local_path(link, page) for link in found if not link.startswith("data:"))
        return [link for link in links if link and not link.startswith("#")]

    def static_file(self, name):
        name = name.split("?")[0]
        found = finders.find(name)
        if found is None and staticfiles_storage.exists(name):
            found = staticfiles_storage.path(name)
        return Path(found).read_bytes() if found else None

    def media_file(self, name):
        name = name.split("?")[0]
        if not default_storage.exists(name):
            return None
        with default_storage.open(name) as handle:
            return handle.read()

    def target(self, path):
        path, _, query = path.partition("?")
        relative = posixpath.normpath(path).lstrip("/")
        if ".." in relative.split("/"):
            raise ValueError(
                gettext("Refusing to write outside the copy: %(path)s") % {"path": path}
            )
        if relative == ".":
            relative = ""
        page = PAGE_QUERY.fullmatch(query)
        if query and not page:
            raise ValueError(
                gettext("A page with this query string cannot be copied: %(path)s")
                % {"path": f"{path}?{query}"}
            )
        if page and page[1] != "1":  # the series page's ?page=N, as …/page/N/ (see paged_links)
            relative = posixpath.join(relative, "page", page[1], "")
        if path.endswith("/") or not relative:
            relative = posixpath.join(relative, "index.html")
        return self.root / relative

    def write(self, path, body, key=None, links=()):
        """Write `body` for `path`, unless the former copy holds these very bytes there."""
        destination = self.target(path)
        name = destination.relative_to(self.root).as_posix()
        digest = hashlib.sha256(body).hexdigest()
        found = EDITION_PATH.match(path)
        editions = {found[1]: self.versions.get(int(found[1]))} if found else {}
        entry = {"sha256": digest, "size": len(body), "editions": editions, "path": path}
        if key is not None:  # an edition's own: kept unrendered while its inputs stay
            entry.update(key=key, links=list(links))
        self.files[name] = entry
        before = self.previous.get(name)
        if before and before["sha256"] == digest and same_size(destination, len(body)):
            self.unchanged.append(path)
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.partial")
        temporary.write_bytes(body)
        os.replace(temporary, destination)  # a server never sends a half-written file
        self.written.append(path)

    def remove_stale_files(self):
        """The files of the former copy that this one no longer has, and their empty folders."""
        for name in sorted(set(self.previous) - set(self.files)):
            path = self.root / name
            if not path.is_file():
                continue
            path.unlink()
            self.removed.append(name)
            for folder in path.parents:
                if folder == self.root or any(folder.iterdir()):
                    break
                folder.rmdir()

    def write_manifest(self):
        manifest = {"format": MANIFEST_FORMAT, "base_url": self.base_url, "files": self.files}
        temporary = self.root / f"{MANIFEST}.partial"
        temporary.write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.root / MANIFEST)

    def write_not_found_pages(self):
        """404.html in both languages (nginx: `error_page 404 /404.html`), and each language's
        own (`ja/404.html`, `zh-hans/404.html`) as the site answers an unknown address."""
        for language in ("ja", "zh-hans"):
            response = self.client.get(f"/{language}/404/", secure=self.scheme == "https")
            self.write(f"/{language}/404.html", response.content)
        self.write("/404.html", pages.not_found_page(self.base_path))


def same_size(path, size):
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def edition_versions():
    """{edition number: version} of every edition, as the manifest records them."""
    from seminars.models import EditionVersion

    return dict(EditionVersion.objects.values_list("seminar__edition", "number"))


def site_key(base_url):
    """What every page shows or an edition's pages borrow, beside the edition's own record."""
    from django.forms.models import model_to_dict
    from django.utils.timezone import localdate

    from seminars.models import City, Organization, SiteSettings

    site = SiteSettings.objects.from_database()
    inputs = [
        settings.BUILD_ID,
        base_url,
        localdate().isoformat(),
        model_to_dict(site) if site else None,
        site.last_updated_day if site else None,
        list(City.objects.order_by("pk").values()),
        list(Organization.objects.order_by("pk").values()),
    ]
    return hashlib.sha256(json.dumps(inputs, default=str).encode()).hexdigest()


def read_manifest(root, base_url):
    """The former copy's files ({} when there is none, or it was made for another base URL)."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != MANIFEST_FORMAT
        or manifest.get("base_url") != base_url
        or not isinstance(manifest.get("files"), dict)
    ):
        return None
    return {name: entry for name, entry in manifest["files"].items() if safe_name(name, entry)}


def safe_name(name, entry):
    """A file name of the copy's own: relative, inside it (a manifest edited by hand is no
    way to remove or read files elsewhere)."""
    parts = PurePosixPath(name).parts
    return (
        isinstance(entry, dict)
        and bool(parts)
        and not PurePosixPath(name).is_absolute()
        and ".." not in parts
        and "\\" not in name
    )


def store_missing_pdfs():
    """The copy links the stored PDFs: those not stored yet are rendered first, by the renderer
    in a process of its own where it can read this database (WeasyPrint's import, fonts and
    caches stay out of the crawl: 84.6 MiB peak at 101 editions instead of over 320), else here
    (a test's database, an in-memory SQLite). {"pdfs": "child"|"here", …} for the report."""
    if pdf.unavailable_reason() is not None:
        return {"pdfs": "unavailable"}
    if not render.spawn_allowed():
        return {"pdfs": "here", "rendered": len(render.render_missing())}
    status, peak_mib = render.render_missing_in_child()
    result = {"pdfs": "child", "status": status, "renderer_peak_rss_mib": round(peak_mib, 1)}
    if status != 0:  # its traceback is on standard error; the crawl lists the missing PDFs
        logger.error("The PDF renderer exited with status %s", status)
    logger.info(  # bench/static_copy.py reports it
        "PDF renderer: exit status %s, peak RSS %.1f MiB",
        status,
        peak_mib,
        extra={"pdf_renderer": result},
    )
    return result


def paged_links(path, body):
    """`href="…/?page=N"` (or `?page=N`) → `href="…/page/N/"`: a plain server ignores queries."""
    base = path.partition("?")[0].encode()

    def replace(match):
        prefix, number = match[1] or base, match[2]
        if not prefix.endswith(b"/"):
            return match[0]
        target = prefix if number == b"1" else prefix + b"page/" + number + b"/"
        return b'href="' + target + b'"'

    return PAGE_HREF.sub(replace, body)


class NotACopy(Exception):
    pass


def export_site(directory, base_url):
    """Write the static copy into `directory` (a former copy is replaced); returns the Export."""
    root, base_url = Path(directory), base_url.rstrip("/")
    previous = None
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise NotACopy(
                gettext("%(directory)s is not empty and holds no earlier static copy (%(marker)s).")
                % {"directory": root, "marker": MARKER}
            )
        previous = read_manifest(root, base_url)
        if previous is None:  # no manifest (a copy by an older export, or one that failed)
            shutil.rmtree(root)
        else:
            (root / MANIFEST).unlink()  # written again only if this export completes
    root.mkdir(parents=True, exist_ok=True)
    if not (root / MARKER).exists():
        (root / MARKER).write_text("A static copy of the seminar site (manage.py export_site).\n")
    export = Export(root=root, base_url=base_url, previous=previous or {}).run()
    if not export.broken:
        export.write_manifest()
    return export
