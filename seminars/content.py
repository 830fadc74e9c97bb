"""The content models: every model whose rows the public pages show.

One list, imported wherever a module needs it (cache invalidation, history, exports).
"""

from django.apps import apps

CONTENT_MODELS = [
    "seminars.City",
    "seminars.Seminar",
    "seminars.Organization",
    "seminars.Organizer",
    "seminars.AgendaItem",
    "seminars.Photo",
    "participants.Delegation",
    "participants.Participant",
]


def content_models():
    """The model classes of CONTENT_MODELS (call once the app registry is ready)."""
    return [apps.get_model(label) for label in CONTENT_MODELS]
