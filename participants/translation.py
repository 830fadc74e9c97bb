from seminars.translation import register_translated_fields

from .models import Delegation, Participant

register_translated_fields(
    {
        Delegation: ("description",),
        Participant: ("name", "position", "organization"),
    }
)
