"""The 90-day plan a finished audit gives for each recommended track."""

from django.db.models import Prefetch
from django.urls import reverse

from tracks.models import CompanyTrack, ConferenceTrack, GuideSection, ProjectTrack, Track

PLAN_COMPANIES = 6


def next_steps(result, finished_talks=()):
    """A 90-day plan for each recommended track and, folded, the runner-up: three stages drawn
    from the catalogue and the chapter's advice, every item linked to a page of the site. A
    stage with nothing to say is left out, so no section is ever empty. In the first year the
    chapter says not to specialize yet: then the plan is a generalist's, the leaning only
    something to watch."""
    runner_up = (result.get("runner_up") or {}).get("slug")
    slugs = [*result.get("recommended", []), *([runner_up] if runner_up else [])]
    too_early = (result.get("stage") or {}).get("code") == "too-early"
    if too_early:
        slugs = slugs[:1]
        runner_up = None
    tracks = Track.objects.filter(slug__in=slugs).prefetch_related(
        "skills",
        Prefetch("sessions", queryset=ConferenceTrack.objects.select_related("conference")),
        Prefetch("hiring", queryset=CompanyTrack.objects.select_related("company")),
        Prefetch("project_listings", queryset=ProjectTrack.objects.select_related("project")),
    )
    if too_early:
        return [generalist_plan(next(iter(tracks), None))]
    if not slugs:
        return []
    highlight = GuideSection.objects.filter(kind=GuideSection.Kind.HIGHLIGHT).first()
    by_slug = {track.slug: track for track in tracks}
    return [
        track_plan(by_slug[slug], highlight, set(finished_talks), runner_up=slug == runner_up)
        for slug in slugs
        if slug in by_slug
    ]


def listed_session(session):
    """A session as the chapter lists it, with its conference's note: "GTC (NVIDIA)"."""
    note = session.conference.note
    return f"{session.label} ({note})" if note else session.label


def links(pairs):
    return [{"text": text, "url": url} for text, url in pairs]


def track_plan(track, highlight, finished_talks, runner_up=False):
    """Three stages of 30 days for one track: become the person, build depth, make it visible.
    Each item is a code and its links; templates/audits/plan.html writes its words."""
    name, url = track.name, track.get_absolute_url()
    skills = [skill.name for skill in track.skills.all()]
    first = skills[0] if skills else name
    second = skills[1] if len(skills) > 1 else first
    sessions = list(track.sessions.all())
    unseen = [s for s in sessions if s.label not in finished_talks] or sessions
    projects = [listing.project for listing in track.project_listings.all()]
    hiring = list(track.hiring.all())

    start = [
        {"code": "own-decision", "links": links([(first, url)])},
        {
            "code": "become-the-person",
            "links": links(
                [(highlight.title, highlight.get_absolute_url())] if highlight else [(name, url)]
            ),
        },
    ]
    if unseen:
        session = unseen[0]
        start.append(
            {
                "code": "watch-a-talk",
                "links": links([(listed_session(session), session.conference.get_absolute_url())]),
            }
        )
    depth = []
    if projects:
        depth.append(
            {
                "code": "contribute",
                "links": links(
                    (project.name, project.get_absolute_url()) for project in projects[:3]
                ),
            }
        )
    depth.append(
        {"code": "take-on", "owns": track.owns.rstrip(". "), "links": links([(first, url)])}
    )
    visible = [{"code": "brown-bag", "links": links([(second, url)])}]
    if hiring:
        visible.append(
            {
                "code": "who-hires",
                "companies_title": track.companies_title,
                "links": links(
                    (
                        f"{h.shown_name} ({h.brackets})" if h.brackets else h.shown_name,
                        h.company.get_absolute_url(),
                    )
                    for h in hiring[:PLAN_COMPANIES]
                ),
            }
        )
    visible.append({"code": "retake"})
    stages = [
        {"code": "become-the-person", "items": start},
        {"code": "build-depth", "items": depth},
        {"code": "make-it-visible", "items": visible},
    ]
    return {
        "slug": track.slug,
        "name": name,
        "url": url,
        "runner_up": runner_up,
        "stages": [stage for stage in stages if stage["items"]],
    }


def generalist_plan(leaning):
    """Under a year: the chapter's advice is breadth, so three stages of trying, and the leaning
    (a track, or None) kept in view for the next audit."""
    look_again = [{"code": "retake-after-year-1"}]
    if leaning:
        look_again.insert(
            0,
            {
                "code": "keep-the-leaning",
                "links": links([(leaning.name, leaning.get_absolute_url())]),
            },
        )
    return {
        "slug": "generalist",
        "generalist": True,
        "url": f"{reverse('tracks:guide')}#when-year-1",
        "runner_up": False,
        "stages": [
            {
                "code": "try-every-area",
                "items": [{"code": "work-across"}, {"code": "note-problems"}],
            },
            {"code": "read-widely", "items": [{"code": "finish-a-talk"}, {"code": "read-issues"}]},
            {"code": "look-again", "items": look_again},
        ],
    }
