"""Django admin for curators: every piece of catalogue content, edited where it belongs, with
its history (who changed what, and undo) and nothing a curator can break by accident."""

import datetime

from adminsortable2.admin import SortableAdminMixin
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.staticfiles import finders
from django.db.models import Count, Q, TextField
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    Background,
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    GuideSection,
    Origin,
    Project,
    ProjectTrack,
    QuickCheckOption,
    QuickCheckQuestion,
    Skill,
    Sourced,
    Track,
)

admin.site.site_header = "careerguide curators"
admin.site.site_title = "careerguide admin"
admin.site.index_title = "Content"

# Content not checked against its source for this long is listed under "needs review".
REVIEW_AFTER = datetime.timedelta(days=182)


def review_due():
    """Rows never reviewed, or last reviewed more than six months ago."""
    cutoff = timezone.localdate() - REVIEW_AFTER
    return Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=cutoff)


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Needs review (6 months or never)"), ("fresh", "Reviewed recently")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(review_due())
        if self.value() == "fresh":
            return queryset.exclude(review_due())
        return queryset


def sized(**sizes):
    """Text inputs of a given width, so that an inline's row fits a 1280 px screen."""
    return {name: forms.TextInput(attrs={"size": size}) for name, size in sizes.items()}


# Whose word a row is (tracks.models.Sourced), and who checked it when: at the end of its form.
ORIGIN = (
    "Origin",
    {
        "fields": ["origin", "added_by", "added_on", "source_url"],
        "description": "The chapter, or an editorial addition of ours: editorial rows are "
        "marked as ours on the site and need who added them and when; give a source where "
        "they state a fact.",
    },
)
FRESHNESS = ("Review", {"fields": ["reviewed_on", "reviewed_by"]})


def sign_editorial(row, request):
    """An editorial addition saved in admin without who and when is the saving curator's, today."""
    if isinstance(row, Sourced) and row.origin == Origin.EDITORIAL:
        row.added_by = row.added_by or request.user.get_username()
        row.added_on = row.added_on or timezone.localdate()


class SignsEditorial:
    """Fills who added an editorial row and when, on its own form and on its parent's inlines."""

    def save_model(self, request, obj, form, change):
        sign_editorial(obj, request)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            sign_editorial(inline_form.instance, request)
        super().save_formset(request, form, formset, change)


class TextareaField(forms.CharField):
    """A textarea's text with its line breaks as stored: browsers send them as CRLF, which
    would make every save of an unchanged text a change in its history."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


TEXTAREAS = {TextField: {"form_class": TextareaField}}


class ContentAdmin(SignsEditorial, SimpleHistoryAdmin):
    """History with a diff of each change and revert, for every piece of content."""

    history_list_display = []
    formfield_overrides = TEXTAREAS

    def save_model(self, request, obj, form, change):
        # Saved without a change (its inlines may have changed: they have their own history):
        # no entry in its history saying nothing.
        if change and not form.has_changed():
            obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)


class LabeledFormSet(BaseInlineFormSet):
    """A tabular inline's column heading is not a label: each input is named for screen
    readers, with its row ("Name, row 2")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = f", row {index + 1}" if index is not None else ", new row"
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                label = "Delete" if name == "DELETE" else capfirst(field.label or name)
                field.widget.attrs["aria-label"] = f"{label}{row}"


