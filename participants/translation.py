from modeltranslation.translator import TranslationOptions, register

from .models import Delegation, Participant


@register(Delegation)
class DelegationTranslationOptions(TranslationOptions):
    fields = ("description",)


@register(Participant)
class ParticipantTranslationOptions(TranslationOptions):
    fields = ("name", "position", "organization")
