"""Change history (django-simple-history) of the content models, stored in the safety app."""

import simple_history
from django.apps import apps

from seminars.content import CONTENT_MODELS

HISTORY_MODELS = CONTENT_MODELS


def register_models():
    from simple_history.models import registered_models

    for label in HISTORY_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in registered_models:
            continue
        simple_history.register(model, app="safety")
