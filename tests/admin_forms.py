"""Build a valid admin POST from a rendered change/add page, as a browser would submit it."""


def _field_value(bound_field):
    value = bound_field.value()
    widget = bound_field.field.widget
    if value is None:
        return ""
    if hasattr(widget, "format_value") and not isinstance(value, (list, tuple, bool)):
        formatted = widget.format_value(value)
        return "" if formatted is None else formatted
    return value


def _add_form(data, form):
    for bound_field in form:
        value = _field_value(bound_field)
        if isinstance(value, bool):
            if value:
                data[bound_field.html_name] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[bound_field.html_name] = [str(v) for v in value]
            continue
        # Split date/time widgets render as two inputs.
        if hasattr(bound_field.field.widget, "widgets") and isinstance(value, (list, tuple)):
            for i, part in enumerate(value):
                data[f"{bound_field.html_name}_{i}"] = part
            continue
        data[bound_field.html_name] = value


def admin_form_data(response):
    """The data a browser would POST back unchanged from an admin change or add page."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    return data


def change_url(seminar):
    from django.urls import reverse

    return reverse("admin:seminars_seminar_change", args=[seminar.pk])


def history_url(seminar):
    from django.urls import reverse

    return reverse("admin:seminars_seminar_history", args=[seminar.pk])


def edition_form(client, seminar):
    """An edition's change page as a browser would POST it back, without the file inputs."""
    data = admin_form_data(client.get(change_url(seminar)))
    return {k: v for k, v in data.items() if not (k.endswith("-image") and not isinstance(v, str))}