class LabeledInline(admin.TabularInline):
    """A compact tabular inline with named inputs; `widgets` sets the width of text inputs."""

    formset = LabeledFormSet
    formfield_overrides = TEXTAREAS
    extra = 0
    widgets = {}

    def get_formset(self, request, obj=None, **kwargs):
        return super().get_formset(request, obj, widgets=self.widgets, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A row picks a track or a company; adding, changing or deleting one happens on its
        # own page, not through four icons on every row.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return field


# Inlines on a track -----------------------------------------------------------------------


class SkillInline(LabeledInline):
    model = Skill
    fields = ["order", "name", "tools", "origin"]
    widgets = sized(name=28, tools=48)


class BackgroundInline(LabeledInline):
    model = Background
    fields = ["order", "name", "origin"]
    widgets = sized(name=60)


class TrackCompanyInline(LabeledInline):
    model = CompanyTrack
    # The source and review date are set on the link's own page ("Change"): a row stays narrow.
    fields = ["order", "company", "qualifier", "qualifier_kind", "origin", "reviewed_on"]
    readonly_fields = ["reviewed_on"]
    show_change_link = True
    autocomplete_fields = ["company"]
    widgets = sized(qualifier=22)
    classes = ["collapse"]
    verbose_name_plural = "companies hiring for this track"


class TrackConferenceInline(LabeledInline):
    model = ConferenceTrack
    fields = ["order", "conference", "session", "origin"]
    autocomplete_fields = ["conference"]
    widgets = sized(session=40)
    classes = ["collapse"]
    verbose_name_plural = "conferences worth attending for this track"


class TrackProjectInline(LabeledInline):
    model = ProjectTrack
    fields = ["order", "project", "note", "origin"]
    autocomplete_fields = ["project"]
    widgets = sized(note=40)
    classes = ["collapse"]
    verbose_name_plural = "open-source projects listed under this track"


@admin.register(Track)
class TrackAdmin(SortableAdminMixin, ContentAdmin):
    delete_confirmation_template = "admin/content_delete_confirmation.html"
    # "number" becomes django-admin-sortable2's drag handle, which shows the number too
    # (static/css/admin.css): one column says the order and moves it.
    list_display = [
        "number",
        "name",
        "skill_count",
        "company_count",
        "published",
        "origin",
        "reviewed_on",
    ]
    list_display_links = ["name"]
    ordering = ["number", "id"]
    list_filter = ["published", "origin", ReviewFilter]
    search_fields = ["name", "owns", "skills__name", "skills__tools"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [
        SkillInline,
        BackgroundInline,
        TrackCompanyInline,
        TrackConferenceInline,
        TrackProjectInline,
    ]
    form_widgets = sized(
        owns=70, pay_premium_note=90, companies_heading=50, hiring_note=90, chapter_url=60
    )
    fieldsets = [
        ("The track", {"fields": ["number", "name", "slug", "subtitle", "owns", "published"]}),
        ("What the audit reads", {"fields": ["reads_release_notes_weekly", "forward_deployed"]}),
        (
            "What its page says",
            {
                "fields": [
                    "summary",
                    "pay_premium_note",
                    "prose_by",
                    "prose_on",
                    "companies_heading",
                    "hiring_note",
                    "chapter_url",
                ]
            },
        ),
        ORIGIN,
        FRESHNESS,
        ("Badge", {"fields": ["colour", "symbol"], "classes": ["collapse"]}),
    ]

    @property
    def media(self):
        # django-admin-sortable2 2.3.1 swaps Django's actions.js for a patched copy named after
        # the Django version, and ships none for 6.1 (a 500 with hashed static names). The patch
        # only matters with list_editable, which this list does not use: keep Django's own.
        # No public accessor for a Media's files (Django 6.1, Media._js/_css, Script._path);
        # test_every_script_and_stylesheet_of_the_admin_pages_exists fails if they change.
        media = super().media

        def missing_actions(asset):
            path = asset if isinstance(asset, str) else asset._path
            return path.startswith("adminsortable2/js/actions-") and not finders.find(path)

        js = ["admin/js/actions.js" if missing_actions(asset) else asset for asset in media._js]
        return forms.Media(css=media._css, js=js)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                skill_total=Count("skills", distinct=True),
                company_total=Count("hiring", distinct=True),
            )
        )

    def get_form(self, request, obj=None, **kwargs):
        return super().get_form(request, obj, widgets=self.form_widgets, **kwargs)

    @admin.display(description="skills", ordering="skill_total")
    def skill_count(self, track):
        return track.skill_total

    @admin.display(description="companies", ordering="company_total")
    def company_count(self, track):
        return track.company_total

    def save_model(self, request, obj, form, change):
        # Compared with the stored row, not the form: a revert from history changes fields too.
        stored = (
            Track.objects.filter(pk=obj.pk).values("slug", "number").first() if change else None
        )
        super().save_model(request, obj, form, change)
        if change and stored and stored["number"] != obj.number:
            services.place_track(obj)
        if change and stored and stored["slug"] != obj.slug:
            services.keep_old_address(obj, stored["slug"])

    # No public hook for saving dragged rows (django-admin-sortable2 2.3.1 bulk-updates them in
    # _update_order); test_dragging_saves_each_moved_track_with_its_history fails without this.
    def _update_order(self, updated_items, extra_model_filters):
        """Drag and drop: each moved track is saved, so its history and catalogue version follow."""
        tracks = Track.objects.in_bulk([pk for pk, _number in updated_items])
        for pk, number in updated_items:
            track = tracks[int(pk)]
            if track.number != number:
                track.number = number
                track.save(update_fields=["number"])
        return len(updated_items)

    def get_urls(self):
        return [
            path(
                "needs-review/",
                self.admin_site.admin_view(self.needs_review_view),
                name="tracks_needs_review",
            ),
            *super().get_urls(),
        ]

    def needs_review_view(self, request):
        """Everything with a source to check that nobody has reviewed for six months."""
        lists = []
        for model, related in [
            (Track, []),
            (CompanyTrack, ["company", "track"]),
            (Conference, []),
            (Project, []),
        ]:
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                continue
            rows = model.objects.filter(review_due())
            if related:
                rows = rows.select_related(*related)
            changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            lists.append(
                {
                    "title": opts.verbose_name_plural,
                    "rows": [
                        (row, reverse(f"admin:tracks_{opts.model_name}_change", args=[row.pk]))
                        for row in rows
                    ],
                    "changelist": f"{changelist}?review=due",
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Needs review",
            "subtitle": None,
            "opts": self.model._meta,
            "lists": lists,
            "cutoff": timezone.localdate() - REVIEW_AFTER,
        }
        return TemplateResponse(request, "admin/tracks/needs_review.html", context)


# Companies, conferences and projects, each with the tracks it is listed under ---------------


class ListedAdmin(ContentAdmin):
    """A company, conference or project (tracks.models.Listed): its slug follows its name, and
    its list reads the rows of `listed_under`, with their tracks, in one more query."""

    prepopulated_fields = {"slug": ["name"]}
    listed_under = ""

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(f"{self.listed_under}__track")


class CompanyTrackInline(LabeledInline):
    model = CompanyTrack
    fields = ["order", "track", "qualifier", "qualifier_kind", "origin", "reviewed_on"]
    readonly_fields = ["reviewed_on"]
    show_change_link = True
    autocomplete_fields = ["track"]
    widgets = sized(qualifier=22)
    verbose_name_plural = "tracks it hires for"


@admin.register(Company)
class CompanyAdmin(ListedAdmin):
    list_display = ["name", "track_list", "note", "origin"]
    search_fields = ["name", "note", "hiring__qualifier"]
    list_filter = ["origin", "tracks"]
    fieldsets = [(None, {"fields": ["name", "slug", "note", "careers_url"]}), ORIGIN]
    listed_under = "hiring"
    inlines = [CompanyTrackInline]

    @admin.display(description="hires for")
    def track_list(self, company):
        return ", ".join(
            f"{h.track.name} ({h.qualifier})" if h.qualifier else h.track.name
            for h in company.hiring.all()
        )


class ConferenceTrackInline(LabeledInline):
    model = ConferenceTrack
    fields = ["order", "track", "session", "origin"]
    autocomplete_fields = ["track"]
    widgets = sized(session=40)
    verbose_name_plural = "tracks it is worth attending for"


@admin.register(Conference)
class ConferenceAdmin(ListedAdmin):
    list_display = ["name", "kind", "kind_origin", "session_list", "note", "origin", "reviewed_on"]
    list_filter = ["origin", "kind", "kind_origin", ReviewFilter, "tracks"]
    search_fields = ["name", "note", "sessions__session"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "kind_origin", "note", "url"]}),
        ORIGIN,
        FRESHNESS,
    ]
    listed_under = "sessions"
    inlines = [ConferenceTrackInline]

    @admin.display(description="sessions")
    def session_list(self, conference):
        return "; ".join(
            f"{s.track.name}: {s.session}" if s.session else s.track.name
            for s in conference.sessions.all()
        )


