"""The audit's rules: starting, saving a step, finishing with a scored snapshot, exporting."""

import json
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Prefetch
from django.utils import timezone

from tracks.models import Company, CompanyTrack, ConferenceTrack, GuideSection, Track

from . import scoring
from .models import Audit, AuditAnswer, MemberSession, Option
from .steps import LAST_STEP

ACTIVE_GAP = timedelta(minutes=30)


def start_audit(member, copy_from=None):
    audit = Audit.objects.create(member=member)
    if copy_from is not None:
        AuditAnswer.objects.bulk_create(
            AuditAnswer(audit=audit, step=answer.step, data=answer.data)
            for answer in copy_from.answers.all()
        )
        audit.years = copy_from.years
        audit.save(update_fields=["years"])
    return audit


def save_step(audit_id, member, number, data):
    """Store one step's answers and the time spent, if the audit is the member's draft and the
    step is open (reached). Returns the audit as saved, or None when it is not.

    Each step is its own row, so two tabs saving different steps never overwrite each other.
    On PostgreSQL the checks, both writes and the read of the audit are one statement.
    """
    now = timezone.now()
    reached = min(number + 1, LAST_STEP)
    database = router.db_for_write(Audit)
    if connections[database].vendor == "postgresql":
        params = {
            "id": audit_id,
            "member": member.pk,
            "draft": Audit.Status.DRAFT,
            "step": number,
            "reached": reached,
            "now": now,
            "active_gap": ACTIVE_GAP.total_seconds(),
            "years": data.get("years", "") if number == 0 else None,
            "data": json.dumps(data),
        }
        with connections[database].cursor() as cursor:
            cursor.execute(SAVE_STEP_SQL, params)
            row = cursor.fetchone()
        # The columns it returned, the others left to load if asked for, as the ORM builds it.
        audit = Audit.from_db(database, SAVED_STEP_COLUMNS, row) if row else None
    else:
        audit = save_step_in_transaction(audit_id, member, number, data, now, reached)
    return audit


def active_seconds(last_activity_at, now):
    """Time spent since the last save; a gap longer than ACTIVE_GAP is a break, not work."""
    gap = now - last_activity_at
    return int(min(gap, ACTIVE_GAP).total_seconds()) if gap > timedelta(0) else 0


def save_step_in_transaction(audit_id, member, number, data, now, reached):
    """save_step for databases without data-modifying WITH: the same rules, in the ORM."""
    with transaction.atomic():
        audit = (
            Audit.objects.select_for_update()
            .filter(pk=audit_id, member=member, status=Audit.Status.DRAFT, reached_step__gte=number)
            .first()
        )
        if audit is None:
            return None
        AuditAnswer.objects.bulk_create(
            [AuditAnswer(audit=audit, step=number, data=data)],
            update_conflicts=True,
            unique_fields=["audit", "step"],
            update_fields=["data", "saved_at"],
        )
        audit.reached_step = max(audit.reached_step, reached)
        audit.seconds_spent += active_seconds(audit.last_activity_at, now)
        audit.last_activity_at = audit.updated_at = now
        fields = ["reached_step", "seconds_spent", "last_activity_at", "updated_at"]
        if number == 0:
            audit.years = data.get("years", "")
            fields.append("years")
        Audit.objects.filter(pk=audit.pk).update(**{name: getattr(audit, name) for name in fields})
    return audit


# The columns SAVE_STEP_SQL returns, in the model's order as Audit.from_db needs: every column but
# the result and its snapshot, which a draft does not have yet.
SAVED_STEP_COLUMNS = (
    "id",
    "member_id",
    "status",
    "reached_step",
    "years",
    "created_at",
    "updated_at",
    "last_activity_at",
    "finished_at",
    "seconds_spent",
    "scoring_version",
    "top_tracks",
)

# The audit row is updated only when it is the member's draft and the step is open; the answer
# is written only for the row the update returns. One statement: atomic without a transaction.
# Formatted once, with the constant column names above only.
SAVE_STEP_SQL = f"""
WITH audit AS (
    UPDATE audits_audit SET
        reached_step = GREATEST(reached_step, %(reached)s),
        seconds_spent = seconds_spent + FLOOR(LEAST(GREATEST(
            EXTRACT(EPOCH FROM %(now)s - last_activity_at), 0), %(active_gap)s))::integer,
        last_activity_at = %(now)s,
        updated_at = %(now)s,
        years = COALESCE(%(years)s, years)
    WHERE id = %(id)s AND member_id = %(member)s AND status = %(draft)s
        AND reached_step >= %(step)s
    RETURNING {", ".join(SAVED_STEP_COLUMNS)}
), answer AS (
    INSERT INTO audits_auditanswer (audit_id, step, data, saved_at)
    SELECT id, %(step)s, %(data)s::jsonb, %(now)s FROM audit
    ON CONFLICT (audit_id, step) DO UPDATE SET data = EXCLUDED.data, saved_at = EXCLUDED.saved_at
)
SELECT * FROM audit
"""  # noqa: S608  # nosec B608


