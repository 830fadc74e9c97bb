"""The body of an information page (site policy, privacy, accessibility) as HTML."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

register = template.Library()
HEADING = "## "


@register.filter
def info_body(text):
    """Plain text → paragraphs at empty lines, line breaks kept; a paragraph whose first line
    starts with "## " has that line as its heading (h2, under the page's h1). Escaped."""
    parts = []
    for block in re.split(r"\n\s*\n", normalize_newlines(text or "").strip()):
        lines = [line.strip() for line in block.split("\n")]
        if lines[0].startswith(HEADING):
            parts.append(format_html("<h2>{}</h2>", lines.pop(0).removeprefix(HEADING).strip()))
        lines = [line for line in lines if line]
        if lines:
            body = mark_safe("<br>".join(conditional_escape(line) for line in lines))
            parts.append(format_html("<p>{}</p>", body))
    return mark_safe("\n".join(parts))


@register.filter
def info_summary(text):
    """The body as one line of plain text for the description (headings' marks left out)."""
    lines = (line.strip().removeprefix(HEADING) for line in (text or "").splitlines())
    return " ".join(" ".join(lines).split())
