"""The content models: everything the public pages show and staff edit, listed once.

Imported by the role definitions, the history registration, the write guards and the page cache.
"""

from django.apps import apps

CONTENT_MODELS = [
    "seminars.City",
    "seminars.Seminar",
    "seminars.Organization",
    "seminars.Organizer",
    "seminars.AgendaItem",
    "seminars.Photo",
    "seminars.SiteSettings",
    "participants.Delegation",
    "participants.Participant",
]


def content_models():
    """The model classes of CONTENT_MODELS (call once the app registry is ready)."""
    return [apps.get_model(label) for label in CONTENT_MODELS]
