from modeltranslation.translator import TranslationOptions, translator

from .models import AgendaItem, City, Organization, Photo, Seminar, SiteSettings


def register_translated_fields(fields_by_model):
    """Registers each model's translated fields (a `<Model>TranslationOptions` class apiece)."""
    for model, fields in fields_by_model.items():
        options = type(
            f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": fields}
        )
        translator.register(model, options)


register_translated_fields(
    {
        City: ("name", "province"),
        Seminar: ("title", "theme", "summary"),
        Organization: ("name",),
        AgendaItem: ("title", "venue", "description"),
        Photo: ("caption",),
        SiteSettings: ("publisher_name", "short_name", "introduction", "contact", "copyright"),
    }
)
