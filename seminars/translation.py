"""The fields kept in Japanese and Simplified Chinese (modeltranslation adds `<field>_ja` and
`<field>_zh_hans` columns). Registered from one table with modeltranslation's own
`translator.register(model, fields=…)`, which builds each options class."""

from modeltranslation.translator import translator

from .models import AgendaItem, City, InfoPage, Organization, Photo, Seminar, SiteSettings

TRANSLATED_FIELDS = {
    City: ("name", "province"),
    Seminar: ("title", "theme", "summary"),
    Organization: ("name",),
    AgendaItem: ("title", "venue", "description"),
    Photo: ("caption",),
    SiteSettings: ("publisher_name", "short_name", "introduction", "contact", "copyright"),
    InfoPage: ("title", "body"),
}

for model, fields in TRANSLATED_FIELDS.items():
    translator.register(model, fields=fields)
