"""Django admin for curators: every piece of catalogue content, edited where it belongs."""

from django.contrib import admin
from django.db.models import Count

from .models import (
    Background,
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    GuideSection,
    Project,
    ProjectTrack,
    QuickCheckOption,
    QuickCheckQuestion,
    Skill,
    Track,
)

admin.site.site_header = "careerguide curators"
admin.site.site_title = "careerguide admin"
admin.site.index_title = "Content"


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0
    fields = ["order", "name", "tools"]


class BackgroundInline(admin.TabularInline):
    model = Background
    extra = 0
    fields = ["order", "name"]


class CompanyTrackInline(admin.TabularInline):
    model = CompanyTrack
    extra = 0
    autocomplete_fields = ["company", "track"]
    fields = ["order", "company", "track", "team"]


class ConferenceTrackInline(admin.TabularInline):
    model = ConferenceTrack
    extra = 0
    autocomplete_fields = ["conference", "track"]
    fields = ["order", "conference", "track", "session"]


class ProjectTrackInline(admin.TabularInline):
    model = ProjectTrack
    extra = 0
    autocomplete_fields = ["project", "track"]
    fields = ["order", "project", "track", "note"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "owns", "skill_count", "company_count", "published"]
    list_display_links = ["number", "name"]
    list_editable = ["published"]
    list_filter = ["published"]
    search_fields = ["name", "owns", "skills__name", "skills__tools"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [
        SkillInline,
        BackgroundInline,
        CompanyTrackInline,
        ConferenceTrackInline,
        ProjectTrackInline,
    ]
    fieldsets = [
        (None, {"fields": ["number", "name", "slug", "subtitle", "owns", "summary", "published"]}),
        ("Notes", {"fields": ["pay_premium_note", "hiring_note", "chapter_url"]}),
        ("Look", {"fields": ["colour", "symbol"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                skill_total=Count("skills", distinct=True),
                company_total=Count("hiring", distinct=True),
            )
        )

    @admin.display(description="skills", ordering="skill_total")
    def skill_count(self, track):
        return track.skill_total

    @admin.display(description="companies", ordering="company_total")
    def company_count(self, track):
        return track.company_total


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "track_list", "note"]
    search_fields = ["name", "note", "hiring__team"]
    list_filter = ["tracks"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompanyTrackInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hiring__track")

    @admin.display(description="hires for")
    def track_list(self, company):
        return ", ".join(
            f"{h.track.name} ({h.team})" if h.team else h.track.name for h in company.hiring.all()
        )


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "session_list", "note"]
    list_filter = ["kind", "tracks"]
    search_fields = ["name", "note", "sessions__session"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ConferenceTrackInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sessions__track")

    @admin.display(description="sessions")
    def session_list(self, conference):
        return "; ".join(
            f"{s.track.name}: {s.session}" if s.session else s.track.name
            for s in conference.sessions.all()
        )


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "steward", "track_list"]
    list_filter = ["tracks"]
    search_fields = ["name", "steward"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProjectTrackInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("listings__track")

    @admin.display(description="tracks")
    def track_list(self, project):
        return ", ".join(listing.track.name for listing in project.listings.all())


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "tools", "track", "order"]
    list_filter = ["track"]
    search_fields = ["name", "tools"]
    list_select_related = ["track"]


@admin.register(Background)
class BackgroundAdmin(admin.ModelAdmin):
    list_display = ["name", "track", "order"]
    list_filter = ["track"]
    search_fields = ["name"]
    list_select_related = ["track"]


@admin.register(GuideSection)
class GuideSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "label", "order"]
    list_filter = ["kind"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}


class QuickCheckOptionInline(admin.TabularInline):
    model = QuickCheckOption
    extra = 0
    fields = ["order", "key", "text", "is_correct"]


@admin.register(QuickCheckQuestion)
class QuickCheckQuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "order"]
    search_fields = ["prompt", "explanation"]
    prepopulated_fields = {"slug": ["prompt"]}
    inlines = [QuickCheckOptionInline]


# Registered so the inlines' autocomplete widgets can search them; edited on their parents.
for through_model in (CompanyTrack, ConferenceTrack, ProjectTrack):
    admin.site.register(
        through_model,
        list_display=["__str__", "track"],
        list_filter=["track"],
        list_select_related=["track"],
    )
