"""Starting an audit, saving a step, finishing it with a scored snapshot; visitors' drafts."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from tracks.models import Track

from . import evidence, scoring
from .models import Audit, AuditAnswer
from .plans import next_steps
from .steps import LAST_STEP, read_answers

ACTIVE_GAP = timedelta(minutes=30)


VISITOR_KEY = "audit_visitor_key"


def start_audit(member, copy_from=None):
    """A member's new audit: a retake starts from `copy_from`'s answers, a fresh one from what
    their curiosity log holds (ticked, each saying so; all can be unticked)."""
    if copy_from is not None:
        audit = Audit.objects.create(member=member)
        copy_answers(copy_from, audit)
        return audit
    found = evidence.member_evidence(member)
    audit = Audit.objects.create(member=member, log_evidence=found)
    if found:
        AuditAnswer.objects.bulk_create(
            AuditAnswer(audit=audit, step=number, data=data)
            for number, data in evidence.prefilled_answers(found).items()
        )
    return audit


def start_visitor_audit(session, address):
    """A visitor's audit, kept with their browser's session until they sign up or log in."""
    if not session.get(VISITOR_KEY):
        session[VISITOR_KEY] = secrets.token_urlsafe(32)
    return Audit.objects.create(visitor_key=session[VISITOR_KEY], visitor_address=address)


def copy_answers(source, audit):
    if source is None:
        return
    AuditAnswer.objects.bulk_create(
        AuditAnswer(audit=audit, step=answer.step, data=answer.data)
        for answer in source.answers.all()
    )
    audit.years = source.years
    audit.save(update_fields=["years"])


def address_key(address):
    """A keyed hash of a visitor's address: enough to count their drafts, useless to anyone
    who reads the database."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def recent_visitor_drafts(address_hash, within=timedelta(hours=1)):
    return Audit.objects.filter(
        member=None, visitor_address=address_hash, created_at__gte=timezone.now() - within
    ).count()


def claim_visitor_audits(sender, request, user, **kwargs):
    """user_logged_in: the audits this browser took as a visitor join the member's history.

    The update matches only unclaimed audits, so a claim happens once, whichever way in."""
    if request is None or getattr(request, "session", None) is None:
        return
    key = request.session.pop(VISITOR_KEY, None)
    if key:
        Audit.objects.filter(member=None, visitor_key=key).update(member=user, visitor_key="")


def delete_unclaimed_audits(older_than=timedelta(days=30)):
    """Delete visitors' audits nobody claimed, untouched for `older_than`; how many."""
    stale = Audit.objects.filter(member=None, updated_at__lt=timezone.now() - older_than)
    _total, deleted = stale.delete()
    return deleted.get(Audit._meta.label, 0)


def save_step(audit, number, data, advance=True):
    """Store one step's answers and the time spent, if `audit` (as the view read it) is still a
    draft with this step open. Returns the audit as saved, or None when it is not.

    Each step is its own row, so two tabs saving different steps never overwrite each other.
    `advance=False` keeps the audit where it is (the Back button saves what is on the step).
    """
    now = timezone.now()
    spent = active_seconds(audit.last_activity_at, now)
    changes = {
        "seconds_spent": F("seconds_spent") + spent,
        "last_activity_at": now,
        "updated_at": now,
    }
    if advance:
        changes["reached_step"] = Greatest("reached_step", min(number + 1, LAST_STEP))
    if number == 0 and "years" in data:
        changes["years"] = data["years"]
    with transaction.atomic():
        draft = Audit.objects.filter(
            pk=audit.pk, status=Audit.Status.DRAFT, reached_step__gte=number
        )
        if not draft.update(**changes):
            return None
        AuditAnswer.objects.bulk_create(
            [AuditAnswer(audit=audit, step=number, data=data)],
            update_conflicts=True,
            unique_fields=["audit", "step"],
            update_fields=["data", "saved_at"],
        )
    # The row as the update left it, unless another tab saved in between (then close to it).
    if advance:
        audit.reached_step = max(audit.reached_step, min(number + 1, LAST_STEP))
    audit.seconds_spent += spent
    audit.last_activity_at = audit.updated_at = now
    audit.years = changes.get("years", audit.years)
    return audit


@dataclass(frozen=True)
class Submitted:
    """What a step's POST came to: the audit as it is now, the step to show next (None: the
    result), the status to answer with, the note the member is told (a partial of
    templates/audits/notes.html) and whether the step shows what was sent again."""

    audit: Audit
    step: int | None
    status: int = 200
    note: str = ""
    keep_form: bool = False


def submit_step(audit, number, form, action="continue"):
    """A step sent by its form: "continue" saves the answers if they are valid and moves on (the
    last step finishes the audit); "back" and "filter" keep what is on the step, unchecked,
    then go back a step or stay to filter the companies."""
    if audit.is_finished:
        if number == LAST_STEP:  # the last step sent again (a double click, a second tab)
            return Submitted(audit, None)
        return Submitted(audit, None, 409, "finished")
    if number > audit.reached_step:
        return Submitted(audit, audit.reached_step, 400, "in_order")
    if action in ("back", "filter"):
        if save_step(audit, number, form.draft_data(), advance=False) is None:
            return changed_elsewhere(audit, number)
        return Submitted(audit, number - 1 if action == "back" and number > 0 else number)
    if not form.is_valid():
        return Submitted(audit, number, 400, keep_form=True)
    if save_step(audit, number, form.stored_data()) is None:
        return changed_elsewhere(audit, number)
    if number == LAST_STEP:
        finished, _created = finish_audit(audit.id)
        return Submitted(finished, None, note="finished_now")
    return Submitted(audit, number + 1)


def changed_elsewhere(audit, number):
    """Another tab finished the audit or moved it on between reading and saving."""
    audit.refresh_from_db()
    if audit.is_finished and number == LAST_STEP:
        return Submitted(audit, None, note="changed_elsewhere")  # the same answers sent twice
    if audit.is_finished:
        return Submitted(audit, None, 409, "changed_elsewhere")
    return Submitted(audit, number, 409, "changed_elsewhere", keep_form=True)


def active_seconds(last_activity_at, now):
    """Time spent since the last save; a gap longer than ACTIVE_GAP is a break, not work."""
    gap = now - last_activity_at
    return int(min(gap, ACTIVE_GAP).total_seconds()) if gap > timedelta(0) else 0


def finish_audit(audit_id):
    """Score the audit once; a second (or simultaneous) submit finds it finished and stops."""
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit_id)
        if audit.is_finished:
            return audit, False
        answers = {answer.step: answer.data for answer in audit.answers.all()}
        audit_input, snapshot = read_answers(answers)
        result = scoring.score(audit_input)
        result["next_steps"] = next_steps(result, finished_talks=snapshot.get("talks", []))
        result["colours"] = {t.slug: [t.colour, t.symbol] for t in Track.objects.all()}
        if audit.log_evidence:
            result["log"] = evidence.compare_with_log(answers, audit.log_evidence, result)
        audit.status = Audit.Status.FINISHED
        audit.answers_snapshot = snapshot
        audit.result = result
        audit.scoring_version = result["version"]
        audit.top_tracks = ", ".join(result["recommended_names"])[:200]
        audit.finished_at = timezone.now()
        audit.save()
    return audit, True