def finish_audit(audit_id, member):
    """Score the audit once; a second (or simultaneous) submit finds it finished and stops."""
    with transaction.atomic():
        audit = Audit.objects.select_for_update().get(pk=audit_id, member=member)
        if audit.is_finished:
            return audit, False
        answers = {answer.step: answer.data for answer in audit.answers.all()}
        audit_input, snapshot = gather(answers)
        result = scoring.score(audit_input)
        result["next_steps"] = next_steps(result["recommended"])
        result["colours"] = {t.slug: [t.colour, t.symbol] for t in Track.objects.all()}
        audit.status = Audit.Status.FINISHED
        audit.answers_snapshot = snapshot
        audit.result = result
        audit.scoring_version = result["version"]
        audit.top_tracks = ", ".join(result["recommended_names"])[:200]
        audit.finished_at = timezone.now()
        audit.save()
    return audit, True


def gather(answers):
    """The member's stored answers, resolved against today's catalogue, for scoring and keeping."""
    # An unpublished track is out of the audit: it is neither scored nor recommended.
    tracks = list(Track.objects.filter(published=True))
    names = {t.slug: t.name for t in tracks}
    context = answers.get(0, {})
    years = context.get("years", "")
    tried = [slug for slug in context.get("tried", []) if slug in names]

    options = list(
        Option.objects.filter(
            question__step__in=[1, 2, 5], published=True, question__published=True
        )
        .select_related("question")
        .prefetch_related("weights__track")
    )
    chosen = {1: [], 2: [], 5: []}
    for option in options:
        question = option.question
        picked = answers.get(question.step, {}).get(question.slug)
        if picked is None:
            continue
        if option.key in picked if isinstance(picked, list) else option.key == picked:
            chosen[question.step].append(option)

    def curiosity(step):
        return tuple(
            scoring.Signal(o.label, {w.track.slug: w.weight for w in o.weights.all()})
            for o in chosen[step]
        )

    talk_keys = set(answers.get(3, {}).get("talks", []))
    talks = [
        session
        for session in ConferenceTrack.objects.select_related("conference", "track")
        if f"{session.conference.slug}:{session.track.slug}" in talk_keys
    ]
    company_slugs = set(answers.get(4, {}).get("companies", []))
    companies = list(
        Company.objects.filter(slug__in=company_slugs).prefetch_related(
            Prefetch("hiring", queryset=CompanyTrack.objects.select_related("track"))
        )
    )
    reflection = chosen[5]

    audit_input = scoring.AuditInput(
        tracks=tuple(scoring.TrackRef(t.slug, t.name) for t in tracks),
        years=years,
        tried=tuple(tried),
        problems=curiosity(1),
        reading=curiosity(2),
        talks=tuple(scoring.Signal(s.label, {s.track.slug: 1}) for s in talks),
        companies=tuple(
            scoring.Signal(c.name, {h.track.slug: 1 for h in c.hiring.all()}) for c in companies
        ),
        warnings=frozenset(o.warning for o in reflection if o.warning),
    )
    snapshot = {
        "years": years,
        "years_label": Audit.Years(years).label if years in Audit.Years.values else "",
        "tried": [names[slug] for slug in tried],
        "problems": [o.label for o in chosen[1]],
        "note": answers.get(1, {}).get("note", ""),
        "reading": [o.label for o in chosen[2]],
        "talks": [s.label for s in talks],
        "companies": [c.name for c in companies],
        "reflection": [{"question": o.question.prompt, "answer": o.label} for o in reflection],
    }
    return audit_input, snapshot


def next_steps(recommended):
    """What to do next for each recommended track, kept with the result."""
    if not recommended:
        return []
    tracks = Track.objects.filter(slug__in=recommended).prefetch_related(
        "skills",
        Prefetch("sessions", queryset=ConferenceTrack.objects.select_related("conference")),
        Prefetch("hiring", queryset=CompanyTrack.objects.select_related("company")),
        "project_listings__project",
    )
    highlight = GuideSection.objects.filter(kind=GuideSection.Kind.HIGHLIGHT).first()
    steps = []
    for track in tracks:
        skills = [skill.name for skill in track.skills.all()]
        steps.append(
            {
                "slug": track.slug,
                "name": track.name,
                "url": track.get_absolute_url(),
                "conferences": [s.label for s in track.sessions.all()],
                "projects": [listing.project.name for listing in track.project_listings.all()],
                "companies": [
                    {"name": h.company.name, "slug": h.company.slug, "qualifier": h.qualifier}
                    for h in track.hiring.all()
                ],
                "become_the_person": become_the_person(track.name, skills),
                "highlight": highlight.title if highlight else "",
            }
        )
    return steps


def become_the_person(track_name, skills):
    # Track names keep their casing ("Safety / responsible AI", "FDE"), as the chapter writes them.
    first = skills[0] if skills else track_name
    second = skills[1] if len(skills) > 1 else first
    return [
        f"Ask to own the next decision about {first} on your team.",
        f"Write the team's evaluation suite for its {track_name} work.",
        f"Give a brown-bag talk on {second}.",
        "Keep at it for three months: being the person your team brings these problems to "
        "counts for more than a new title.",
    ]


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


def remember_login_session(sender, request, user, **kwargs):
    """user_logged_in: note the session, so that deleting the account can end it everywhere."""
    if request is not None and getattr(request, "session", None) is not None:
        if request.session.session_key is None:
            request.session.save()
        MemberSession.objects.get_or_create(
            session_key=request.session.session_key, defaults={"member": user}
        )


@transaction.atomic
def delete_member(user):
    """Delete an account and every personal row: audits, sessions on all devices, login records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for session_key in user.login_sessions.values_list("session_key", flat=True):
        store(session_key).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.get_username()).delete()
    user.delete()  # audits, their answers and the session records cascade with it
