"""The admin pages of the editorial workflow: preview in either language, publish, unpublish.

Each view is wired into the seminar admin's URLs (seminars/admin/editions.py), behind `admin_view`.
Publishing and unpublishing both ask for confirmation; the write guard logs them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seminars.models import Seminar, TrashedEdition
from seminars.record import permissions, review, trash, versions
from seminars.record.completeness import languages, missing_fields, with_translation_prefetch


def _neighbours(seminar):
    """The published editions around it, as the public page links them."""
    neighbours = list(Seminar.objects.published().neighbours_of(seminar))
    previous = next((s for s in neighbours if s.edition < seminar.edition), None)
    following = next((s for s in neighbours if s.edition > seminar.edition), None)
    return previous, following


def preview(model_admin, request, object_id, lang):
    """An edition as the public page shows it, in `lang`, draft or not; never cached or indexed."""
    if lang not in languages():
        raise Http404
    seminar = get_object_or_404(Seminar.objects.for_detail(), pk=object_id)
    if not model_admin.has_view_or_change_permission(request, seminar):
        raise PermissionDenied
    previous, following = _neighbours(seminar)
    context = {
        "seminar": seminar,
        "previous_seminar": previous,
        "next_seminar": following,
        "is_preview": True,
    }
    admin_language = getattr(request, "LANGUAGE_CODE", None)
    with translation.override(lang):
        request.LANGUAGE_CODE = lang
        response = render(request, "seminars/detail.html", context)
    request.LANGUAGE_CODE = admin_language
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _change_url(model_admin, seminar):
    opts = model_admin.opts
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[seminar.pk])


def previews(model_admin, seminar):
    """The admin preview of `seminar` in every language, each named in its own language."""
    opts = model_admin.opts
    name = f"admin:{opts.app_label}_{opts.model_name}_preview"
    return [
        {
            "url": reverse(name, args=[seminar.pk, lang]),
            "name": translation.get_language_info(lang)["name_local"],
            "lang": lang,
        }
        for lang in languages()
    ]


def confirmation_page(model_admin, request, seminars, *, form_action, hidden, cancel_url, moved=()):
    """The one publish page, for the edition page's button and the list action alike: each
    edition with its previews in both languages and what is missing (or that nothing is). The
    form carries the version of each edition as shown, so a change made meanwhile is shown too."""
    editions = [
        {
            "seminar": seminar,
            "missing": missing_fields(seminar),
            "previews": previews(model_admin, seminar),
            "moved": seminar in moved,
        }
        for seminar in seminars
    ]
    stamps = [(_version_key(s), versions.current(s.pk).number) for s in seminars]
    unapproved = [s for s in seminars if review.needs_reason(s)]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": (
            _("Publish with missing translations?")
            if any(edition["missing"] for edition in editions)
            else _("Publish?")
        ),
        "editions": editions,
        "moved": moved,
        "form_action": form_action,
        "hidden": [*hidden, *stamps],
        "cancel_url": cancel_url,
        # A draft never approved is published only with a reason (kept in its history).
        "unapproved": unapproved,
        "reason": request.POST.get("reason", ""),
        "reason_missing": bool(unapproved) and _confirmed_without_reason(request),
    }
    return render(request, "admin/seminars/seminar/publish_confirmation.html", context)


def _confirmed_without_reason(request):
    return request.POST.get("post") == "yes" and not request.POST.get("reason", "").strip()


def _version_key(seminar):
    return f"version-{seminar.pk}"


def publish_decision(request, seminars):
    """(ask, moved): publish only on "Yes, publish" from the page that showed these editions
    as they are now; `moved`: those saved by someone since that page was shown."""
    if request.method != "POST" or request.POST.get("post") != "yes":
        return True, []
    moved = [
        seminar
        for seminar in seminars
        if _version_key(seminar) in request.POST
        and request.POST[_version_key(seminar)] != str(versions.current(seminar.pk).number)
    ]
    unapproved = any(review.needs_reason(s) for s in seminars)
    return bool(moved) or (unapproved and _confirmed_without_reason(request)), moved


def publish_drafts(request, seminars):
    """Publish the drafts among `seminars` (a published edition keeps its publication date),
    through the review (an unapproved draft with the reason given on the page)."""
    reason = request.POST.get("reason", "")
    for seminar in seminars:
        if not seminar.is_published:
            review.transition(seminar, review.PUBLISH, request.user, reason=reason)


def public_urls(request, seminars):
    """The public pages of `seminars` in every language, as absolute URLs."""
    urls = []
    for seminar in seminars:
        for language in languages():
            with translation.override(language):
                urls.append(request.build_absolute_uri(seminar.get_absolute_url()))
    return urls


def unpublish_confirmation_page(model_admin, request, seminars, *, form_action, hidden, cancel_url):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Unpublish?"),
        "seminars": seminars,
        "public_urls": public_urls(request, [s for s in seminars if s.is_published]),
        "form_action": form_action,
        "hidden": hidden,
        "cancel_url": cancel_url,
    }
    return render(request, "admin/seminars/seminar/unpublish_confirmation.html", context)


def unpublish_all(request, seminars):
    for seminar in seminars:
        if seminar.is_published:
            review.transition(seminar, review.UNPUBLISH, request.user)


@dataclass(frozen=True)
class Step:
    """A step of the editorial workflow: what it does, its confirmation page, what it says done."""

    apply: Callable  # applied to the request and the list of seminars
    page: Callable
    done_one: str  # formatted with %(seminar)s
    done_many: str  # formatted with %(count)d
    level: int


PUBLISH = Step(
    publish_drafts,
    confirmation_page,
    gettext_lazy("%(seminar)s is published."),
    gettext_lazy("%(count)d seminar(s) published."),
    messages.SUCCESS,
)
UNPUBLISH = Step(
    unpublish_all,
    unpublish_confirmation_page,
    gettext_lazy("%(seminar)s is a draft again."),
    gettext_lazy("%(count)d seminar(s) are drafts again."),
    messages.WARNING,
)


def confirm_then_apply(model_admin, request, step, seminars, *, ask, subject, form, done):
    """While `ask`, the step's confirmation page about `subject` (`form`: where it posts, its
    hidden fields, where Cancel goes); else the step applied to each seminar and the message
    `done`. None when done."""
    if ask:
        return step.page(model_admin, request, subject, **form)
    step.apply(request, seminars)
    model_admin.message_user(request, done, step.level)
    return None


def _confirm_then_apply_one(model_admin, request, step, seminar, *, ask, subject, moved=()):
    """confirm_then_apply on one edition's own page; back to its change page when done."""
    change_url = _change_url(model_admin, seminar)
    form = {"form_action": request.path, "hidden": [], "cancel_url": change_url}
    if moved:
        form["moved"] = moved
    done = step.done_one % {"seminar": seminar}
    response = confirm_then_apply(
        model_admin, request, step, [seminar], ask=ask, subject=subject, form=form, done=done
    )
    return HttpResponseRedirect(change_url) if response is None else response


