"""What a member's log says for a new audit: how often, and when last, each of the audit's
options was logged in the last twelve months, and the entries that match no option.

Called by `audits` through the AUDIT_EVIDENCE setting (audits never imports this app). The
shape is the audit's own: {step key: {field name: {choice value: {"count", "last"}}}}, with
the values a step's form stores, so the audit can tick them and say "in your log".
"""

from datetime import timedelta

from django.db.models import Count, Max, Q, Window
from django.utils import timezone

from audits.models import Question
from audits.steps import talk_key

from .models import Entry

WINDOW = timedelta(days=365)
# Entries that match no option, listed on the steps: the newest ones, with how many in all.
UNMATCHED_SHOWN = 20
# The step where an entry of each kind that matches no option is listed.
STEP_OF_KIND = {
    Entry.Kind.PROBLEM: "problems",
    Entry.Kind.CONTRIBUTION: "problems",
    Entry.Kind.READING: "reading",
    Entry.Kind.TALK: "talks",
    Entry.Kind.COMPANY: "companies",
}
OPTION_STEPS = {
    Question.Step.PROBLEMS: "problems",
    Question.Step.READING: "reading",
    Question.Step.TALKS: "talks",
}


def evidence_for_audit(member):
    """The log's evidence for a new audit of `member`, or None when there is none (two
    queries, whatever the size of the log)."""
    since = timezone.localdate() - WINDOW
    recent = Entry.objects.filter(member=member, day__gte=since)
    options = Q(
        option__isnull=False,
        option__published=True,
        option__question__published=True,
        option__question__step__in=list(OPTION_STEPS),
    )
    matched = Q(session__isnull=False) | Q(company__isnull=False) | options
    groups = (
        recent.filter(matched)
        .values(
            "session__conference__slug",
            "session__session",
            "company__slug",
            "option__key",
            "option__question__slug",
            "option__question__step",
            "option__question__allows_multiple",
        )
        .annotate(count=Count("id"), last=Max("day"))
        .order_by()
    )
    steps, single = {}, set()
    for group in groups:
        if group["session__conference__slug"]:
            where = ("talks", "talks")
            value = talk_key(group["session__conference__slug"], group["session__session"])
        elif group["company__slug"]:
            where, value = ("companies", "companies"), group["company__slug"]
        else:
            where = (OPTION_STEPS[group["option__question__step"]], group["option__question__slug"])
            value = group["option__key"]
            if not group["option__question__allows_multiple"]:
                single.add(where)
        field = steps.setdefault(where[0], {}).setdefault(where[1], {})
        seen = field.get(value, {"count": 0, "last": ""})
        last = max(seen["last"], group["last"].isoformat())
        field[value] = {"count": seen["count"] + group["count"], "last": last}
    # The newest entries that match no option, each with how many there are in all.
    unmatched = list(
        recent.exclude(matched)
        .annotate(total=Window(Count("id")))
        .values_list("kind", "title", "day", "total")[:UNMATCHED_SHOWN]
    )
    if not steps and not unmatched:
        return None
    return {
        "since": since.isoformat(),
        "steps": steps,
        # A question that takes one answer is prefilled with its most logged option.
        "single": sorted(f"{step}:{field}" for step, field in single),
        "unmatched": [
            {"kind": kind, "step": STEP_OF_KIND[kind], "title": title, "day": day.isoformat()}
            for kind, title, day, _total in unmatched
        ],
        "unmatched_count": unmatched[0][3] if unmatched else 0,
    }
