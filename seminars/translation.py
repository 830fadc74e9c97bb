from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, City, Organization, Photo, Seminar, SiteSettings


@register(City)
class CityTranslationOptions(TranslationOptions):
    fields = ("name", "province")


@register(Seminar)
class SeminarTranslationOptions(TranslationOptions):
    fields = ("title", "theme", "summary")


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "venue", "description")


@register(Photo)
class PhotoTranslationOptions(TranslationOptions):
    fields = ("caption",)


@register(SiteSettings)
class SiteSettingsTranslationOptions(TranslationOptions):
    fields = ("publisher_name", "short_name", "introduction", "contact", "copyright")
