"""A content check: every published track can come out of an honest audit.

A track is reachable when each evidence step offers at least one answer that points to it:
a problem (step 2), a free-time read (step 3), a talk (step 4: a conference session or a talk
topic) and a company (step 5). Run with `manage.py check --tag content --database default`;
`seed_content` runs it after loading and fails on it, and the suite runs it on the seed. A
warning, not an error: `migrate` runs the checks too, and must not refuse to run on content
that the next `seed_content` or a curator will complete.
"""

from django.core.checks import Warning, register
from django.db import DatabaseError
from django.db.models import Q

from tracks.models import CompanyTrack, ConferenceTrack, Track

from .models import OptionWeight, Question
from .steps import STEP_BY_KEY, STEPS


def tracks_missing_evidence():
    """[(track, step)] for every published track that an evidence step cannot point to."""
    weighted = OptionWeight.objects.filter(
        weight__gt=0, option__published=True, option__question__published=True
    )
    offered = {
        Question.Step.PROBLEMS: set(
            weighted.filter(option__question__step=Question.Step.PROBLEMS).values_list(
                "track_id", flat=True
            )
        ),
        Question.Step.READING: set(
            weighted.filter(option__question__step=Question.Step.READING).values_list(
                "track_id", flat=True
            )
        ),
        Question.Step.TALKS: set(
            weighted.filter(option__question__step=Question.Step.TALKS).values_list(
                "track_id", flat=True
            )
        )
        | set(ConferenceTrack.objects.values_list("track_id", flat=True)),
        STEP_BY_KEY["companies"].number: set(
            CompanyTrack.objects.values_list("track_id", flat=True)
        ),
    }
    return [
        (track, STEPS[number])
        for track in Track.objects.filter(Q(published=True))
        for number, track_ids in offered.items()
        if track.id not in track_ids
    ]


@register("content")
def every_track_is_reachable(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []  # it reads the content: only when asked with --database
    try:
        missing = tracks_missing_evidence()
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    return [
        Warning(
            f"No answer of step {step.position} ({step.key}) points to {track.name}: no honest "
            "set of answers can recommend it.",
            hint=f"Add an option for {track.name} to step {step.position} in admin.",
            obj=track,
            id="audits.W001",
        )
        for track, step in missing
    ]
