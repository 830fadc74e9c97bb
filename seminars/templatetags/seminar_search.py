"""The search box of every public page's header, and the language of a search match."""

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

from seminars.search.query import MAX_QUERY_LENGTH
from seminars.templatetags.seminar_i18n import HTML_LANG, current_language

register = template.Library()


def search_enabled():
    """False in the static copy (manage.py export_site): no server answers a search there."""
    return getattr(settings, "SEARCH_ENABLED", True)


@register.inclusion_tag("includes/search_box.html", takes_context=True)
def search_box(context):
    """A plain GET form (works without JavaScript); on the search page it holds the query."""
    result = context.get("result")
    return {
        "enabled": search_enabled() and not context.get("is_preview"),
        "query": getattr(result, "query", ""),
        "max_length": MAX_QUERY_LENGTH,
    }


@register.simple_tag
def match_language(match):
    """{"lang": …, "name": …} of a match in the other language than the page's, else None."""
    if match.language == current_language():
        return None
    return {
        "lang": HTML_LANG[match.language],
        "name": get_language_info(match.language)["name_local"],
    }
