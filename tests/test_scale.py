"""At scale: member pages cost as many queries for 500 audits as for 5, bench data is real data
(and its sessions are real log-ins), and the history query walks the `audit_member_newest` index
on PostgreSQL.

The catalogue's own growth (ten times the content, same queries) is covered in test_catalogue.py.
"""

import json
import math
import random
from datetime import timedelta
from uuid import UUID

import pytest
from audit_helpers import PASSWORD, post_step, start
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditAnswer
from audits.steps import LAST_STEP, TOTAL_STEPS
from audits.views import HISTORY_FIELDS, HISTORY_PAGE_SIZE
from bench.data import (
    BENCH_PASSWORD,
    add_audits,
    answer_pool,
    build_audits,
    insert_audits,
    load,
    member_timeline,
)
from logbook.models import Entry

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def pool():
    return answer_pool(size=10, seed=6)


def member_pages(member):
    """Every page of a member's own, with the audits it needs."""
    newest, older = member.audits.filter(status=Audit.Status.FINISHED).order_by("-created_at")[:2]
    draft = Audit.objects.create(member=member)
    last_page = math.ceil(member.audits.count() / HISTORY_PAGE_SIZE)
    return {
        "history": reverse("audits:history"),
        "history last page": f"{reverse('audits:history')}?page={last_page}",
        "new audit": reverse("audits:new"),
        "draft step": reverse("audits:step", args=[draft.id, 0]),
        "result": reverse("audits:result", args=[newest.id]),
        "print": reverse("audits:print", args=[newest.id]),
        "compare": f"{reverse('audits:compare')}?audit={older.id}&audit={newest.id}",
        "export json": reverse("audits:export_json", args=[newest.id]),
        "delete audit": reverse("audits:delete", args=[older.id]),
        "account": reverse("account"),
        "account data": reverse("account_data"),
        "account delete": reverse("account_delete"),
    }


def query_counts(client, member):
    client.force_login(member)
    # Deleting the account asks who you are first; answer it once, as a member would.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    counts, sizes = {}, {}
    for name, url in member_pages(member).items():
        caches["pages"].clear()  # count the queries of a full render, not of a cached one
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(captured)
        sizes[name] = len(response.content)
    client.logout()
    return counts, sizes


def test_member_pages_run_the_same_queries_for_5_and_500_audits(client, make_member, pool):
    rng = random.Random(5)  # noqa: S311
    few, many = make_member("few"), make_member("many")
    add_audits(few, 5, pool, rng)
    add_audits(many, 500, pool, rng)

    few_counts, few_sizes = query_counts(client, few)
    many_counts, many_sizes = query_counts(client, many)

    assert many_counts == few_counts
    # The pages may grow with the audits (the data download holds them all), the queries may not.
    assert many_sizes["account data"] > 50 * few_sizes["account data"]
    client.force_login(many)
    data = json.loads(client.get(reverse("account_data")).content)
    assert len(data["audits"]) == 501  # 500 finished and the draft member_pages started
    page = client.get(reverse("audits:history")).content.decode()
    assert page.count('name="audit"') == HISTORY_PAGE_SIZE
    assert "Page 1 of 26" in page


def test_history_pages_cost_the_same_from_the_first_to_the_last(client, make_member, pool):
    member = make_member("historian")
    add_audits(member, 120, pool, random.Random(7), with_answers=False)  # noqa: S311
    client.force_login(member)
    counts = set()
    for number in range(1, 7):  # 120 audits, 20 a page
        caches["pages"].clear()  # a full render each time, as in query_counts
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audits:history"), {"page": number}).status_code == 200
        counts.add(len(captured))
    assert len(counts) == 1, counts


# --- the bench data is what the real audit stores ---------------------------------------------


def as_post_data(answers):
    return {key: value for key, value in answers.items() if value not in ([], "")}


def test_bench_audits_store_what_walking_the_audit_stores(client, member, pool):
    """For the same answers, walking the six steps gives the bench entry's result and snapshot."""
    client.force_login(member)
    for entry in pool[:3]:
        audit = start(client)
        for step in range(TOTAL_STEPS):
            response = post_step(client, audit, step, as_post_data(entry.answers[step]))
            assert response.status_code == 302, (step, entry.answers[step])
        audit.refresh_from_db()
        assert audit.status == Audit.Status.FINISHED
        stored = {answer.step: answer.data for answer in audit.answers.all()}
        assert stored == entry.answers
        # Through JSON, as the database stores it.
        assert audit.result == json.loads(json.dumps(entry.result))
        assert audit.answers_snapshot == json.loads(json.dumps(entry.snapshot))
        assert audit.top_tracks == entry.top_tracks
        assert audit.scoring_version == entry.result["version"]


def quiet(_message):
    pass


