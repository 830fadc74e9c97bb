"""Reading pages: what the page cache holds (the stored responses of the "pages" alias, on files
or Redis), and a page's markup with only the whitespace a browser renders (`collapsed`)."""

import pickle
import re
from html.parser import HTMLParser
from pathlib import Path

from django.core.cache import caches
from django.http import HttpResponseBase


def stored_values():
    cache = caches["pages"]
    if hasattr(cache, "keys"):  # django-redis
        keys = cache.keys("*")
        return list(cache.get_many(keys).values()) if keys else []
    values = []
    for path in Path(cache._dir).glob(f"*{cache.cache_suffix}"):
        with open(path, "rb") as handle:
            if not cache._is_expired(handle):
                values.append(pickle.loads(handle.read()))
    return values


def stored_pages():
    """The stored responses (not Django's header lists or our markers), as (status, bytes)."""
    return [
        (value.status_code, value.content)
        for value in stored_values()
        if isinstance(value, HttpResponseBase)
    ]


def stored_entry_count():
    return len(stored_values())


# Elements that start or end a line (block boxes, table parts, the head's elements, SVG shapes and
# text elements): whitespace next to their tags is not rendered.
LINE_TAGS = frozenset(
    """html head body title meta link base script style noscript template address article aside
    blockquote details dialog summary div dl dt dd fieldset legend figure figcaption footer form
    h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol ul p pre section table caption colgroup col
    thead tbody tfoot tr td th br svg g defs rect path circle image text""".split()
)
# Elements whose text is kept as written.
RAW_TAGS = frozenset({"pre", "script", "style", "textarea"})
ATTRIBUTE = re.compile(r"""\s*([^\s"'=<>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# Line-break hints (seminars/public/linebreaks.py): <wbr> between phrases, and the spans that set
# text by
# phrases or keep a proper noun whole. `collapsed` drops them (a span with a lang keeps the lang).
HINT_CLASSES = frozenset({'"phrases"', '"np"'})


class _Collapser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.parts = []  # (kind, tag, text): kind is "tag", "text" or "raw"
        self.raw = 0
        self.spans = []  # per open <span>: whether it is a dropped hint

    def tag(self, tag, text):
        self.parts.append(("tag", tag, text))

    def handle_starttag(self, tag, attrs):
        if tag == "wbr":
            return
        text = self.get_starttag_text()
        name = re.match(r"<[^\s/>]+", text)[0]
        body = text[len(name) :].rstrip(">").rstrip()
        self_closing = body.endswith("/")
        pairs = ATTRIBUTE.findall(body.rstrip("/"))
        if tag == "span":
            hint = ("class", next(iter(HINT_CLASSES & {v for k, v in pairs if k == "class"}), ""))
            pairs = [pair for pair in pairs if pair != hint]
            self.spans.append(hint[1] and not pairs)
            if self.spans[-1]:
                return
        attributes = "".join(f" {key}={value}" if value else f" {key}" for key, value in pairs)
        self.tag(tag, f"{name}{attributes}{' /' if self_closing else ''}>")
        if tag in RAW_TAGS and not self_closing:
            self.raw += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "span" and self.spans and self.spans.pop():
            return
        if tag in RAW_TAGS:
            self.raw = max(self.raw - 1, 0)
        self.tag(tag, f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(("raw" if self.raw else "text", None, data))

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")

    def handle_decl(self, decl):
        self.tag("!", f"<!{decl}>")

    def handle_comment(self, data):
        self.tag("!", f"<!--{data}-->")

    def handle_pi(self, data):
        self.tag("!", f"<?{data}>")

    def unknown_decl(self, data):
        self.tag("!", f"<![{data}]>")


def collapsed(html):
    """The markup with only the whitespace a browser renders: inside tags, one space between
    attributes (values untouched); in text, each run of whitespace one space, and none next to
    the tags of elements that start or end a line (LINE_TAGS) or at either end. Text inside
    <pre>, <script>, <style> and <textarea> is left as it is.

    `"<h1>Title</h1>" in collapsed(html)` holds however a formatter lays the template out, and
    fails if a space shows where none was meant (between CJK text and a tag, say)."""
    parser = _Collapser()
    parser.feed(html)
    parser.close()
    parts = []
    for kind, tag, text in parser.parts:  # adjacent texts (entities) as one
        if kind != "tag" and parts and parts[-1][0] == kind:
            parts[-1] = (kind, None, parts[-1][2] + text)
        else:
            parts.append((kind, tag, text))
    out = []
    for index, (kind, _tag, text) in enumerate(parts):
        if kind == "text":
            before = parts[index - 1] if index else None
            after = parts[index + 1] if index + 1 < len(parts) else None
            text = re.sub(r"[ \t\n\r\f]+", " ", text)
            if before is None or (before[0] == "tag" and before[1] in LINE_TAGS | {"!"}):
                text = text.lstrip(" ")
            if after is None or (after[0] == "tag" and after[1] in LINE_TAGS | {"!"}):
                text = text.rstrip(" ")
        out.append(text)
    return "".join(out)


def log_in_to_admin(page, site, username, password):
    """Sign in on the admin's login form in a browser page (Playwright) and land on its home."""
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/admin/")


def add_inline_row(page, group):
    """Click an admin inline's "add another" and wait for the new row; its index."""
    total = int(page.input_value(f"#id_{group}-TOTAL_FORMS"))
    page.click(f"#{group}-group .add-row a")
    page.wait_for_selector(f"#{group}-{total}")
    return total


def type_in(page, name, value):
    """Type into an input (translation tabs may hide one language's column)."""
    field = page.locator(f"[name='{name}']")
    if field.is_visible():
        field.fill(value)
    else:
        field.evaluate(
            "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )


def browser_script(name):
    """A script of tests/browser/ for page.evaluate(script, argument): it is given the shared
    character measure (tests/browser/chars.js) as its second argument."""
    folder = Path(__file__).parent / "browser"
    shared = (folder / "chars.js").read_text()
    script = (folder / name).read_text()
    return f"(argument) => (\n{script}\n)(argument, \n{shared}\n)"
