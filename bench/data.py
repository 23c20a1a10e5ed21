"""Bench data in bulk: members with finished audits scored by the real scoring, and their sessions.

    .venv/bin/python bench/data.py --reset --members 10000 --audits-per-member 10 \\
        --history-audits 500 --identities /tmp/bench-identities.json

Runs against DATABASE_URL with the project's settings and sets Django up itself; the product never
imports it (tests/test_scale.py does). Never point it at production: `--reset` deletes every
``bench-`` member and every bench session.

Every answer set is drawn at random from what the step forms offer today, validated by those
forms and stored in their `stored_data()` shape; it is then resolved with `steps.read_answers` and
scored with `scoring.score`, and the result gets the same extra keys as `flows.finish_audit`
adds. A pool of distinct answer sets is scored once and sampled from, so a large load spends its
time in bulk inserts, not in scoring. All members share one password hash (hashed once).

Each member also gets a session row holding exactly what a log-in writes (the member's id, the
backend that authenticated them, the password-derived hash), so the load generator can act as
10,000 signed-in people without 10,000 password checks. `--identities` writes their session keys
and audit ids as JSON for bench/run.py.
"""

import os
import sys

if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings")
    import django

    django.setup()

import argparse
import json
import random
import secrets
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django import forms
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    authenticate,
    get_user_model,
)
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from audits import plans, scoring
from audits.models import Audit, AuditAnswer
from audits.steps import LAST_STEP, TOTAL_STEPS, flat_choices, read_answers, step_form
from tracks.models import Track

BENCH_PREFIX = "bench-"
# Bench session keys start with this, so --reset finds them without decoding any session.
SESSION_PREFIX = "bench0"
HISTORY_MEMBER = "bench-history"  # the member with hundreds of audits
FEW_MEMBER = "bench-few"  # the member with a handful, for the query counts
# Bench members all share this password (hashed once); it guards nothing but local test data.
BENCH_PASSWORD = "bench-not-a-secret-2026"  # noqa: S105  # nosec B105
YEARS = [value for value, _label in Audit.Years.choices]  # in order of experience
# How many options a member ticks on a multiple-choice question, as a distribution.
PICK_COUNTS = (0, 1, 1, 2, 2, 2, 3, 3, 4)
NOTES = (
    "",
    "",
    "",
    "Hybrid search that kept missing acronyms",
    "An eval that disagreed with every human rater",
    "Shaving 200 ms off the time to first token",
    "A voice agent that talked over the caller",
    "A support workflow nobody had written down",
)


class BenchDataError(Exception):
    pass


@dataclass(frozen=True)
class ScoredAnswers:
    """One distinct answer set, stored the way the steps store it, with its finished snapshot."""

    answers: dict  # {step: data} exactly as AuditAnswer.data holds it
    snapshot: dict  # like steps.read_answers' snapshot
    result: dict  # scoring.score(...) plus the keys finish_audit adds

    @property
    def years(self):
        return self.answers[0].get("years", "")

    @property
    def top_tracks(self):
        return ", ".join(self.result["recommended_names"])[:200]


# --- answers ---------------------------------------------------------------------------------


def random_form_data(rng, form):
    """Random but valid POST data for one step form, drawn from the choices it offers now."""
    data = MultiValueDict()
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            values = [str(key) for key, _label in flat_choices(field.choices)]
            if not values:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                data.setlist(name, rng.sample(values, min(len(values), rng.choice(PICK_COUNTS))))
            else:
                data.setlist(name, [rng.choice(values)])
        else:
            data.setlist(name, [rng.choice(NOTES)])
    return data