def test_bench_data_creates_members_with_finished_audits(django_user_model, make_member):
    keep = make_member("ada")
    Audit.objects.create(member=keep)
    messages = []
    load(
        members=3,
        audits_per_member=4,
        history_audits=7,
        few_audits=2,
        pool_size=12,
        sessions=False,
        say=messages.append,
    )

    bench = django_user_model.objects.filter(username__startswith="bench-")
    assert sorted(bench.values_list("username", flat=True)) == [
        "bench-000001",
        "bench-000002",
        "bench-000003",
        "bench-few",
        "bench-history",
    ]
    assert all(user.check_password(BENCH_PASSWORD) for user in bench)
    audits = Audit.objects.filter(member__in=bench)
    assert audits.count() == 3 * 4 + 7 + 2
    assert django_user_model.objects.get(username="bench-history").audits.count() == 7
    assert set(audits.values_list("status", "reached_step")) == {(Audit.Status.FINISHED, LAST_STEP)}
    assert AuditAnswer.objects.filter(audit__in=audits).count() == audits.count() * TOTAL_STEPS
    now = timezone.now()
    for audit in audits:
        assert set(audit.result) >= {"recommended", "scores", "reasons", "next_steps", "colours"}
        assert set(audit.answers_snapshot) >= {"years", "tried", "talks", "companies"}
        assert audit.years == audit.answers_snapshot["years"]
        assert audit.created_at < audit.finished_at <= now
        assert audit.created_at >= audit.member.date_joined
    # Spread over years, not stamped with the time of the load.
    oldest = audits.order_by("created_at").first().created_at
    assert now - oldest > timedelta(days=60)
    assert any("Created 3 members" in message for message in messages)

    # Without reset it adds members after the last one; with it, only bench members go.
    small = {"audits_per_member": 1, "history_audits": 0, "few_audits": 0, "pool_size": 5}
    load(members=1, sessions=False, say=quiet, **small)
    assert bench.filter(username="bench-000004").exists()
    load(reset=True, members=2, sessions=False, say=quiet, **small)
    assert set(bench.values_list("username", flat=True)) >= {"bench-000001", "bench-000002"}
    assert not bench.filter(username="bench-000003").exists()
    assert keep.audits.count() == 1


def test_history_member_is_topped_up_not_doubled(django_user_model):
    for _ in range(2):
        load(members=0, history_audits=30, few_audits=0, pool_size=5, sessions=False, say=quiet)
    assert django_user_model.objects.get(username="bench-history").audits.count() == 30


def test_a_bench_session_is_a_signed_in_member(client, django_user_model):
    """The session rows stand for a real log-in: the member sees their own pages, not the form."""
    found = load(
        members=2, audits_per_member=2, history_audits=0, few_audits=0, pool_size=5, say=quiet
    )

    assert set(found) == {"bench-000001", "bench-000002"}
    for username, identity in found.items():
        client.cookies["sessionid"] = identity["session"]
        newest, older = identity["audits"]
        member = django_user_model.objects.get(username=username)
        assert set(member.audits.values_list("id", flat=True)) == {UUID(newest), UUID(older)}
        assert client.get(reverse("audits:history")).status_code == 200
        response = client.get(reverse("audits:result", args=[newest]))
        assert response.status_code == 200
        assert response.wsgi_request.user == member
    client.cookies["sessionid"] = "bench0-not-a-session-key-000000"
    assert client.get(reverse("audits:history")).status_code == 302


# --- PostgreSQL: the history query uses its index ---------------------------------------------


def crowd(django_user_model, pool, members=100, audits_each=30):
    """Many members with many audits, so the planner has a table worth an index."""
    rng = random.Random(11)  # noqa: S311
    users = django_user_model.objects.bulk_create(
        django_user_model(username=f"crowd-{n:04d}", password="!") for n in range(members)
    )
    now = timezone.now()
    audits = []
    for user in django_user_model.objects.filter(pk__in=[u.pk for u in users]):
        _joined, started = member_timeline(rng, audits_each, now, 4 * 365)
        more, _answers = build_audits(user.pk, started, pool, rng, with_answers=False)
        audits += more
    insert_audits(audits, [])


@pytest.mark.postgres
def test_history_query_uses_the_member_newest_index(django_user_model, make_member, pool):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN output is PostgreSQL's")
    crowd(django_user_model, pool)
    member = make_member("historian")
    add_audits(member, 500, pool, random.Random(3), with_answers=False)  # noqa: S311
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Audit._meta.db_table)}")
    # The history view's first page: its fields, newest first, LIMIT 20.
    history = member.audits.only(*HISTORY_FIELDS).order_by("-created_at")[:HISTORY_PAGE_SIZE]

    plan = history.explain()

    assert "audit_member_newest" in plan, plan
    assert "Index Scan" in plan, plan  # an Index Scan or a Bitmap Index Scan on it
    assert "Seq Scan on audits_audit" not in plan, plan
    assert len(list(history)) == HISTORY_PAGE_SIZE


@pytest.mark.postgres
def test_an_audits_answers_are_read_through_the_unique_step_index(make_member, pool):
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN output is PostgreSQL's")
    member = make_member("answerer")
    add_audits(member, 300, pool, random.Random(5))  # noqa: S311
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(AuditAnswer._meta.db_table)}")
    audit = member.audits.first()

    plan = audit.answers.all().explain()

    assert "unique_answer_per_step" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert audit.answers.count() == TOTAL_STEPS


def test_the_log_member_gets_entries_of_every_kind_topped_up_not_doubled(django_user_model):
    for _ in range(2):
        load(
            members=0,
            history_audits=0,
            few_audits=0,
            log_entries=40,
            pool_size=5,
            sessions=False,
            say=quiet,
        )
    logger = django_user_model.objects.get(username="bench-logger")
    entries = Entry.objects.filter(member=logger)
    assert entries.count() == 40
    assert set(entries.values_list("kind", flat=True)) == set(Entry.Kind.values)
    assert entries.filter(company__isnull=False).exists()
    assert entries.filter(session__isnull=False).exists()
    assert not entries.filter(day__gt=timezone.localdate()).exists()
    assert logger.audits.filter(status=Audit.Status.FINISHED).count() == 5
