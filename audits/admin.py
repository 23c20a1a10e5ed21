"""Admin: curators edit the audit's questions, options and weights; audits are not theirs to see."""

from django.contrib import admin

from .models import Audit, Option, OptionWeight, Question


class OptionWeightInline(admin.TabularInline):
    model = OptionWeight
    extra = 0
    autocomplete_fields = ["track"]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ["order", "key", "label", "warning"]
    show_change_link = True


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "step", "order", "allows_multiple"]
    list_filter = ["step"]
    search_fields = ["prompt", "options__label"]
    prepopulated_fields = {"slug": ["prompt"]}
    inlines = [OptionInline]


@admin.register(Option)
class OptionAdmin(admin.ModelAdmin):
    list_display = ["label", "question", "weights_summary", "warning"]
    list_filter = ["question__step", "question", "warning"]
    search_fields = ["label", "key"]
    inlines = [OptionWeightInline]

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
