"""The seminar admin with the editorial workflow: translation status, preview, publish, copy.

Registered last (editorial follows participants in INSTALLED_APPS) over the class chain
seminars.admin.SeminarAdmin → participants.admin.SeminarWithDelegationsAdmin.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.http import HttpResponseRedirect
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from participants.admin import SeminarWithDelegationsAdmin
from participants.models import Delegation, Participant
from seminars.models import AgendaItem, City, Organization, Seminar

from . import services, views
from .roles import PUBLISH_PERMISSION, TranslatorRestrictionMixin
from .translation_status import (
    languages,
    missing_counts,
    missing_fields,
    seminar_complete_q,
    seminar_missing_q,
    with_translation_prefetch,
)


class TranslationStatusFilter(admin.SimpleListFilter):
    """Complete / missing in one language, decided in the database (works with pagination)."""

    title = gettext_lazy("translation status")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = [("complete", _("complete"))]
        for language in languages():
            choices.append(
                (f"missing-{language}", _("missing %(language)s") % {"language": language})
            )
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == "complete":
            return queryset.filter(seminar_complete_q())
        for language in languages():
            if value == f"missing-{language}":
                return queryset.filter(seminar_missing_q(language))
        return queryset


def _prefetching_changelist(base):
    class TranslationStatusChangeList(base):
        def get_queryset(self, request, exclude_parameters=None):
            queryset = super().get_queryset(request, exclude_parameters)
            return with_translation_prefetch(queryset)

    return TranslationStatusChangeList


class EditorialSeminarAdmin(TranslatorRestrictionMixin, SeminarWithDelegationsAdmin):
    change_form_template = "admin/editorial/seminar_change_form.html"
    actions = ["publish_selected", "unpublish_selected", "copy_as_next_edition"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TranslationStatusFilter]

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        return _prefetching_changelist(base if issubclass(base, ChangeList) else ChangeList)

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "missing_translations"]
        if not self.has_publish_permission(request):
            fields += [f for f in ("status", "published_at") if f not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append((_("Translation status"), {"fields": ["missing_translations"]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        """Whoever may set the status by hand gets the publication date filled in too."""
        if obj.is_published and obj.published_at is None and "status" in form.changed_data:
            obj.published_at = timezone.now()
        super().save_model(request, obj, form, change)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    @admin.display(description=gettext_lazy("translation status"))
    def translation_status(self, obj):
        counts = missing_counts(obj)
        if not any(counts.values()):
            return _("complete")
        # The translated languages first, the default (source) language last: a fixed order.
        first, *rest = sorted(counts, key=lambda lang: lang == languages()[0])
        parts = [_("missing %(language)s: %(count)s") % {"language": first, "count": counts[first]}]
        parts += [f"{lang}: {counts[lang]}" for lang in rest]
        return " / ".join(parts)

    @admin.display(description=gettext_lazy("missing translations"))
    def missing_translations(self, obj):
        if obj is None or obj.pk is None:
            return ""
        seminar = with_translation_prefetch(Seminar.objects.filter(pk=obj.pk)).get()
        missing = missing_fields(seminar)
        if not missing:
            return _("Nothing is missing in either language.")
        items = format_html_join("\n", "<li>{}</li>", ((str(m),) for m in missing))
        return format_html("<ul>{}</ul>", items)

    # --- pages ---

    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        own = [
            path(
                "<int:object_id>/preview/<str:lang>/",
                wrap(self._view(views.preview)),
                name=f"{name}_preview",
            ),
            path(
                "<int:object_id>/publish/", wrap(self._view(views.publish)), name=f"{name}_publish"
            ),
            path(
                "<int:object_id>/unpublish/",
                wrap(self._view(views.unpublish)),
                name=f"{name}_unpublish",
            ),
        ]
        return own + super().get_urls()

    def _view(self, view):
        def bound(request, *args, **kwargs):
            return view(self, request, *args, **kwargs)

        return bound

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        opts = self.opts
        names = [
            f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
            f"admin/{opts.app_label}/change_form.html",
            "admin/change_form.html",
        ]
        inherited = super().change_form_template
        context["editorial_base_template"] = select_template(
            [inherited, *names] if inherited else names
        ).template
        if obj is not None and obj.pk is not None:
            context.update(self._editorial_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editorial_context(self, request, obj):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        previews = [
            {
                "url": reverse(f"{name}_preview", args=[obj.pk, lang]),
                "name": get_language_info(lang)["name_local"],
                "lang": lang,
            }
            for lang in languages()
        ]
        return {
            "editorial_previews": previews,
            "editorial_can_publish": self.has_publish_permission(request),
            "editorial_publish_url": reverse(f"{name}_publish", args=[obj.pk]),
            "editorial_unpublish_url": reverse(f"{name}_unpublish", args=[obj.pk]),
        }

    # --- actions ---

    @admin.action(description=gettext_lazy("Publish selected seminars"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        # The changelist's queryset may carry prefetches already: start from the keys.
        selected = Seminar.objects.filter(pk__in=queryset.values("pk")).order_by("edition")
        seminars = list(with_translation_prefetch(selected))
        incomplete = [(s, missing) for s in seminars if (missing := missing_fields(s))]
        if incomplete and request.POST.get("post") != "yes":
            hidden = [("action", "publish_selected")]
            hidden += [(admin.helpers.ACTION_CHECKBOX_NAME, s.pk) for s in seminars]
            return views.confirmation_page(
                self,
                request,
                incomplete,
                form_action=request.get_full_path(),
                hidden=hidden,
                cancel_url=request.get_full_path(),
            )
        for seminar in seminars:
            services.publish(seminar)
            self.log_change(request, seminar, _("Published."))
        self.message_user(
            request,
            _("%(count)d seminar(s) published.") % {"count": len(seminars)},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=gettext_lazy("Unpublish selected seminars"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        seminars = list(queryset)
        for seminar in seminars:
            services.unpublish(seminar)
            self.log_change(request, seminar, _("Unpublished."))
        self.message_user(
            request,
            _("%(count)d seminar(s) are drafts again.") % {"count": len(seminars)},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Copy as next edition (draft)"), permissions=["add"])
    def copy_as_next_edition(self, request, queryset):
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(
                request,
                _("Select exactly one seminar to copy as the next edition."),
                messages.ERROR,
            )
            return None
        try:
            draft = services.copy_as_next_edition(selected[0])
        except services.CopyRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        self.log_addition(request, draft, _("Copied from %(seminar)s.") % {"seminar": selected[0]})
        self.message_user(
            request,
            _("%(draft)s was created as a draft from %(source)s. Fill it in, then publish.")
            % {"draft": draft, "source": selected[0]},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[draft.pk])
        )


def _restrict_translators(model):
    """Re-register another app's admin with the translator limits mixed in."""
    if not admin.site.is_registered(model):
        return
    base = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    restricted = type(f"Editorial{base.__name__}", (TranslatorRestrictionMixin, base), {})
    admin.site.register(model, restricted)


admin.site.unregister(Seminar)
admin.site.register(Seminar, EditorialSeminarAdmin)
for content_model in (City, Organization, AgendaItem, Delegation, Participant):
    _restrict_translators(content_model)
