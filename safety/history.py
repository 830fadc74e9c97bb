"""Change history (django-simple-history) of the content models, stored in the safety app."""

import simple_history
from django.apps import apps

HISTORY_MODELS = [
    "seminars.Seminar",
    "seminars.Organizer",
    "seminars.AgendaItem",
    "seminars.Photo",
    "seminars.Organization",
    "seminars.City",
    "participants.Delegation",
    "participants.Participant",
]


def register_models():
    from simple_history.models import registered_models

    for label in HISTORY_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in registered_models:
            continue
        simple_history.register(model, app="safety")