def random_answers(rng, blank_forms, check_with_forms=False):
    """One member's answers to the six steps, in the shape the step forms store them.

    Each field cleans its own random value (what `form.is_valid()` does field by field, without
    loading the choices again); `check_with_forms` also binds the real step form and insists that
    it accepts the data and stores exactly the same thing.
    """
    answers = {}
    for number, blank in blank_forms.items():
        data = random_form_data(rng, blank)
        stored = {}
        for name, field in blank.fields.items():
            value = data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else None
            if value is None:
                value = data.get(name)
            try:
                stored[name] = field.clean(value)
            except forms.ValidationError as error:
                raise BenchDataError(f"Random answer to {name} is invalid: {error}") from error
        if check_with_forms:
            form = step_form(number, data=data)
            if not form.is_valid() or form.stored_data() != stored:
                raise BenchDataError(f"Step {number} stores something else: {form.errors}")
        answers[number] = stored
    return answers


def score_answers(answers, colours=None, next_steps_cache=None):
    """What finish_audit stores for these answers: read, score, then its extra keys."""
    if colours is None:
        colours = track_colours()
    if next_steps_cache is None:
        next_steps_cache = {}
    audit_input, snapshot = read_answers(answers)
    result = scoring.score(audit_input)
    runner_up = (result["runner_up"] or {}).get("slug")
    stage = result["stage"]["code"]  # the first year's plan is a generalist's
    key = (tuple(result["recommended"]), runner_up, stage, tuple(snapshot.get("talks", [])))
    if key not in next_steps_cache:
        next_steps_cache[key] = plans.next_steps(result, snapshot.get("talks", []))
    result["next_steps"] = next_steps_cache[key]
    result["colours"] = colours
    return ScoredAnswers(answers=answers, snapshot=snapshot, result=result)


def track_colours():
    return {t.slug: [t.colour, t.symbol] for t in Track.objects.all()}


