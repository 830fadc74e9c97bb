"""`{% pdf_unavailable as reason %}`: why PDFs cannot be made here (None when they can)."""

from django import template

from seminars.takeaway.pdf import unavailable_reason

register = template.Library()


@register.simple_tag
def pdf_unavailable():
    return unavailable_reason()
