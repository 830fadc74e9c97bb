"""The publish permission needs a content type: a proxy of Seminar carries it (no table)."""

from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar


class SeminarPublication(Seminar):
    """The publication side of an edition; exists for the `editorial.publish_seminar` permission."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("publish_seminar", _("Can publish and unpublish seminars"))]
        verbose_name = _("seminar publication")
        verbose_name_plural = _("seminar publications")
