"""The audit's rules: starting, saving a step, finishing with a scored snapshot, exporting."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from tracks.models import CompanyTrack, ConferenceTrack, GuideSection, ProjectTrack, Track

from . import scoring
from .models import Audit, AuditAnswer, ShareLink
from .steps import LAST_STEP, read_answers

ACTIVE_GAP = timedelta(minutes=30)


VISITOR_KEY = "audit_visitor_key"


def start_audit(member, copy_from=None):
    audit = Audit.objects.create(member=member)
    copy_answers(copy_from, audit)
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


def client_address(request):
    """The address a request came from: behind settings.PROXY_COUNT proxies, the one the
    outermost of them saw (each appends to X-Forwarded-For), never a hop the client wrote."""
    if settings.PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


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
        audit.status = Audit.Status.FINISHED
        audit.answers_snapshot = snapshot
        audit.result = result
        audit.scoring_version = result["version"]
        audit.top_tracks = ", ".join(result["recommended_names"])[:200]
        audit.finished_at = timezone.now()
        audit.save()
    return audit, True


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


def create_share_link(audit):
    """A new private link to a finished audit; it replaces the audit's active link, if any."""
    with transaction.atomic():
        revoke_share_links(audit)
        return ShareLink.objects.create(audit=audit, token=secrets.token_urlsafe(24))


def revoke_share_links(audit):
    """Revoke the audit's active links: they answer 404 from now on. How many were revoked."""
    return ShareLink.objects.filter(audit=audit, revoked_at=None).update(revoked_at=timezone.now())


def recent_share_links(member, within=timedelta(hours=1)):
    """How many links the member has created lately, revoked ones included."""
    return ShareLink.objects.filter(
        audit__member=member, created_at__gte=timezone.now() - within
    ).count()


def shared_audit(token):
    """The finished audit an active link points to, or None. Never cached: a revoked link must
    stop working at once."""
    link = (
        ShareLink.objects.select_related("audit")
        .filter(
            token=token,
            revoked_at=None,
            audit__status=Audit.Status.FINISHED,
            audit__member__isnull=False,
        )
        .first()
    )
    return link.audit if link else None


def audit_as_dict(audit):
    """A JSON-ready record of one audit: its answers and (when finished) the result snapshot."""
    return {
        "id": str(audit.id),
        "status": audit.status,
        "created_at": audit.created_at.isoformat(),
        "finished_at": audit.finished_at.isoformat() if audit.finished_at else None,
        "years": audit.years,
        "seconds_spent": audit.seconds_spent,
        "answers": audit.answers_snapshot
        or {str(answer.step): answer.data for answer in audit.answers.all()},
        "result": audit.result,
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
