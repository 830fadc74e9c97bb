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
"""

import posixpath
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
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

from . import export_pages as pages
from . import pdf, render

MARKER = ".static-copy"
START = ("/", "/ja/", "/zh-hans/", "/sitemap.xml", "/robots.txt", "/data/editions.csv")
EXTRA = ("/data/editions.json",)
SKIP_PREFIXES = ("/admin/", "/i18n/")
PAGE_QUERY = re.compile(r"page=([1-9][0-9]*)")
PAGE_HREF = re.compile(rb'href="([^"?#]*)\?page=([1-9][0-9]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
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
                store_missing_pdfs()
                self.crawl([*START, *EXTRA])
                self.write_not_found_pages()
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

    def fetch_page(self, path):
        response = self.client.get(path, secure=self.scheme == "https")
        if response.status_code in (301, 302) and response.get("Location"):
            target = self.local_path(response["Location"], path)
            if target is None:
                self.broken.append(path)
                return []
            url = escape(self.base_path + target)
            self.write(path, REDIRECT_PAGE.format(url=url).encode())
            return [target]
        if response.status_code != 200:
            self.broken.append(path)
            return []
        body = b"".join(response) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        links = self.links_in(path, body, content_type)
        page = self.base_path + path
        self.write(path, paged_links(page, body) if "html" in content_type else body)
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

    def write(self, path, body):
        destination = self.target(path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(body)
        self.written.append(path)

    def write_not_found_pages(self):
        """404.html in both languages (nginx: `error_page 404 /404.html`), and each language's
        own (`ja/404.html`, `zh-hans/404.html`) as the site answers an unknown address."""
        for language in ("ja", "zh-hans"):
            response = self.client.get(f"/{language}/404/", secure=self.scheme == "https")
            self.write(f"/{language}/404.html", response.content)
        self.write("/404.html", pages.not_found_page(self.base_path))


def store_missing_pdfs():
    """The copy links the stored PDFs: render here (this process) those not stored yet."""
    if pdf.unavailable_reason() is None:
        render.render_missing()


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
    root = Path(directory)
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise NotACopy(
                gettext("%(directory)s is not empty and holds no earlier static copy (%(marker)s).")
                % {"directory": root, "marker": MARKER}
            )
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("A static copy of the seminar site (manage.py export_site).\n")
    return Export(root=root, base_url=base_url.rstrip("/")).run()
