"""Admin: curators edit the audit's questions, options and weights, with history and undo;
audits are not theirs to see. Questions and options are unpublished, never deleted from under
members' answers."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracks.admin import ORIGIN, LabeledInline, SignsEditorial

from .models import Audit, AuditAnswer, Option, OptionWeight, Question
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
