"""Planned queries for the catalogue pages: each page's rows in a fixed number of queries."""

from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from .models import (
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    FormerSlug,
    GuideSection,
    Origin,
    Project,
    ProjectTrack,
    QuickCheckQuestion,
    Sourced,
    Track,
)


def published_tracks():
    return Track.objects.filter(published=True)


def visible_tracks(user):
    """The tracks a person may open: staff also preview unpublished ones."""
    return Track.objects.all() if user.is_staff else published_tracks()


def renamed_track(former_slug):
    """The published track that used to live at `former_slug`, or None."""
    former = (
        FormerSlug.objects.filter(slug=former_slug, track__published=True)
        .select_related("track")
        .first()
    )
    return former.track if former else None


def tracks_for_cards(query=""):
    """Tracks with their skills, filtered by a skill, company, conference or track name."""
    tracks = published_tracks().prefetch_related(Prefetch("skills", to_attr="skill_list"))
    query = query.strip()
    if query:
        tracks = tracks.filter(
            Q(name__icontains=query)
            | Q(owns__icontains=query)
            | Q(skills__name__icontains=query)
            | Q(skills__tools__icontains=query)
            | Q(companies__name__icontains=query)
            | Q(conferences__name__icontains=query)
            | Q(sessions__session__icontains=query)
            | Q(projects__name__icontains=query)
        ).distinct()
    return tracks


def with_everything(track):
    """The track with what its page lists, in one query per list, as lists: `skill_list`,
    `background_list`, `hiring_list`, `session_list` and `project_list`."""
    prefetch_related_objects(
        [track],
        Prefetch("skills", to_attr="skill_list"),
        Prefetch("backgrounds", to_attr="background_list"),
        Prefetch(
            "hiring",
            queryset=CompanyTrack.objects.select_related("company"),
            to_attr="hiring_list",
        ),
        Prefetch(
            "sessions",
            queryset=ConferenceTrack.objects.select_related("conference"),
            to_attr="session_list",
        ),
        Prefetch(
            "project_listings",
            queryset=ProjectTrack.objects.select_related("project"),
            to_attr="project_list",
        ),
    )
    return track


def related_tracks(track, limit=3):
    """Other tracks that share the most hiring companies with this one: [(track, shared)]."""
    company_ids = [hiring.company_id for hiring in track.hiring_list]
    ranked = (
        published_tracks()
        .exclude(pk=track.pk)
        .annotate(shared=Count("hiring", filter=Q(hiring__company_id__in=company_ids)))
        .filter(shared__gt=0)
        .order_by("-shared", "number")[:limit]
    )
    return [(other, other.shared) for other in ranked]


def company_matrix(tracks, selected=""):
    """Every company (or those hiring for the track `selected`) with a cell per track of
    `tracks`: (track, hires for it, qualifier). The cells come from one light query of
    (company, track, qualifier) triples, not from a row object per hiring."""
    hires = defaultdict(dict)
    for company_id, track_id, qualifier in CompanyTrack.objects.filter(
        track__published=True
    ).values_list("company_id", "track_id", "qualifier"):
        hires[company_id][track_id] = qualifier
    tracks = list(tracks)
    selected_id = next((track.id for track in tracks if track.slug == selected), None)
    companies = list(Company.objects.all())
    rows = [
        (company, [(t, t.id in hires[company.id], hires[company.id].get(t.id, "")) for t in tracks])
        for company in companies
        if not selected or selected_id in hires[company.id]
    ]
    return {"rows": rows, "total": len(companies)}


def hiring_tracks(company):
    return company.hiring.filter(track__published=True).select_related("track")


def conferences_with_sessions():
    """Every conference, its sessions under published tracks in `listed` (a list: no queryset
    made per conference)."""
    return Conference.objects.prefetch_related(
        Prefetch(
            "sessions",
            queryset=ConferenceTrack.objects.filter(track__published=True).select_related("track"),
            to_attr="listed",
        )
    )


def projects_with_tracks():
    """Every project, its listings under published tracks in `listed`."""
    return Project.objects.prefetch_related(
        Prefetch(
            "listings",
            queryset=ProjectTrack.objects.filter(track__published=True).select_related("track"),
            to_attr="listed",
        )
    )


def guide_sections():
    sections = {}
    for section in GuideSection.objects.order_by("order", "id"):
        sections.setdefault(section.kind, []).append(section)
    return sections


def quick_check_questions():
    return QuickCheckQuestion.objects.prefetch_related("options")


def editorial_additions():
    """[(what, how many)] of careerguide's own additions, every kind of content that has some
    (the audit's questions included, through the models that declare an origin): one query per
    kind of content."""
    additions = [
        (
            "track introductions and pay-premium lines, in our words",
            published_tracks().exclude(summary="", pay_premium_note="").count(),
        ),
        (
            "conference kinds the chapter does not give",
            Conference.objects.filter(kind_origin=Origin.EDITORIAL).count(),
        ),
    ]
    for model in apps.get_models():
        if issubclass(model, Sourced) and not model._meta.proxy:  # a proxy's rows are its base's
            count = model._default_manager.filter(origin=Origin.EDITORIAL).count()
            opts = model._meta
            what = str(opts.verbose_name if count == 1 else opts.verbose_name_plural)
            if opts.app_config.name != "tracks":  # "curiosity audit options", not "options"
                what = f"{opts.app_config.verbose_name.lower()} {what}"
            additions.append((what, count))
    return [(what, count) for what, count in additions if count]


def tracks_with_full_chapters():
    return list(published_tracks().exclude(chapter_url=""))
