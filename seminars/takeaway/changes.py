"""One clock for "changed": an edition's last change is the later of its own row's change and
the last save of anything in it (seminars.record.versions: EditionVersion.saved_at). The sitemap's
lastmod, the feed's entry dates and the PDFs' Last-Modified all read it; the footer's "last
updated" (SiteSettings.last_updated) is the latest of them and of the site's own texts, and the
feed's `updated` is that same value."""

from django.db.models import DateTimeField
from django.db.models.functions import Coalesce, Greatest


def with_changed(queryset):
    """The editions, each with `changed`: its last change (one column, no extra query)."""
    return queryset.annotate(
        changed=Greatest(
            "updated_at",
            Coalesce("version__saved_at", "updated_at"),
            output_field=DateTimeField(),
        )
    )


def changed_of(updated_at, saved_at):
    """The same, from the two values (a values() row)."""
    return max(t for t in (updated_at, saved_at) if t is not None) if updated_at else saved_at
