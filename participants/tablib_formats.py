"""openpyxl on demand.

django-import-export asks tablib at import time whether XLSX is available, and tablib answers by
importing its xlsx module, openpyxl and with it Pillow: about 8 MiB in every web worker, most of
which only ever serve public pages. A stand-in registered under the same key imports them on
first real use.
"""

from importlib.util import find_spec

from tablib.formats import registry


class OnDemandXLSXFormat:
    """tablib's XLSXFormat, imported the first time one of its methods is looked up."""

    title = "xlsx"
    extensions = ("xlsx",)

    def __getattr__(self, name):
        from tablib.formats._xlsx import XLSXFormat

        return getattr(XLSXFormat, name)


def register_on_demand_xlsx():
    if find_spec("openpyxl"):
        registry.register("xlsx", OnDemandXLSXFormat())
