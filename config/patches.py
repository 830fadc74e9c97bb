"""A patch of Django, applied in SiteConfig.ready(); remove it when Django fixes the bug."""

from django.core.exceptions import ValidationError


def patch_autocomplete_widgets():
    """Make the admin's autocomplete widgets survive a malformed submitted id.

    On a form error the admin renders the widget again with the submitted value, and Django's
    AutocompleteMixin.optgroups() queries `pk__in=[value]` unchecked: "abc" raised a ValueError
    (a 500) instead of showing the field's "Select a valid choice" error. Values the target field
    cannot hold are dropped before that query; the form field still reports them.
    """
    from django.contrib.admin.widgets import AutocompleteMixin

    original = AutocompleteMixin.optgroups
    if getattr(original, "project_patched", False):
        return

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.attname)
        return original(self, name, [v for v in value if _holds(target, v)], attr)

    optgroups.project_patched = True
    AutocompleteMixin.optgroups = optgroups


def _holds(field, value):
    try:
        field.run_validators(field.to_python(value))  # includes the database's integer range
    except ValidationError:
        return False
    return True
