"""`{% pdf_unavailable as reason %}`: why PDFs cannot be made here (None when they can);
`seminar|has_programme`, `seminar|has_calendar`, `seminar|offers_pdf:"report"`: what an edition
offers to take away (seminars.takeaway.store), so that no link leads to an empty thing."""

from django import template

from seminars.takeaway import store
from seminars.takeaway.pdf import unavailable_reason

register = template.Library()


@register.simple_tag
def pdf_unavailable():
    return unavailable_reason()


@register.filter
def has_programme(seminar):
    return store.has_programme(seminar)


@register.filter
def has_calendar(seminar):
    return store.has_calendar(seminar)


@register.filter
def offers_pdf(seminar, kind):
    return kind in store.offered_kinds(seminar)
