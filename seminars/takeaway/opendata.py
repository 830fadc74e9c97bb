"""Open data: every published edition with its participant counts, as CSV and JSON.

One record per edition in one query, both languages as suffixed fields (`theme_ja`,
`theme_zh_hans`), counts by side and the total (empty when no delegation is recorded). The CSV is
UTF-8 with a BOM (Excel opens it as UTF-8) and formula-safe: a text cell that a spreadsheet would
run as a formula (= + - @, tab, carriage return) starts with an apostrophe. The licence is the
publisher's choice: settings.OPEN_DATA_LICENCE (OPEN_DATA_LICENCE_NAME / _URL in the environment).
"""

import csv
import io
import json

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, override

from participants.cells import safe_cell
from seminars.models import Seminar

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
SUFFIX = {"ja": "ja", "zh-hans": "zh_hans"}
SERIES = "Japan–China Regional Exchange Promotion Seminar"  # an existing msgid


def _per_language(stem):
    return tuple(f"{stem}_{SUFFIX[lang]}" for lang in LANGUAGES)


# (fields, their description) in file order, as the open data page lists them; translated fields
# get one column per language.
FIELD_NOTES = (
    (("edition",), gettext_lazy("The edition number (the N of 第N回 / 第N届).")),
    (("fiscal_year",), gettext_lazy("Japanese fiscal year (April to March).")),
    (
        ("start_date", "end_date"),
        gettext_lazy("Dates in ISO 8601 (YYYY-MM-DD), local China time; empty when unknown."),
    ),
    (_per_language("city"), gettext_lazy("Host city in Japanese and in Simplified Chinese.")),
    (
        _per_language("province"),
        gettext_lazy("Province or autonomous region; empty for municipalities."),
    ),
    (
        _per_language("theme"),
        gettext_lazy(
            "Theme in Japanese and in Simplified Chinese; empty when the edition had none."
        ),
    ),
    (
        ("participants_japan", "participants_china", "participants_total"),
        gettext_lazy(
            "Participants of the Japan side, of the China side and in all; empty when not recorded."
        ),
    ),
    (_per_language("url"), gettext_lazy("The edition's page in each language.")),
)
FIELDS = tuple(name for names, _note in FIELD_NOTES for name in names)


def licence():
    return settings.OPEN_DATA_LICENCE


def editions():
    """Published editions with their counts by side, in one query."""
    return (
        Seminar.objects.published()
        .for_listing()
        .annotate(
            participants_japan=Sum(
                "delegations__participant_count", filter=Q(delegations__side="japan")
            ),
            participants_china=Sum(
                "delegations__participant_count", filter=Q(delegations__side="china")
            ),
            participants_total=Sum("delegations__participant_count"),
        )
    )


def record(seminar, origin):
    row = {
        "edition": seminar.edition,
        "fiscal_year": seminar.fiscal_year,
        "start_date": seminar.start_date.isoformat() if seminar.start_date else None,
        "end_date": seminar.end_date.isoformat() if seminar.end_date else None,
    }
    for name, obj, attr in (("city", seminar.city, "name"), ("province", seminar.city, "province")):
        for lang in LANGUAGES:
            row[f"{name}_{SUFFIX[lang]}"] = getattr(obj, f"{attr}_{SUFFIX[lang]}") or ""
    for lang in LANGUAGES:
        row[f"theme_{SUFFIX[lang]}"] = getattr(seminar, f"theme_{SUFFIX[lang]}") or ""
    for side in ("japan", "china", "total"):
        row[f"participants_{side}"] = getattr(seminar, f"participants_{side}")
    for lang in LANGUAGES:
        with override(lang):
            row[f"url_{SUFFIX[lang]}"] = origin + seminar.get_absolute_url()
    return {name: row[name] for name in FIELDS}


def records(origin):
    return [record(seminar, origin) for seminar in editions()]


def formula_safe(value):
    """Empty for None; otherwise the participant exports' escaping (numbers stay numbers)."""
    return "" if value is None else safe_cell(value)


def as_csv(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([formula_safe(row[name]) for name in FIELDS])
    return buffer.getvalue().encode("utf-8")


def _in(language, message):
    with override(language):
        return gettext(message)


def as_json(rows):
    document = {
        "title": {lang: _in(lang, SERIES) for lang in LANGUAGES},
        "licence": licence(),
        "fields": list(FIELDS),
        "editions": rows,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def description_url():
    return reverse("seminars:open_data")