class ProjectTrackInline(LabeledInline):
    model = ProjectTrack
    fields = ["order", "track", "note", "origin"]
    autocomplete_fields = ["track"]
    widgets = sized(note=40)
    verbose_name_plural = "tracks it is listed under"


@admin.register(Project)
class ProjectAdmin(ListedAdmin):
    list_display = ["name", "steward", "track_list", "url", "origin", "reviewed_on"]
    list_filter = ["origin", ReviewFilter, "tracks"]
    search_fields = ["name", "steward"]
    fieldsets = [(None, {"fields": ["name", "slug", "steward", "url"]}), ORIGIN, FRESHNESS]
    listed_under = "listings"
    inlines = [ProjectTrackInline]

    @admin.display(description="tracks")
    def track_list(self, project):
        return ", ".join(listing.track.name for listing in project.listings.all())


@admin.register(Skill)
class SkillAdmin(ContentAdmin):
    list_display = ["name", "tools", "track", "order", "origin"]
    list_filter = ["origin", "track"]
    search_fields = ["name", "tools"]
    list_select_related = ["track"]


@admin.register(Background)
class BackgroundAdmin(ContentAdmin):
    list_display = ["name", "track", "order", "origin"]
    list_filter = ["origin", "track"]
    search_fields = ["name"]
    list_select_related = ["track"]


