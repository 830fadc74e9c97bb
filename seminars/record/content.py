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


# Edited like the content (the roles, the write guard, the page cache and the change history)
# but belonging to no edition: the site's own information pages (site policy, privacy,
# accessibility).
SITE_TEXT_MODELS = ["seminars.InfoPage"]
EDITED_MODELS = CONTENT_MODELS + SITE_TEXT_MODELS


def content_models():
    """The model classes of CONTENT_MODELS (call once the app registry is ready)."""
    return [apps.get_model(label) for label in CONTENT_MODELS]


def edited_models():
    """The model classes of EDITED_MODELS: the content and the site's information pages."""
    return [apps.get_model(label) for label in EDITED_MODELS]
