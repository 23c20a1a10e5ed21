"""Planned queries for the catalogue pages: each page's rows in a fixed number of queries."""

from collections import Counter

from django.apps import apps
from django.db.models import Prefetch, Q, prefetch_related_objects

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
    tracks = published_tracks().prefetch_related("skills")
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
    """The track with what its page lists, in one query per list."""
    prefetch_related_objects(
        [track],
        "skills",
        "backgrounds",
        Prefetch("hiring", queryset=CompanyTrack.objects.select_related("company")),
        Prefetch("sessions", queryset=ConferenceTrack.objects.select_related("conference")),
        Prefetch("project_listings", queryset=ProjectTrack.objects.select_related("project")),
    )
    return track


def related_tracks(track, limit=3):
    """Other tracks that share the most hiring companies with this one."""
    company_ids = [hiring.company_id for hiring in track.hiring.all()]
    shared = Counter(
        CompanyTrack.objects.filter(company_id__in=company_ids, track__published=True)
        .exclude(track=track)
        .values_list("track_id", flat=True)
    )
    if not shared:
        return []
    by_id = published_tracks().in_bulk(list(shared))
    ranked = sorted(shared.items(), key=lambda item: (-item[1], by_id[item[0]].number))
    return [(by_id[track_id], count) for track_id, count in ranked[:limit]]


def companies_with_tracks():
    return Company.objects.prefetch_related(
        Prefetch(
            "hiring",
            queryset=CompanyTrack.objects.filter(track__published=True).select_related("track"),
        )
    )


def company_matrix(tracks, selected=""):
    """Every company (or those hiring for the track `selected`) with a cell per track of
    `tracks`: (track, hires for it, qualifier)."""
    companies = list(companies_with_tracks())
    rows = []
    for company in companies:
        qualifiers = {hiring.track_id: hiring.qualifier for hiring in company.hiring.all()}
        if selected and not any(t.slug == selected and t.id in qualifiers for t in tracks):
            continue
        rows.append(
            (
                company,
                [(t, t.id in qualifiers, qualifiers.get(t.id, "")) for t in tracks],
            )
        )
    return {"rows": rows, "total": len(companies)}


def hiring_tracks(company):
    return company.hiring.filter(track__published=True).select_related("track")


def conferences_with_sessions():
    return Conference.objects.prefetch_related(
        Prefetch(
            "sessions",
            queryset=ConferenceTrack.objects.filter(track__published=True).select_related("track"),
        )
    )


def projects_with_tracks():
    return Project.objects.prefetch_related(
        Prefetch(
            "listings",
            queryset=ProjectTrack.objects.filter(track__published=True).select_related("track"),
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
