"""The translator's workbench: every translated field of an edition, source beside target.

Wired into the seminar admin's URLs (seminars/admin/editions.py) behind `admin_view`:
`<id>/translate/` (the page; saving posts to it), `…/translate/export.xlf` and `export.xlsx` (the
offline files), `…/translate/import/` (POST: a file, answered with its preview; the preview's
confirmation posts the changes to the page's save, with the edition's version it was made at).
Who may see and save is asked of seminars.record.permissions; the writes are
seminars.record.workbench_strings.save_translations (write guard, version, history, page cache).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from seminars.models import Seminar
from seminars.record import permissions, translation_files, versions
from seminars.record import workbench_strings as strings_
from seminars.record.completeness import language_name, languages
from seminars.record.translation_state import other_language

TEMPLATE = "admin/seminars/seminar/workbench.html"
IMPORT_TEMPLATE = "admin/seminars/seminar/workbench_import.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url(model_admin, name, seminar):
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=[seminar.pk])


def _choice(request, key, choices, default):
    """A query or form parameter among `choices`; anything else is a malformed URL (404)."""
    value = request.POST.get(key) or request.GET.get(key) or default
    if value not in choices:
        raise Http404
    return value


def _seminar_for(model_admin, request, object_id):
    if not permissions.may_view_or_change(request.user, Seminar):
        raise PermissionDenied
    seminar = strings_.load(object_id)
    if seminar is None:
        raise Http404
    return seminar


def _page_url(model_admin, seminar, source, show):
    query = urlencode({"source": source, "show": show})
    return f"{_url(model_admin, 'translate', seminar)}?{query}"


def workbench(model_admin, request, object_id):
    seminar = _seminar_for(model_admin, request, object_id)
    source = _choice(request, "source", languages(), languages()[0])
    show = _choice(request, "show", strings_.FILTERS, "all")
    if request.method == "POST":
        return _save(model_admin, request, seminar, source, show)
    return _render(model_admin, request, seminar, source, show)


def _save(model_admin, request, seminar, source, show):
    sections = strings_.edition_strings(seminar, source)
    everything = strings_.all_strings(sections)
    changes = strings_.changed_targets(everything, request.POST)
    confirm = request.POST.getlist("still_correct")
    try:
        count = strings_.save_translations(
            seminar, source, changes, request.POST.get("edition_version"), request.user, confirm
        )
    except (ValidationError, strings_.TranslationsRefused) as refusal:
        errors = (
            refusal.messages
            if isinstance(refusal, strings_.TranslationsRefused)
            else strings_.stale_version_message(refusal)
        )
        return _render(
            model_admin, request, seminar, source, show, errors=errors, typed=request.POST
        )
    if count:
        model_admin.log_change(
            request,
            seminar,
            _("Translated on the workbench: %(count)d field(s).") % {"count": count},
        )
        model_admin.message_user(
            request, _("%(count)d field(s) saved.") % {"count": count}, messages.SUCCESS
        )
    else:
        model_admin.message_user(request, _("Nothing was changed."), messages.INFO)
    return HttpResponseRedirect(_page_url(model_admin, seminar, source, show))


def _render(model_admin, request, seminar, source, show, errors=(), typed=None):
    """The page; after a refused save (`typed`: the posted form) with what was typed."""
    target = other_language(source)
    sections = strings_.edition_strings(seminar, source)
    counts = {key: 0 for key in strings_.FILTERS}
    for string in strings_.all_strings(sections):
        counts["all"] += string.state != strings_.UNUSED
        counts[string.state] = counts.get(string.state, 0) + 1
        if typed is not None and string.input_name in typed:
            string.target = typed[string.input_name]
    shown = [(key, title, [s for s in rows if s.shown(show)]) for key, title, rows in sections]
    loaded = typed.get("edition_version") if typed else versions.current(seminar.pk).number
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": seminar,
        "title": _("Translate %(seminar)s") % {"seminar": seminar},
        "sections": [section for section in shown if section[2]],
        **_languages(source, target),
        "show": show,
        "filters": _filters(model_admin, seminar, source, counts),
        "switch_url": _page_url(model_admin, seminar, target, show),
        "progress": _progress(seminar),
        "version": loaded,
        "errors": errors,
        "save_refusal": strings_.save_refusal(request.user),
        **_links(model_admin, seminar, source),
    }
    return render(request, TEMPLATE, context)


def _languages(source, target):
    return {
        "source": source,
        "target": target,
        "source_name": language_name(source),
        "target_name": language_name(target),
        "source_lang": _html_lang(source),
        "target_lang": _html_lang(target),
    }


def _filters(model_admin, seminar, source, counts):
    return [
        {
            "key": key,
            "label": label,
            "count": counts.get(key, 0),
            "url": _page_url(model_admin, seminar, source, key),
        }
        for key, label in _filter_labels()
    ]


def _links(model_admin, seminar, source):
    return {
        "change_url": _url(model_admin, "change", seminar),
        "export_xliff_url": f"{_url(model_admin, 'translate_xliff', seminar)}?source={source}",
        "export_xlsx_url": f"{_url(model_admin, 'translate_xlsx', seminar)}?source={source}",
        "import_url": _url(model_admin, "translate_import", seminar),
    }


def _filter_labels():
    return [
        ("missing", _("Missing")),
        ("stale", _("Stale")),
        ("all", _("All")),
    ]


def _html_lang(code):
    return "zh-Hans" if code == "zh-hans" else code


def _progress(seminar):
    rows = strings_.progress(seminar)
    for row in rows:
        row["name"] = language_name(row["language"])
    return rows


# --- files --------------------------------------------------------------------------------


def export(model_admin, request, object_id, kind):
    seminar = _seminar_for(model_admin, request, object_id)
    source = _choice(request, "source", languages(), languages()[0])
    sections = strings_.edition_strings(seminar, source)
    if kind == "xliff":
        data = translation_files.export_xliff(seminar, sections, source)
        content_type, extension = "application/xliff+xml", "xlf"
    else:
        data = translation_files.export_xlsx(seminar, sections, source)
        content_type, extension = XLSX_TYPE, "xlsx"
    response = HttpResponse(data, content_type=content_type)
    name = translation_files.file_name(seminar, source, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def export_xliff(model_admin, request, object_id):
    return export(model_admin, request, object_id, "xliff")


def export_xlsx(model_admin, request, object_id):
    return export(model_admin, request, object_id, "xlsx")


def import_preview(model_admin, request, object_id):
    """POST with a file: what it would change, or why it is refused (nothing is written here)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    seminar = _seminar_for(model_admin, request, object_id)
    reason = strings_.save_refusal(request.user)
    if reason:
        raise PermissionDenied(reason)
    source = _choice(request, "source", languages(), languages()[0])
    sections = strings_.edition_strings(seminar, source)
    upload = request.FILES.get("file")
    plan = translation_files.Plan()
    if upload is None:
        plan.refusals.append(_("Choose a file to import."))
    else:
        try:
            incoming = translation_files.read_file(upload)
        except translation_files.FileRefused as refused:
            plan.refusals.append(str(refused))
        else:
            plan = translation_files.plan_import(seminar, sections, source, incoming)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": seminar,
        "title": _("Import translations into %(seminar)s") % {"seminar": seminar},
        "plan": plan,
        "source": source,
        "target_lang": _html_lang(other_language(source)),
        "source_lang": _html_lang(source),
        "version": versions.current(seminar.pk).number,
        "save_url": _url(model_admin, "translate", seminar),
        "back_url": _page_url(model_admin, seminar, source, "all"),
    }
    status = 400 if plan.refusals else 200
    return render(request, IMPORT_TEMPLATE, context, status=status)