def publish(model_admin, request, object_id):
    """Publish one edition after "Yes, publish" on the confirmation page (previews, what is
    missing); back on its page with the message."""
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    seminar = get_object_or_404(with_translation_prefetch(Seminar.objects.all()), pk=object_id)
    ask, moved = publish_decision(request, [seminar])
    return _confirm_then_apply_one(
        model_admin, request, PUBLISH, seminar, ask=ask, subject=[seminar], moved=moved
    )


def unpublish(model_admin, request, object_id):
    """Back to draft after "Yes, unpublish": the public pages (listed first) answer 404."""
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    seminar = get_object_or_404(Seminar, pk=object_id)
    ask = not (request.method == "POST" and request.POST.get("post") == "yes")
    return _confirm_then_apply_one(
        model_admin, request, UNPUBLISH, seminar, ask=ask, subject=[seminar]
    )


def editing_context(model_admin, request, seminar):
    """For the edition's page: who else has it open or just saved it; the page itself is marked
    as open by whoever may change it (refreshed by its heartbeat, see `presence`)."""
    if model_admin.has_change_permission(request, seminar):
        versions.hold(seminar.pk, request.user)
    opts = model_admin.opts
    return {
        "editing_notices": versions.editing_notices(seminar.pk, request.user),
        "presence_url": reverse(
            f"admin:{opts.app_label}_{opts.model_name}_presence", args=[seminar.pk]
        ),
        "presence_seconds": versions.HEARTBEAT_SECONDS,
    }


def presence(model_admin, request, object_id):
    """POST from the open edition page: still open (or left: `left=1`); answers what the page
    should say about the others, as JSON."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    seminar = get_object_or_404(Seminar, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, seminar):
        raise PermissionDenied
    if request.POST.get("left"):
        versions.release(seminar.pk, request.user)
        return JsonResponse({"notices": []})
    if model_admin.has_change_permission(request, seminar):
        versions.hold(seminar.pk, request.user)
    notices = [str(n) for n in versions.editing_notices(seminar.pk, request.user)]
    return JsonResponse({"notices": notices})


def trash_list(model_admin, request):
    """Deleted editions, newest first, with what each holds; restore and purge for publishers."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    entries = [
        {"trashed": trashed, "counts": _labelled_counts(trash.counts(trashed))}
        for trashed in TrashedEdition.objects.select_related("deleted_by")
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Deleted editions"),
        "entries": entries,
        "can_restore": permissions.restore_refusal(request.user) is None,
    }
    return render(request, "admin/seminars/seminar/trash.html", context)


def _labelled_counts(counts):
    labels = []
    for label, count in counts.items():
        model = apps.get_model(label)
        labels.append((str(model._meta.verbose_name_plural), count))
    return labels


def restore_from_trash(model_admin, request, trashed_id):
    """POST: the edition comes back as a draft, row for row, photo files included."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if permissions.restore_refusal(request.user):
        raise PermissionDenied
    trashed = get_object_or_404(TrashedEdition, pk=trashed_id)
    try:
        seminar = trash.restore(trashed, request.user)
    except trash.TrashRefused as refusal:
        model_admin.message_user(request, str(refusal), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:seminars_seminar_trash"))
    model_admin.log_addition(request, seminar, _("Restored from the deleted editions."))
    model_admin.message_user(
        request,
        _("%(seminar)s was restored as a draft.") % {"seminar": seminar},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(_change_url(model_admin, seminar))


def purge_from_trash(model_admin, request, trashed_id):
    """GET: the question; POST with post=yes: the edition and its files are gone for good."""
    if permissions.restore_refusal(request.user):
        raise PermissionDenied
    trashed = get_object_or_404(TrashedEdition, pk=trashed_id)
    if request.method == "POST" and request.POST.get("post") == "yes":
        trash.purge(trashed, request.user)
        model_admin.message_user(
            request,
            _("%(seminar)s was removed for good.") % {"seminar": trashed},
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:seminars_seminar_trash"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Remove for good?"),
        "trashed": trashed,
        "counts": _labelled_counts(trash.counts(trashed)),
    }
    return render(request, "admin/seminars/seminar/purge_confirmation.html", context)
