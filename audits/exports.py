"""A member's audits as JSON-ready records, for the audit's JSON download and the data export."""

from django.db.models import Count, Q

from .models import Audit
from .reports import in_words


def audit_as_dict(audit):
    """A JSON-ready record of one audit: its answers and (when finished) the result snapshot,
    its sentences written out as the result page says them."""
    return {
        "id": str(audit.id),
        "status": audit.status,
        "created_at": audit.created_at.isoformat(),
        "finished_at": audit.finished_at.isoformat() if audit.finished_at else None,
        "years": audit.years,
        "seconds_spent": audit.seconds_spent,
        "answers": audit.answers_snapshot
        or {str(answer.step): answer.data for answer in audit.answers.all()},
        "result": in_words(audit.result),
        "scoring_version": audit.scoring_version,
    }


def member_audits(member):
    """Every audit of a member as JSON-ready records, for the member's data export."""
    return [audit_as_dict(audit) for audit in member.audits.prefetch_related("answers")]


def member_audit_counts(member):
    """How many audits a member has, and how many of them are finished."""
    return member.audits.aggregate(
        total=Count("id"), finished=Count("id", filter=Q(status=Audit.Status.FINISHED))
    )
