"""Template helpers for bilingual content: translated fields with a marked fallback, dates,
fiscal years and the labels whose wording must match the seed reports."""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext, pgettext
from modeltranslation.utils import build_localized_fieldname

register = template.Library()

# BCP 47 tags for the lang attribute: the same Han code points draw differently per language.
HTML_LANG = {"ja": "ja", "zh-hans": "zh-Hans"}

# Japanese eras by the calendar year in which their first full fiscal year starts.
# FY2019 is 令和元年度 although the era began on 1 May 2019; FY1989 is 平成元年度.
ERAS = ((2019, "令和"), (1989, "平成"), (1926, "昭和"))


# Each language first, then the others: the order in which a translated field is looked up.
LOOKUP_ORDER = {
    code: (code, *(other for other, _name in settings.LANGUAGES if other != code))
    for code, _name in settings.LANGUAGES
}
# An edition page looks up ~200 translated fields: build each attribute name once per process.
localized_fieldname = lru_cache(maxsize=512)(build_localized_fieldname)


def current_language():
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in HTML_LANG else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class LocalizedText:
    """A translated field's text, with the language it is actually in."""

    text: str
    lang: str
    is_fallback: bool

    @property
    def html_lang(self):
        return HTML_LANG[self.lang]

    def __str__(self):
        return self.text

    @property
    def marked(self):
        """The text for the page: a fallback in its own language, with the visible marker."""
        if not self.is_fallback:
            return self.text
        return format_html(
            '<span lang="{}">{}</span> <small class="fallback-note">{}</small>',
            self.html_lang,
            self.text,
            fallback_marker(self.lang),
        )


def localized_text(obj, field):
    """The field in the active language, else in the other language (flagged as a fallback)."""
    order = LOOKUP_ORDER[current_language()]
    for position, language in enumerate(order):
        value = getattr(obj, localized_fieldname(field, language), "") or ""
        if value.strip():
            return LocalizedText(value, language, is_fallback=position > 0)
    return LocalizedText("", order[0], is_fallback=False)


def fallback_marker(language):
    if language == "ja":
        return pgettext("fallback marker", "Japanese only")
    return pgettext("fallback marker", "Chinese only")


@register.simple_tag
def field_text(obj, field):
    """`{% field_text obj "name" as var %}`: a LocalizedText for attributes and titles."""
    return localized_text(obj, field)


@register.simple_tag
def field(obj, field):
    """`{% field obj "theme" %}`: the text, or the marked fallback in its own language."""
    return localized_text(obj, field).marked


@register.simple_tag
def html_lang():
    return HTML_LANG[current_language()]


@register.filter
def clock(value):
    """14:30: a time of day (cheaper than the `time` filter, which resolves locale formats)."""
    return value.strftime("%H:%M") if value else ""


@register.filter
def edition_label(edition):
    """第N回 / 第N届."""
    return pgettext("edition", "No. %(edition)s") % {"edition": edition}


@register.filter
def fiscal_year_label(year):
    """2018年度（平成30年度） in Japanese, 2018年度 in Chinese."""
    label = pgettext("fiscal year", "FY%(year)s") % {"year": year}
    if current_language() != "ja":
        return label
    for first_year, era in ERAS:
        if year >= first_year:
            number = year - first_year + 1
            era_year = "元" if number == 1 else str(number)
            return f"{label}（{era}{era_year}年度）"
    return label


@register.filter
def fiscal_year_short(year):
    """2018年度, without the Japanese era."""
    return pgettext("fiscal year", "FY%(year)s") % {"year": year}


WEEKDAYS = (
    lambda: pgettext("weekday", "Mon"),
    lambda: pgettext("weekday", "Tue"),
    lambda: pgettext("weekday", "Wed"),
    lambda: pgettext("weekday", "Thu"),
    lambda: pgettext("weekday", "Fri"),
    lambda: pgettext("weekday", "Sat"),
    lambda: pgettext("weekday", "Sun"),
)


def _parts(day):
    return {
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "weekday": WEEKDAYS[day.weekday()](),
    }


def full_date(day):
    return pgettext("date", "%(weekday)s %(month)s/%(day)s/%(year)s") % _parts(day)


@register.filter
def day_label(day):
    """7月11日(水) / 7月11日（星期三）: an agenda day heading."""
    if not day:
        return ""
    return pgettext("date", "%(weekday)s %(month)s/%(day)s") % _parts(day)


@register.filter
def full_date_label(moment):
    """2026年11月30日(月): a date, or a datetime in the site's time zone."""
    if not moment:
        return ""
    if hasattr(moment, "hour"):
        from django.utils.timezone import localtime

        moment = localtime(moment).date()
    return full_date(moment)


@register.simple_tag
def date_range(start, end):
    """2018年7月11日(水)～13日(金) / 2018年7月11日（星期三）至13日（星期五）."""
    if not start:
        return ""
    if not end or end == start:
        return full_date(start)
    if end.year != start.year:
        end_text = full_date(end)
    elif end.month != start.month:
        end_text = day_label(end)
    else:
        end_text = pgettext("date", "%(weekday)s %(day)s") % _parts(end)
    return pgettext("date range", "%(start)s – %(end)s") % {
        "start": full_date(start),
        "end": end_text,
    }


@register.filter
def people_count(number):
    """147人."""
    return ngettext("%(count)s person", "%(count)s people", number) % {"count": number}


@register.simple_tag
def city_name(city):
    """綿陽市（四川省）; municipalities such as Beijing without a province. The city and the
    province are each kept whole on a line (`.np`: no チチ/ハル市, no 黒竜/江省)."""
    name = format_html('<span class="np">{}</span>', field(city, "name"))
    if not localized_text(city, "province").text:
        return name
    template = pgettext("city with province", "%(city)s (%(province)s)")
    return format_html(
        template.replace("%(city)s", "{city}").replace("%(province)s", "{province}"),
        city=name,
        province=format_html('<span class="np">{}</span>', field(city, "province")),
    )
