"""The 90-day plan a finished audit gives for each recommended track."""

from django.db.models import Prefetch
from django.urls import reverse

from tracks.models import CompanyTrack, ConferenceTrack, GuideSection, ProjectTrack, Track

PLAN_COMPANIES = 6


def next_steps(result, finished_talks=()):
    """A 90-day plan for each recommended track and, folded, the runner-up: three stages drawn
    from the catalogue and the chapter's advice, every item linked to a page of the site. A
    stage with nothing to say is left out, so no section is ever empty."""
    runner_up = (result.get("runner_up") or {}).get("slug")
    slugs = [*result.get("recommended", []), *([runner_up] if runner_up else [])]
    if not slugs:
        return []
    tracks = Track.objects.filter(slug__in=slugs).prefetch_related(
        "skills",
        Prefetch("sessions", queryset=ConferenceTrack.objects.select_related("conference")),
        Prefetch("hiring", queryset=CompanyTrack.objects.select_related("company")),
        Prefetch("project_listings", queryset=ProjectTrack.objects.select_related("project")),
    )
    highlight = GuideSection.objects.filter(kind=GuideSection.Kind.HIGHLIGHT).first()
    by_slug = {track.slug: track for track in tracks}
    return [
        track_plan(by_slug[slug], highlight, set(finished_talks), runner_up=slug == runner_up)
        for slug in slugs
        if slug in by_slug
    ]


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
                [(session.label, session.conference.get_absolute_url())],
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
    depth.append(
        plan_item(f"Write your team's {name} evaluation suite, starting with", [(first, url)], ".")
    )
    visible = [plan_item("Give a brown-bag talk on", [(second, url)], " to your team.")]
    if hiring:
        visible.append(
            plan_item(
                f"Look at who hires deep {name} roles:",
                [
                    (
                        f"{h.company.name} ({h.qualifier})" if h.qualifier else h.company.name,
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
