"""The review page of an edition: where it stands, its steps and comments, and the steps the
staff member may take (mark ready, take back, approve, request changes, schedule). Every step
is taken by seminars.record.review.transition, which decides and refuses; this page only asks it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seminars.models import ReviewAction, Seminar
from seminars.record import permissions, review, review_history, versions

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ReviewStepForm(forms.Form):
    step = forms.ChoiceField(choices=ReviewAction.choices)
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, max_length=4000, widget=forms.Textarea
    )
    field = forms.ChoiceField(label=gettext_lazy("On the field"), required=False)
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Publish at (China time)"), required=False, widget=DATETIME_INPUT
    )
    unpublish_at = forms.DateTimeField(
        label=gettext_lazy("Unpublish at (China time)"), required=False, widget=DATETIME_INPUT
    )
    edition_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [
            ("", _("The whole edition")),
            *review.commentable_fields(),
        ]


BUTTONS = {
    ReviewAction.SUBMIT: gettext_lazy("Mark ready for review"),
    ReviewAction.WITHDRAW: gettext_lazy("Take back from review"),
    ReviewAction.REQUEST_CHANGES: gettext_lazy("Request changes"),
    ReviewAction.APPROVE: gettext_lazy("Approve"),
}
DONE = {
    ReviewAction.SUBMIT: gettext_lazy("%(seminar)s is ready for review; the publishers are told."),
    ReviewAction.WITHDRAW: gettext_lazy("%(seminar)s was taken back from review."),
    ReviewAction.REQUEST_CHANGES: gettext_lazy("Changes to %(seminar)s were requested."),
    ReviewAction.APPROVE: gettext_lazy("%(seminar)s is approved: it can be published."),
    ReviewAction.SCHEDULE: gettext_lazy("The schedule of %(seminar)s is saved."),
}


def review_page(model_admin, request, object_id):
    """GET: the page; POST: one step, then back here with what was done (or the refusal and
    what was typed)."""
    seminar = get_object_or_404(Seminar, pk=object_id)
    if not model_admin.has_view_or_change_permission(request, seminar):
        raise PermissionDenied
    form = ReviewStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _take(seminar, form.cleaned_data, request.user)
        except review.ReviewRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            done = DONE[form.cleaned_data["step"]] % {"seminar": seminar}
            model_admin.message_user(request, done, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
    context = _context(model_admin, request, seminar, form)
    return render(request, "admin/seminars/seminar/review.html", context)


def _take(seminar, data, user):
    step = data["step"]
    if step == ReviewAction.SCHEDULE:
        schedule = {"publish_at": data["publish_at"], "unpublish_at": data["unpublish_at"]}
        return review.transition(seminar, step, user, **schedule)
    if step not in review.STEPS:
        raise review.ReviewRefused(_("Unknown review step."))
    version = data["edition_version"] or None
    return review.transition(
        seminar, step, user, comment=data["comment"], field=data["field"], version=version
    )


def _context(model_admin, request, seminar, form):
    state = review.current(seminar)
    offered = review.offered_steps(seminar, state, request.user)
    if not form.is_bound:
        form.initial = {
            "edition_version": versions.current(seminar.pk).number,
            "publish_at": state.publish_at,
            "unpublish_at": state.unpublish_at,
        }
    opts = model_admin.opts
    return {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": seminar,
        "title": _("Review of %(seminar)s") % {"seminar": seminar},
        "review": state,
        "state_label": review.ReviewState(state.state).label,
        "form": form,
        "steps": [(step, BUTTONS[step]) for step in offered if step in review.STEPS],
        "may_schedule": ReviewAction.SCHEDULE in offered,
        "publish_url": _publish_url(opts, seminar, state, request.user),
        "entries": list(reversed(review_history.entries(seminar))),
    }


def _publish_url(opts, seminar, state, user):
    if seminar.is_published or state.state != review.APPROVED or not permissions.may_publish(user):
        return ""
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_publish", args=[seminar.pk])
