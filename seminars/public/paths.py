"""An edition's URLs without a reversal each: one `reverse()` per URL name, language, script
prefix and URLconf, then string formatting.

The series page links every edition several times (its table, the host-city list, the map and
the JSON-LD: ~380 links at 101 editions); the sitemap and the feeds list them all too. Django's
`reverse()` costs ~0.5 ms of CPU a call on this host's busy cores; the prefix and suffix around
the edition number do not depend on the number (the `edition` converter is digits), so they are
found once by reversing a placeholder.
"""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLACEHOLDER = 98765  # an edition number of the converter's form that no other part of a URL holds
_parts = {}


def edition_path(name, edition):
    """`reverse(name, args=[edition])`, for URL names whose only argument is the edition."""
    key = (name, get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    try:
        head, tail = _parts[key]
    except KeyError:
        url = reverse(name, args=[PLACEHOLDER])
        head, found, tail = url.partition(str(PLACEHOLDER))
        if not found or str(PLACEHOLDER) in tail:  # not of the expected form: reverse each time
            return reverse(name, args=[edition])
        if len(_parts) > 256:  # bounded: script prefixes come from requests
            _parts.clear()
        _parts[key] = head, tail
    return f"{head}{int(edition)}{tail}"
