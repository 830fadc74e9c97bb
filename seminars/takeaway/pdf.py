"""PDFs of the programme and of the edition report: WeasyPrint with Debian's Noto CJK fonts.

WeasyPrint needs Pango (Debian packages, `make pdf-deps`) and the fonts need fontconfig to know
Noto Sans CJK JP and SC: without them `unavailable_reason()` says what is missing, the edition
page explains it instead of linking, and the PDF URLs answer 503 with the same explanation.
WeasyPrint embeds each font as a subset of the glyphs used, and the text stays extractable.
"""

import importlib.util
import shutil
import subprocess
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils.translation import gettext

# Families of Debian's fonts-noto-cjk: Japanese and Simplified Chinese glyph forms.
REQUIRED_FONTS = ("Noto Sans CJK JP", "Noto Sans CJK SC")


# The shared libraries WeasyPrint loads through cffi (Debian: libpango-1.0-0, libpangoft2-1.0-0).
REQUIRED_LIBRARIES = ("gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig")


@lru_cache(maxsize=1)
def _missing():
    """What the PDF engine lacks on this machine: ("engine", libraries) or ("fonts", names).

    Checked without importing WeasyPrint: that import costs a web worker about 23 MiB, paid
    only by the process that renders a PDF.
    """
    if importlib.util.find_spec("weasyprint") is None:
        return ("engine", "weasyprint")
    import ctypes.util  # here: a worker serving cached pages never loads ctypes

    absent = [name for name in REQUIRED_LIBRARIES if ctypes.util.find_library(name) is None]
    if absent:
        return ("engine", ", ".join(absent))
    if not shutil.which("fc-list"):
        return ("fonts", ", ".join(REQUIRED_FONTS))
    listed = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, timeout=20, check=False
    ).stdout
    absent = [name for name in REQUIRED_FONTS if name not in listed]
    return ("fonts", ", ".join(absent)) if absent else None


def unavailable_reason():
    """None when PDFs can be made, else a sentence (in the active language) saying why not."""
    missing = _missing()
    if missing is None:
        return None
    kind, detail = missing
    if kind == "engine":
        return gettext(
            "PDF downloads are not available on this server: the PDF engine (WeasyPrint with "
            "Pango) is not installed. The administrator can install it with “make pdf-deps”."
        )
    return gettext(
        "PDF downloads are not available on this server: the fonts %(fonts)s are missing. "
        "The administrator can install them with “make pdf-deps”."
    ) % {"fonts": detail}


def refuse_fetch(url, *args, **kwargs):
    """The print templates are self-contained: nothing is fetched (no request to anywhere)."""
    raise ValueError(f"PDF templates fetch nothing: {url}")


def render_pdf(template_name, context, request=None):
    """The PDF bytes of an HTML template written for print (A4, its own CSS, no resources)."""
    from PIL import ImageFile
    from weasyprint import HTML

    # Importing WeasyPrint lets Pillow accept truncated images in the whole process; the print
    # templates hold no images, and photo uploads must go on refusing truncated files.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_to_string(template_name, context, request=request)
    # Tagged (structure for screen readers: JIS X 8341-3, GB/T 37668); Title, Author, Subject
    # and Lang come from the template's <title>, <meta> and <html lang>.
    return HTML(string=html, url_fetcher=refuse_fetch).write_pdf(pdf_tags=True)
