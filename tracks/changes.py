"""What curators changed in the catalogue, read from its history (django-simple-history): the
companies, conferences, sessions and projects added, renamed or removed, for the whole catalogue
or some tracks, newest first. Only what changed and when: never who changed it.

The seed content's own rows (change reason "seed_content") are where the history starts, not
changes. A fixed number of queries, whatever the length of the history; what changed in some
tracks since a moment reads one row once their changes are kept under the catalogue's version.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.urls import reverse

from .cache import kept_under_version
from .models import (
    CatalogueVersion,
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    Project,
    ProjectTrack,
    Track,
)

SEED = "seed_content"
LIMIT = 50


@dataclass(frozen=True)
class Change:
    key: str  # unique and stable: the history row
    when: datetime
    title: str
    summary: str
    url: str


@cache
def history_of(model):
    """The manager of `model`'s history rows, looked up once per model: each `model.history`
    builds a new manager class (django-simple-history 3.13)."""
    return model.history.model.objects


def recent(model, limit=LIMIT, **filters):
    rows = history_of(model).exclude(history_change_reason=SEED).filter(**filters)
    return list(rows.order_by("-history_date", "-history_id")[:limit])


def renamed_under(model, listing, field, scope, limit):
    """Edits of `model`'s rows ever listed (`listing.field`) under the tracks in `scope`."""
    listed = history_of(listing).filter(**scope).values(field)
    return recent(model, limit, history_type="~", id__in=listed)


def names(model, ids):
    """{id: name} as the history last had it: removed rows keep theirs."""
    found = {}
    for row in history_of(model).filter(id__in=set(ids)).order_by("id", "-history_date"):
        found.setdefault(row.id, row.name)
    return found


def former_names(model, rows):
    """{history_id: the name before this change} for the edits among `rows` (one query)."""
    edits = [row for row in rows if row.history_type == "~"]
    if not edits:
        return {}
    earlier = {}
    for row in history_of(model).filter(id__in={r.id for r in edits}).order_by("history_date"):
        earlier.setdefault(row.id, []).append(row)
    before = {}
    for row in edits:
        older = [r for r in earlier[row.id] if r.history_date < row.history_date]
        if older:
            before[row.history_id] = older[-1].name
    return before


def change(model, row, title, url):
    """The change a history `row` of `model` records, titled `title`, pointing to `url(row)`."""
    return Change(
        f"{model._meta.model_name}-{row.history_id}", row.history_date, title, title + ".", url(row)
    )


def listed_changes(model, label, rows, url):
    """Companies, conferences, projects: added, renamed, edited, removed."""
    before = former_names(model, rows)
    changes = []
    for row in rows:
        if row.history_type == "+":
            title = f"{label} added: {row.name}"
        elif row.history_type == "-":
            title = f"{label} removed: {row.name}"
        elif before.get(row.history_id, row.name) != row.name:
            title = f"{label} renamed: {before[row.history_id]} → {row.name}"
        else:
            title = f"{label} details updated: {row.name}"
        changes.append(change(model, row, title, url))
    return changes


def listing_changes(model, rows, item_names, track_names, describe, url):
    """A company, session or project listed under a track, or no longer."""
    changes = []
    for row in rows:
        track = track_names.get(row.track_id, "a track")
        item = describe(row, item_names)
        if row.history_type == "+":
            title = f"{item}: now listed under {track}"
        elif row.history_type == "-":
            title = f"{item}: no longer listed under {track}"
        else:
            title = f"{item}: its listing under {track} was updated"
        changes.append(change(model, row, title, url))
    return changes


def track_changes_since(slugs, since, limit=LIMIT):
    """The newest changes (at most `limit`) of the tracks named by `slugs` saved after `since`.
    One row is read when nothing changed since, or when these tracks' changes are kept: they
    are the same for every member, kept under the catalogue's version (tracks.cache)."""
    if not slugs:
        return []
    version = CatalogueVersion.objects.filter(pk=1).values_list("token", "renewed_at").first()
    if version is not None and version[1] <= since:
        return []
    slugs = sorted(set(slugs))

    def newest():
        return catalogue_changes(
            tracks=Track.objects.filter(slug__in=slugs).values("pk"), limit=limit
        )

    changes = (
        newest()
        if version is None
        else kept_under_version(f"changes:{','.join(slugs)}:{limit}", version[0], newest)
    )
    # The newest `limit` changes, less those before `since`, are the newest `limit` after it.
    return [change for change in changes if change.when > since]


def catalogue_changes(tracks=None, limit=LIMIT):
    """The newest changes (at most `limit`), of the whole catalogue or of `tracks` (ids, or a
    query of them): their own pages, and the companies, sessions and projects listed under
    them."""
    scope = {"track_id__in": tracks} if tracks is not None else {}
    hiring = recent(CompanyTrack, limit, **scope)
    sessions = recent(ConferenceTrack, limit, **scope)
    listings = recent(ProjectTrack, limit, **scope)
    if tracks is None:
        companies = recent(Company, limit)
        conferences = recent(Conference, limit)
        projects = recent(Project, limit)
        own = recent(Track, limit)
    else:
        # Renames of what is listed under these tracks, as the history lists it.
        companies = renamed_under(Company, CompanyTrack, "company_id", scope, limit)
        conferences = renamed_under(Conference, ConferenceTrack, "conference_id", scope, limit)
        projects = renamed_under(Project, ProjectTrack, "project_id", scope, limit)
        own = recent(Track, limit, id__in=tracks)
    track_names = names(Track, [r.track_id for r in hiring + sessions + listings])
    company_names = names(Company, [r.company_id for r in hiring])
    conference_names = names(Conference, [r.conference_id for r in sessions])
    project_names = names(Project, [r.project_id for r in listings])

    def track_url(row):
        return (
            reverse("tracks:track_detail", args=[row.slug])
            if row.history_type != "-"
            else "/tracks/"
        )

    changes = [
        *listed_changes(
            Company,
            "Company",
            companies,
            lambda r: (
                reverse("tracks:company_detail", args=[r.slug])
                if r.history_type != "-"
                else reverse("tracks:company_list")
            ),
        ),
        *listed_changes(
            Conference, "Conference", conferences, lambda r: reverse("tracks:conference_list")
        ),
        *listed_changes(Project, "Project", projects, lambda r: reverse("tracks:project_list")),
        *listed_changes(Track, "Track", own, track_url),
        *listing_changes(
            CompanyTrack,
            hiring,
            company_names,
            track_names,
            lambda r, n: n.get(r.company_id, "A company"),
            lambda r: reverse("tracks:company_list"),
        ),
        *listing_changes(
            ConferenceTrack,
            sessions,
            conference_names,
            track_names,
            lambda r, n: " — ".join(
                p for p in (n.get(r.conference_id, "A conference"), r.session) if p
            ),
            lambda r: reverse("tracks:conference_list"),
        ),
        *listing_changes(
            ProjectTrack,
            listings,
            project_names,
            track_names,
            lambda r, n: n.get(r.project_id, "A project"),
            lambda r: reverse("tracks:project_list"),
        ),
    ]
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]
