"""Rendered pieces of a page, kept per process and keyed by everything they show.

The series page shows every edition three or four times (its table row, the host-city list and
map, the JSON-LD). After one edition changes, the page is rendered again (seminars.public.pagewarm)
and only that edition's pieces differ: each piece is looked up by a key made of the values it
shows (the edition's number, year, theme, city, link, the language…), so an unchanged piece is
reused and a changed one can never be served, whatever changed it (an edition, a city, the site
settings). No invalidation: a key that is no longer asked for ages out of a bounded LRU.
"""

import threading
from collections import OrderedDict
from operator import itemgetter


class Memo:
    """A bounded, thread-safe LRU of rendered strings."""

    def __init__(self, size):
        self.size = size
        self._data = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build):
        """The value stored for `key`, else `build()` (stored)."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._data.clear()

    def __len__(self):
        return len(self._data)


# Two languages × 101 editions × (a row, a JSON-LD share) and the agenda entries of the editions
# rendered lately (30 each at most). Full, it holds about 14 MiB (a worker that has rendered every
# page at 101 editions, measured 2026-12-07); with the seed it stays small (a worker serving the
# seed's pages, 55-58 MiB in all). `export_site` empties it every 20 pages.
FRAGMENTS = Memo(2048)


def memoized(key, build):
    return FRAGMENTS.get(key, build)


_COLUMNS = {}


def row_values(obj):
    """Every column of a row as loaded: what a piece showing it may read (read from the
    instance's dict, without a descriptor per column; a deferred column through the model)."""
    model = type(obj)
    columns = _COLUMNS.get(model)
    if columns is None:  # one getter per model: a key of 30 agenda items is built often
        names = tuple(f.attname for f in model._meta.concrete_fields)
        getter = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
        columns = _COLUMNS[model] = (model.__name__, names, getter)
    try:
        return (columns[0], *columns[2](obj.__dict__))
    except KeyError:
        return (columns[0], *(getattr(obj, name) for name in columns[1]))