def answer_pool(size=200, seed=0):
    """`size` distinct answer sets (fewer if the catalogue cannot offer that many), scored once."""
    rng = random.Random(seed)  # reproducible test data  # noqa: S311  # nosec B311
    blank_forms = {number: step_form(number) for number in range(TOTAL_STEPS)}
    colours = track_colours()
    next_steps_cache = {}
    pool, seen = [], set()
    for _attempt in range(size * 20):
        if len(pool) >= size:
            break
        answers = random_answers(rng, blank_forms, check_with_forms=len(pool) < 3)
        key = json.dumps(answers, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        pool.append(score_answers(answers, colours, next_steps_cache))
    if not pool:
        raise BenchDataError("No answer set could be built: load the seed content first.")
    return pool


def by_years(pool):
    grouped = {}
    for entry in pool:
        grouped.setdefault(entry.years, []).append(entry)
    return grouped


# --- audits ----------------------------------------------------------------------------------


def member_timeline(rng, count, now, span_days):
    """When a member joined and when they took each of `count` audits (oldest first)."""
    joined = now - timedelta(days=rng.uniform(min(60, span_days), span_days))
    first = joined + timedelta(hours=1)
    window = max((now - timedelta(hours=1) - first).total_seconds(), 60.0)
    started = sorted(first + timedelta(seconds=rng.uniform(0, window)) for _ in range(count))
    return joined, started


def build_audits(
    member_id, started, pool, rng, grouped=None, with_answers=True, first_years_index=None
):
    """Unsaved finished audits (and their step answers) for one member, one per start time.

    The member's experience grows with time: the years answer moves up one band a year from a
    random starting band, and each audit samples an answer set with that years answer.
    """
    grouped = grouped if grouped is not None else by_years(pool)
    if first_years_index is None:
        first_years_index = rng.randrange(len(YEARS))
    audits, answers = [], []
    first = started[0] if started else None
    for created in started:
        band = min(first_years_index + int((created - first).days / 365), len(YEARS) - 1)
        entry = rng.choice(grouped.get(YEARS[band]) or pool)
        spent = rng.randint(150, 1500)
        finished = created + timedelta(seconds=spent)
        audit = Audit(
            id=uuid.uuid4(),
            member_id=member_id,
            status=Audit.Status.FINISHED,
            reached_step=LAST_STEP,
            years=entry.years,
            created_at=created,
            updated_at=finished,
            last_activity_at=finished,
            finished_at=finished,
            seconds_spent=spent,
            answers_snapshot=entry.snapshot,
            result=entry.result,
            scoring_version=entry.result["version"],
            top_tracks=entry.top_tracks,
        )
        audits.append(audit)
        if with_answers:
            answers.extend(
                AuditAnswer(
                    audit_id=audit.id,
                    step=step,
                    data=data,
                    saved_at=created + timedelta(seconds=spent * (step + 1) // TOTAL_STEPS),
                )
                for step, data in entry.answers.items()
            )
    return audits, answers


@contextmanager
def given_dates():
    """Let bulk_create keep the dates we give instead of stamping auto_now(_add) with now."""
    fields = [Audit._meta.get_field(name) for name in ("created_at", "updated_at")]
    fields += [Audit._meta.get_field("last_activity_at"), AuditAnswer._meta.get_field("saved_at")]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert_audits(audits, answers, batch_size=1000):
    with given_dates(), transaction.atomic():
        Audit.objects.bulk_create(audits, batch_size=batch_size)
        AuditAnswer.objects.bulk_create(answers, batch_size=batch_size * 2)


def add_audits(member, count, pool, rng, now=None, span_days=4 * 365, with_answers=True):
    """Give an existing member `count` more finished audits spread over the last years."""
    now = now or timezone.now()
    joined = max(member.date_joined, now - timedelta(days=span_days))
    window = max((now - timedelta(hours=1) - joined).total_seconds(), 60.0)
    started = sorted(joined + timedelta(seconds=rng.uniform(60, window)) for _ in range(count))
    audits, answers = build_audits(member.pk, started, pool, rng, with_answers=with_answers)
    insert_audits(audits, answers)
    return audits, answers


# --- members ---------------------------------------------------------------------------------


def next_bench_number():
    last = (
        get_user_model()
        .objects.filter(username__regex=rf"^{BENCH_PREFIX}[0-9]{{6}}$")
        .order_by("-username")
        .values_list("username", flat=True)
        .first()
    )
    return int(last.removeprefix(BENCH_PREFIX)) + 1 if last else 1


def reset_bench_members(prefix=BENCH_PREFIX):
    """Delete the bench members and everything of theirs; returns (members, audits, answers).

    Step answers go in one DELETE; audits are collected by primary key only (`only("pk")`), so
    their large JSON columns are never fetched.
    """
    user_model = get_user_model()
    with transaction.atomic():
        _total, answers = AuditAnswer.objects.filter(
            audit__member__username__startswith=prefix
        ).delete()
        _total, audits = (
            Audit.objects.filter(member__username__startswith=prefix).only("pk").delete()
        )
        _total, members = user_model.objects.filter(username__startswith=prefix).delete()
    return (
        members.get(user_model._meta.label, 0),
        audits.get(Audit._meta.label, 0),
        answers.get(AuditAnswer._meta.label, 0),
    )


def analyze():
    if connection.vendor != "postgresql":
        return
    tables = [get_user_model()._meta.db_table, Audit._meta.db_table, AuditAnswer._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def session_store_class():
    return import_module(settings.SESSION_ENGINE).SessionStore


def reset_bench_sessions():
    model = session_store_class().get_model_class()
    return model.objects.filter(session_key__startswith=SESSION_PREFIX).delete()[0]


def login_backend(username, password=BENCH_PASSWORD):
    """The backend a real log-in records for a bench member: authenticate() once and ask it."""
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise BenchDataError(f"{username} cannot log in with the bench password.")
    return user.backend


def create_sessions(users, backend, batch_size=1000):
    """A session row per member holding what `django.contrib.auth.login` stores; returns
    {username: session key}. No password is checked: the hash is derived from the stored one."""
    store_class = session_store_class()
    model = store_class.get_model_class()
    expires = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows = {}, []
    for user in users:
        key = SESSION_PREFIX + secrets.token_hex(13)  # 32 characters, as Django's own
        data = {
            SESSION_KEY: user._meta.pk.value_to_string(user),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            model(session_key=key, session_data=store_class().encode(data), expire_date=expires)
        )
        keys[user.username] = key
    model.objects.bulk_create(rows, batch_size=batch_size)
    return keys


def identities(session_keys):
    """For each member with a session: the session key and the ids of their two newest finished
    audits (a result to open, a pair to compare), newest first."""
    user_model = get_user_model()
    ids = dict(user_model.objects.filter(username__in=session_keys).values_list("username", "id"))
    newest = {}
    audits = (
        Audit.objects.filter(member_id__in=ids.values(), status=Audit.Status.FINISHED)
        .order_by("member_id", "-created_at")
        .values_list("member_id", "id")
    )
    for member_id, audit_id in audits.iterator(chunk_size=5000):
        kept = newest.setdefault(member_id, [])
        if len(kept) < 2:
            kept.append(str(audit_id))
    return {
        username: {"session": key, "audits": newest.get(ids[username], [])}
        for username, key in session_keys.items()
    }


def load(
    members=100,
    audits_per_member=10,
    history_audits=500,
    few_audits=5,
    pool_size=200,
    seed=0,
    years_span=4.0,
    reset=False,
    with_answers=True,
    sessions=True,
    batch_size=1000,
    members_per_transaction=500,
    say=print,
):
    """Add bench members with finished audits (and, with `sessions`, a signed-in session each);
    returns {username: {"session", "audits"}} for the members given sessions."""
    started = time.monotonic()
    if members < 0 or audits_per_member < 0 or history_audits < 0 or few_audits < 0:
        raise BenchDataError("Counts must be zero or more.")
    span_days = max(years_span * 365, 1.0)
    rng = random.Random(seed)  # reproducible test data  # noqa: S311  # nosec B311
    now = timezone.now()
    user_model = get_user_model()

    if reset:
        tick = time.monotonic()
        counts = reset_bench_members()
        deleted_sessions = reset_bench_sessions()
        say(
            f"Reset: deleted {counts[0]:,} bench members, {counts[1]:,} audits, "
            f"{counts[2]:,} answers and {deleted_sessions:,} sessions in "
            f"{time.monotonic() - tick:.1f} s."
        )

    tick = time.monotonic()
    pool = answer_pool(pool_size, seed)
    grouped = by_years(pool)
    outcomes = {tuple(entry.result["recommended"]) for entry in pool}
    say(
        f"Scored {len(pool)} distinct answer sets ({len(outcomes)} distinct recommendations) "
        f"in {time.monotonic() - tick:.1f} s."
    )
    password = make_password(BENCH_PASSWORD)

    new_users = []
    total_audits = total_answers = 0
    tick = time.monotonic()
    first_number = next_bench_number()
    chunk = max(members_per_transaction, 1)
    for chunk_start in range(0, members, chunk):
        numbers = range(
            first_number + chunk_start, first_number + min(chunk_start + chunk, members)
        )
        plans, users = {}, []
        for number in numbers:
            username = f"{BENCH_PREFIX}{number:06d}"
            joined, started_at = member_timeline(rng, audits_per_member, now, span_days)
            plans[username] = started_at
            users.append(
                user_model(
                    username=username,
                    email=f"{username}@bench.invalid",
                    password=password,
                    date_joined=joined,
                    last_login=started_at[-1] if started_at else None,
                )
            )
        with transaction.atomic():
            user_model.objects.bulk_create(users, batch_size=batch_size)
            saved = list(user_model.objects.filter(username__in=plans))
            audits, answers = [], []
            for user in saved:
                more_audits, more_answers = build_audits(
                    user.pk, plans[user.username], pool, rng, grouped, with_answers
                )
                audits += more_audits
                answers += more_answers
            insert_audits(audits, answers, batch_size)
        new_users += saved
        total_audits += len(audits)
        total_answers += len(answers)
        if members > chunk:
            say(
                f"  {chunk_start + len(numbers):,}/{members:,} members, "
                f"{total_audits:,} audits ({time.monotonic() - tick:.0f} s)"
            )
    if members:
        say(
            f"Created {members:,} members ({BENCH_PREFIX}{first_number:06d} … "
            f"{BENCH_PREFIX}{first_number + members - 1:06d}) with {total_audits:,} finished "
            f"audits and {total_answers:,} step answers in {time.monotonic() - tick:.1f} s."
        )

    for username, wanted in ((HISTORY_MEMBER, history_audits), (FEW_MEMBER, few_audits)):
        if wanted:
            member = top_up(username, wanted, password, pool, rng, span_days, with_answers, say)
            new_users.append(member)

    keys = {}
    if sessions and new_users:
        tick = time.monotonic()
        backend = login_backend(new_users[-1].username)
        keys = create_sessions(new_users, backend, batch_size)
        say(f"Signed in {len(keys):,} members ({backend}) in {time.monotonic() - tick:.1f} s.")

    tick = time.monotonic()
    analyze()
    if connection.vendor == "postgresql":
        say(f"ANALYZE in {time.monotonic() - tick:.1f} s.")
    bench_members = user_model.objects.filter(username__startswith=BENCH_PREFIX)
    say(
        f"Done in {time.monotonic() - started:.1f} s on {connection.vendor}: "
        f"{bench_members.count():,} bench members, "
        f"{Audit.objects.filter(member__in=bench_members).count():,} of their audits."
    )
    return identities(keys) if keys else {}


def top_up(username, wanted, password, pool, rng, span_days, with_answers, say=print):
    """Create the member if missing and give them audits up to `wanted` (never more)."""
    member, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@bench.invalid",
            "password": password,
            "date_joined": timezone.now() - timedelta(days=span_days),
        },
    )
    have = member.audits.count()
    missing = max(wanted - have, 0)
    tick = time.monotonic()
    add_audits(member, missing, pool, rng, span_days=span_days, with_answers=with_answers)
    say(
        f"{username} ({'created' if created else 'existing'}): {have + missing:,} audits "
        f"({missing:,} added in {time.monotonic() - tick:.1f} s)."
    )
    return member


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--members", type=int, default=100, help="bench members to add")
    parser.add_argument("--audits-per-member", type=int, default=10)
    parser.add_argument("--history-audits", type=int, default=500, help=f"for {HISTORY_MEMBER}")
    parser.add_argument("--few-audits", type=int, default=5, help=f"for {FEW_MEMBER}")
    parser.add_argument("--pool", type=int, default=200, help="distinct answer sets to score")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--years-span", type=float, default=4.0)
    parser.add_argument("--reset", action="store_true", help="delete bench members first")
    parser.add_argument("--no-answers", action="store_true", help="skip per-step answer rows")
    parser.add_argument("--no-sessions", action="store_true", help="create no sessions")
    parser.add_argument("--identities", help="write session keys and audit ids here (JSON)")
    options = parser.parse_args(argv)
    try:
        found = load(
            members=options.members,
            audits_per_member=options.audits_per_member,
            history_audits=options.history_audits,
            few_audits=options.few_audits,
            pool_size=options.pool,
            seed=options.seed,
            years_span=options.years_span,
            reset=options.reset,
            with_answers=not options.no_answers,
            sessions=not options.no_sessions,
        )
    except BenchDataError as error:
        raise SystemExit(f"bench/data.py: {error}") from error
    if options.identities:
        with open(options.identities, "w") as out:
            json.dump(found, out)
        print(f"Wrote {len(found):,} identities to {options.identities}.")


if __name__ == "__main__":
    main()
