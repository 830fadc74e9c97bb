"""What the page cache holds: the stored responses of the "pages" alias, on files or Redis."""

import pickle
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
