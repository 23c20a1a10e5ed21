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


def plan_item(text, links, after=""):
    return {"text": text, "links": [{"text": t, "url": u} for t, u in links], "after": after}


def track_plan(track, highlight, finished_talks, runner_up=False):
    """Three stages of 30 days for one track: become the person, build depth, make it visible."""
    name, url = track.name, track.get_absolute_url()
    skills = [skill.name for skill in track.skills.all()]
    first = skills[0] if skills else name
    second = skills[1] if len(skills) > 1 else first
    sessions = list(track.sessions.all())
    unseen = [s for s in sessions if s.label not in finished_talks] or sessions
    projects = [listing.project for listing in track.project_listings.all()]
    hiring = list(track.hiring.all())

    start = [
        plan_item("Ask to own your team's next decision about", [(first, url)], "."),
        plan_item(
            f"Become the person your team brings {name} problems to; the guide says why:",
            [(highlight.title, highlight.get_absolute_url())] if highlight else [(name, url)],
            ".",
        ),
    ]
    if unseen:
        session = unseen[0]
        start.append(
            plan_item(
                "Watch a talk next from",
                [(listed_session(session), session.conference.get_absolute_url())],
                ".",
            )
        )
    depth = []
    if projects:
        depth.append(
            plan_item(
                "Contribute a fix, a test or a doc page to"
                + (" one of" if len(projects) > 1 else ""),
                [(project.name, project.get_absolute_url()) for project in projects[:3]],
                ".",
            )
        )
    owns = track.owns.rstrip(". ")
    depth.append(
        plan_item(
            f"Take on a piece of what the track owns on your team, {owns}:", [(first, url)], "."
        )
    )
    visible = [plan_item("Give a brown-bag talk on", [(second, url)], " to your team.")]
    if hiring:
        visible.append(
            plan_item(
                f"Look at who hires for it: {track.companies_title[:1].lower()}"
                f"{track.companies_title[1:]} include",
                [
                    (
                        f"{h.shown_name} ({h.brackets})" if h.brackets else h.shown_name,
                        h.company.get_absolute_url(),
                    )
                    for h in hiring[:PLAN_COMPANIES]
                ],
                ".",
            )
        )
    visible.append(
        plan_item(
            "Then take the audit again and compare:",
            [("the curiosity audit", reverse("audits:new"))],
            ".",
        )
    )
    stages = [
        {"title": "Days 1–30: become the person", "items": start},
        {"title": "Days 31–60: build depth", "items": depth},
        {"title": "Days 61–90: make it visible", "items": visible},
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
    guide = reverse("tracks:guide")
    try_widely = [
        plan_item(
            "Work across prompting, retrieval, evals and observability on your team's features; "
            "in year 1 breadth is worth more than depth, as",
            [("the guide", f"{guide}#when-year-1")],
            " says.",
        ),
        plan_item(
            "Note the problems that make you lose track of time, whatever area they are in; "
            "the curiosity audit asks about them:",
            [("its first questions", f"{guide}#curiosity-audit")],
            ".",
        ),
    ]
    read_widely = [
        plan_item(
            "Finish a conference talk from an area you have not worked in:",
            [("the conferences and their sessions", reverse("tracks:conference_list"))],
            ".",
        ),
        plan_item(
            "Read the issues of an open-source project in an area that is new to you:",
            [("the projects", reverse("tracks:project_list"))],
            ".",
        ),
    ]
    look_again = []
    if leaning:
        look_again.append(
            plan_item(
                "Keep your leaning in view, as something to watch, not a decision:",
                [(leaning.name, leaning.get_absolute_url())],
                ".",
            )
        )
    look_again.append(
        plan_item(
            "Take the audit again after your first year, when the pivot comes naturally:",
            [("the curiosity audit", reverse("audits:new"))],
            ".",
        )
    )
    return {
        "slug": "generalist",
        "name": "a generalist's first year",
        "title": "Your 90-day plan: stay a generalist",
        "more": "What the guide says about year 1",
        "url": f"{guide}#when-year-1",
        "runner_up": False,
        "stages": [
            {"title": "Days 1–30: try every area", "items": try_widely},
            {"title": "Days 31–60: read and watch widely", "items": read_widely},
            {"title": "Days 61–90: look again", "items": look_again},
        ],
    }
