"""Admin: curators edit the audit's questions, options and weights, with history and undo;
audits are not theirs to see. Questions and options are unpublished, never deleted from under
members' answers."""

from collections import Counter

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from tracks.admin import ORIGIN, LabeledInline, SignsEditorial

from .flows import months_before
from .models import Audit, AuditAnswer, Option, OptionWeight, Question, RetakeOutcome
from .steps import TOTAL_STEPS

UNPUBLISH = "unpublish it instead"


def answered_in(question):
    """How many audits hold an answer to `question` (drafts included)."""
    return AuditAnswer.objects.filter(step=question.step, data__has_key=question.slug).count()


class ProtectAnswered:
    """Deletion is refused while members' audits hold answers to the question."""

    delete_confirmation_template = "admin/content_delete_confirmation.html"

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            question = obj if isinstance(obj, Question) else obj.question
            if answers := answered_in(question):
                protected.append(
                    f"Answers in {answers} member audit{'s' if answers != 1 else ''} to "
                    f"“{question.prompt}” ({UNPUBLISH})"
                )
        return deleted, counts, perms_needed, protected


class OptionWeightInline(LabeledInline):
    model = OptionWeight
    fields = ["track", "weight", "origin"]
    autocomplete_fields = ["track"]


class OptionInline(LabeledInline):
    model = Option
    show_change_link = True
    # Options are unpublished, not deleted: members' answers and weights point at them.
    can_delete = False

    def get_fields(self, request, obj=None):
        fields = ["order", "key", "label", "published", "origin"]
        if obj is None or obj.step == Question.Step.REFLECTION:
            fields.insert(3, "warning")
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        # Reflection rows also carry a warning: their text inputs give it room at 1280 px.
        reflection = obj is None or obj.step == Question.Step.REFLECTION
        self.widgets = {
            "key": forms.TextInput(attrs={"size": 12 if reflection else 20}),
            "label": forms.TextInput(attrs={"size": 24 if reflection else 50}),
        }
        return super().get_formset(request, obj, **kwargs)


@admin.register(Question)
class QuestionAdmin(ProtectAnswered, SignsEditorial, SimpleHistoryAdmin):
    list_display = ["prompt", "member_step", "order", "allows_multiple", "published", "origin"]
    list_filter = ["origin", "step", "published"]
    search_fields = ["prompt", "options__label"]
    prepopulated_fields = {"slug": ["prompt"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "step",
                    "order",
                    "prompt",
                    "slug",
                    "help_text",
                    "allows_multiple",
                    "published",
                ]
            },
        ),
        ORIGIN,
    ]
    inlines = [OptionInline]

    def get_form(self, request, obj=None, **kwargs):
        widgets = {
            "prompt": forms.TextInput(attrs={"size": 80}),
            "help_text": forms.TextInput(attrs={"size": 80}),
        }
        return super().get_form(request, obj, widgets=widgets, **kwargs)

    @admin.display(description="step", ordering="step")
    def member_step(self, question):
        return f"Step {question.position} of {TOTAL_STEPS}"


@admin.register(Option)
class OptionAdmin(ProtectAnswered, SignsEditorial, SimpleHistoryAdmin):
    list_display = ["label", "question", "weights_summary", "warning", "published", "origin"]
    list_filter = ["origin", "question__step", "published", "question", "warning"]
    search_fields = ["label", "key"]
    list_select_related = ["question"]
    inlines = [OptionWeightInline]

    def get_fields(self, request, obj=None):
        fields = ["question", "order", "key", "label", "published", *ORIGIN[1]["fields"]]
        if obj is None or obj.question.step == Question.Step.REFLECTION:
            fields.insert(4, "warning")
        return fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("question")
            .prefetch_related("weights__track")
        )

    @admin.display(description="weights")
    def weights_summary(self, option):
        return ", ".join(f"{w.track.name} ×{w.weight}" for w in option.weights.all()) or "—"


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    """For operators (superusers): who has audits and in what state, never the answers."""

    list_display = ["id", "member", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["member"]
    fields = ["id", "member", "status", "created_at", "finished_at", "scoring_version"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# A retake answered this many months after the audit it asks about counts as "a year later".
OUTCOME_MONTHS = (9, 15)
# A track's answers are shown only once this many members gave them: fewer could name someone.
OUTCOME_FLOOR = 10


def retake_outcomes(tracks):
    """Per track of `tracks`, how the members it was recommended to answered the retake step
    about a year later: {"track", "members", "actions": [(label, count)], "pulls": [(n,
    count)]}, counts only, each member once (their latest answer); None under the floor."""
    answered = (
        Audit.objects.filter(member__isnull=False, retake_after__isnull=False)
        .exclude(retake_action="")
        .order_by("created_at")
        .values_list(
            "member_id",
            "created_at",
            "retake_after",
            "retake_tracks",
            "retake_action",
            "retake_pull",
        )
    )
    latest = {}
    for member, created, after, slugs, action, pull in answered:
        if (
            months_before(created, OUTCOME_MONTHS[1])
            <= after
            <= months_before(created, OUTCOME_MONTHS[0])
        ):
            for slug in slugs:
                latest[slug, member] = (action, pull)
    rows = []
    for track in tracks:
        answers = [value for (slug, _), value in latest.items() if slug == track.slug]
        if len(answers) < OUTCOME_FLOOR:
            rows.append({"track": track, "members": None})
            continue
        actions = Counter(action for action, _ in answers)
        pulls = Counter(pull for _, pull in answers)
        rows.append(
            {
                "track": track,
                "members": len(answers),
                "actions": [(label, actions[key]) for key, label in Audit.RetakeAction.choices],
                "pulls": [(n, pulls[n]) for n in range(1, 6)],
            }
        )
    return rows


@admin.register(RetakeOutcome)
class RetakeOutcomeAdmin(admin.ModelAdmin):
    """Read only, for curators of the catalogue: per track, counts of the retake step's answers
    about a year after it was recommended; never a member or one member's answer."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("tracks.view_track")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Retake outcomes",
            "subtitle": None,
            "opts": self.opts,
            "rows": retake_outcomes(RetakeOutcome.objects.order_by("number")),
            "months": OUTCOME_MONTHS,
            "floor": OUTCOME_FLOOR,
        }
        return TemplateResponse(request, "admin/audits/retake_outcomes.html", context)
