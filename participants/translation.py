"""The participants' fields kept in both languages (see seminars/translation.py)."""

from modeltranslation.translator import translator

from .models import Delegation, Participant

TRANSLATED_FIELDS = {
    Delegation: ("description",),
    Participant: ("name", "position", "organization"),
}

for model, fields in TRANSLATED_FIELDS.items():
    translator.register(model, fields=fields)