@admin.register(GuideSection)
class GuideSectionAdmin(ContentAdmin):
    list_display = ["title", "kind", "label", "order", "origin"]
    list_filter = ["origin", "kind"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["kind", "order", "label", "title", "slug", "body"]}),
        ("Link", {"fields": ["link_url", "link_text"]}),
        ORIGIN,
    ]


class QuickCheckOptionInline(LabeledInline):
    model = QuickCheckOption
    fields = ["order", "key", "text", "is_correct", "origin"]
    widgets = sized(key=8, text=70)


@admin.register(QuickCheckQuestion)
class QuickCheckQuestionAdmin(ContentAdmin):
    list_display = ["prompt", "order", "origin"]
    list_filter = ["origin"]
    search_fields = ["prompt", "explanation"]
    prepopulated_fields = {"slug": ["prompt"]}
    inlines = [QuickCheckOptionInline]


@admin.register(CompanyTrack)
class CompanyTrackAdmin(ContentAdmin):
    """Each company link, with its qualifier, source and review date. Registered because the
    inlines' "Change" link (show_change_link) and the needs-review list open a link's own page,
    and Django's admin has pages only for registered models."""

    list_display = ["__str__", "qualifier_kind", "origin", "reviewed_on"]
    list_filter = ["origin", ReviewFilter, "qualifier_kind", "track"]
    list_select_related = ["company", "track"]
    search_fields = ["company__name", "qualifier"]
    autocomplete_fields = ["company", "track"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "company",
                    "track",
                    "order",
                    "qualifier",
                    "qualifier_kind",
                    "qualifier_first",
                ]
            },
        ),
        ORIGIN,
        FRESHNESS,
    ]


# Registered so that their history can be read; edited on their parents.
for through_model in (ConferenceTrack, ProjectTrack):
    admin.site.register(
        through_model,
        ContentAdmin,
        list_display=["__str__", "track", "origin"],
        list_filter=["origin", "track"],
        list_select_related=["track"],
    )
