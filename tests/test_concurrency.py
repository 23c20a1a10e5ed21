"""Nothing lost: simultaneous submits, two tabs on one draft, and curators editing the catalogue.

- (a) the last step submitted twice at the same moment, from two threads, gives one result
  (PostgreSQL only: SQLite has no row locks, and CI runs on PostgreSQL);
- (b) two tabs on one draft: each step's answers survive the other tab's saves (interleaved on
  any database, and truly at the same time on PostgreSQL);
- (c) curators renaming or deleting tracks, companies, conferences, questions or options never
  change or break a past result: the same recommendation, the same answers, the same export.
"""

import html
import re
import threading

import pytest
from audit_helpers import RETRIEVAL_ANSWERS, audit_until, post_step, start, step_url, walk
from django.db import connection
from django.test import Client
from django.urls import reverse

from audits import flows
from audits.models import Audit, AuditAnswer, Option, OptionWeight, Question
from tracks.models import (
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    ProjectTrack,
    Track,
)

pytestmark = pytest.mark.usefixtures("db")

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrency (row locks): runs on PostgreSQL, as in CI",
    ),
    pytest.mark.django_db(transaction=True),
]


def apply(marks):
    def decorate(test):
        for mark in reversed(marks):
            test = mark(test)
        return test

    return decorate


def run_at_once(*calls, timeout=30):
    """Run each call in its own thread, all released together; their results, or their errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as error:  # reported by the test, with its thread's traceback lost
            errors.append(repr(error))
        finally:
            connection.close()  # each thread has its own connection: give it back

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    assert not errors, errors
    return results


# (a) The last step, twice at once -----------------------------------------------------------------


@apply(postgres_only)
def test_finishing_twice_at_the_same_moment_scores_once(member):
    for attempt in range(5):  # a race can pass by luck once; five in a row, hardly
        audit = audit_until(member, 5, finish=False)

        results = run_at_once(
            lambda audit=audit: flows.finish_audit(audit.id),
            lambda audit=audit: flows.finish_audit(audit.id),
        )

        assert sorted(created for _audit, created in results) == [False, True], attempt
        winner = next(finished for finished, created in results if created)
        loser = next(finished for finished, created in results if not created)
        stored = Audit.objects.get(pk=audit.id)
        assert stored.is_finished
        assert stored.result == winner.result == loser.result
        assert stored.finished_at == winner.finished_at == loser.finished_at
        assert stored.answers_snapshot == winner.answers_snapshot

        again, created = flows.finish_audit(audit.id)
        assert not created
        assert again.result == stored.result and again.finished_at == stored.finished_at


@apply(postgres_only)
def test_posting_the_last_step_from_two_browsers_at_once_gives_one_result(make_member):
    member = make_member("ada")
    audit = audit_until(member, 4)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(member)
    url = step_url(audit, 5)

    responses = run_at_once(
        *(lambda b=browser: b.post(url, RETRIEVAL_ANSWERS[5]) for browser in browsers)
    )

    result_url = reverse("audits:result", args=[audit.id])
    assert [r.status_code for r in responses] == [302, 302]
    assert [r["Location"] for r in responses] == [result_url, result_url]
    stored = Audit.objects.get(pk=audit.id)
    assert stored.is_finished
    assert Audit.objects.filter(member=member).count() == 1
    assert AuditAnswer.objects.filter(audit=audit, step=5).count() == 1
    # Later submits find it finished and leave the result as it is.
    result, finished_at = stored.result, stored.finished_at
    assert browsers[0].post(url, RETRIEVAL_ANSWERS[5])["Location"] == result_url
    stored.refresh_from_db()
    assert stored.result == result and stored.finished_at == finished_at


# (b) Two tabs on one draft --------------------------------------------------------------------


def step_one(version):
    return {**RETRIEVAL_ANSWERS[1], "note": f"tab A, version {version}"}


def step_two(keys):
    return {"free-time-reading": keys}


def reading_keys():
    return list(
        Option.objects.filter(question__slug="free-time-reading").values_list("key", flat=True)
    )


def answers_of(audit):
    return {a.step: a.data for a in AuditAnswer.objects.filter(audit=audit)}


def test_two_tabs_saving_different_steps_keep_each_others_answers(member):
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(member)
    tab_b.force_login(member)
    keys = reading_keys()
    audit = start(tab_a)
    assert post_step(tab_a, audit, 0, RETRIEVAL_ANSWERS[0]).status_code == 302
    assert post_step(tab_a, audit, 1, step_one(1)).status_code == 302

    # Tab B opens step 2 while tab A goes back to step 1; they save, interleaved.
    assert tab_b.get(step_url(audit, 2)).status_code == 200
    assert tab_a.get(step_url(audit, 1)).status_code == 200
    assert post_step(tab_b, audit, 2, step_two(keys[:1])).status_code == 302
    assert post_step(tab_a, audit, 1, step_one(2)).status_code == 302
    assert post_step(tab_b, audit, 2, step_two(keys[:2])).status_code == 302
    assert post_step(tab_a, audit, 1, step_one(3)).status_code == 302

    answers = answers_of(audit)
    assert answers[0] == {"years": "2-3", "tried": ["retrieval", "evals"]}
    assert answers[1]["note"] == "tab A, version 3"
    assert answers[2] == step_two(keys[:2])
    audit.refresh_from_db()
    assert audit.reached_step == 3  # tab A's re-save of step 1 did not send the draft back
    assert audit.years == "2-3"
    # Each tab, reloading, sees the other's answers.
    page = tab_a.get(step_url(audit, 2)).content.decode()
    assert all(f'value="{key}" checked' in page for key in keys[:2]), "tab B's step 2 is lost"
    assert "tab A, version 3" in tab_b.get(step_url(audit, 1)).content.decode()


@apply(postgres_only)
def test_two_tabs_saving_at_the_same_moment_keep_each_others_answers(member):
    keys = reading_keys()
    audit = audit_until(member, 1)
    tab_a, tab_b = Client(), Client()
    tab_a.force_login(member)
    tab_b.force_login(member)
    rounds = 10

    def tab_a_saves():
        return [post_step(tab_a, audit, 1, step_one(n)).status_code for n in range(rounds)]

    def tab_b_saves():
        return [
            post_step(tab_b, audit, 2, step_two(keys[: 1 + n % len(keys)])).status_code
            for n in range(rounds)
        ]

    statuses_a, statuses_b = run_at_once(tab_a_saves, tab_b_saves)

    assert statuses_a == statuses_b == [302] * rounds
    answers = answers_of(audit)
    assert answers[1]["note"] == f"tab A, version {rounds - 1}"
    assert answers[2] == step_two(keys[: 1 + (rounds - 1) % len(keys)])
    assert answers[0]["years"] == "2-3"
    audit.refresh_from_db()
    assert audit.reached_step == 3


# (c) Curators editing the catalogue never change a past result --------------------------------


def rich_answers():
    """The Retrieval answers, with curiosity options chosen too, so every kind shows up."""
    answers = {step: dict(data) for step, data in RETRIEVAL_ANSWERS.items()}
    for step, question in ((1, "lost-track-of-time"), (2, "free-time-reading")):
        keys = list(
            Option.objects.filter(question__slug=question).values_list("key", flat=True)[:2]
        )
        assert keys, question
        answers[step][question] = keys
    answers[3] = {"talks": ["sigir:talk", *answers[3]["talks"][1:]]}
    return answers


def text_of(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def what_the_member_sees(client, audit):
    result = client.get(reverse("audits:result", args=[audit.id]))
    assert result.status_code == 200
    page = result.content.decode()
    recommendation = re.search(r'<p id="recommendation"[^>]*>(.*?)</p>', page, re.S)
    answers = re.search(r'<dl class="answers">(.*?)</dl>', page, re.S)
    report = re.search(r'<article class="report">(.*?)</article>', page, re.S)
    assert recommendation and answers and report
    printed = client.get(reverse("audits:print", args=[audit.id]))
    assert printed.status_code == 200
    exported = client.get(reverse("audits:export_json", args=[audit.id]))
    assert exported.status_code == 200
    assert client.get(reverse("audits:history")).status_code == 200
    return {
        "recommendation": text_of(recommendation.group(1)),
        "answers": text_of(answers.group(1)),
        "report": report.group(1),
        "export": exported.json(),
    }


def rename(queryset, **changes):
    for row in queryset:
        for field, make in changes.items():
            setattr(row, field, make(row))
        row.save()  # save(), as admin does: signals fire, caches are bumped


def renamed_then_deleted(model):
    """A listed model's edits: every row renamed (name and slug), then every row deleted."""
    return (
        lambda: rename(
            model.objects.all(),
            name=lambda row: f"{row.name} (renamed)",
            slug=lambda row: f"{row.slug}-renamed",
        ),
        lambda: model.objects.all().delete(),
    )


EDITS = {
    "tracks": (
        lambda: rename(
            Track.objects.all(),
            name=lambda t: f"{t.name} (renamed)",
            slug=lambda t: f"{t.slug}-renamed",
            colour=lambda t: "#000000",
            symbol=lambda t: "?",
        ),
        # Tracks are protected while anything points at them: an operator removes that first.
        lambda: [
            model.objects.all().delete()
            for model in (OptionWeight, CompanyTrack, ConferenceTrack, ProjectTrack, Track)
        ],
    ),
    "companies": renamed_then_deleted(Company),
    "conferences": renamed_then_deleted(Conference),
    "questions": (
        lambda: rename(
            Question.objects.all(),
            prompt=lambda q: f"{q.prompt} (renamed)",
            slug=lambda q: f"{q.slug}-renamed",
        ),
        lambda: [model.objects.all().delete() for model in (OptionWeight, Option, Question)],
    ),
    "options": (
        lambda: rename(
            Option.objects.all(),
            label=lambda o: f"{o.label} (renamed)",
            key=lambda o: f"{o.key}-renamed",
        ),
        lambda: [model.objects.all().delete() for model in (OptionWeight, Option)],
    ),
}


@pytest.mark.parametrize("kind", EDITS)
def test_curators_renaming_then_deleting_never_change_a_past_result(member_client, kind):
    audit = walk(member_client, answers=rich_answers())
    before = what_the_member_sees(member_client, audit)
    assert "Retrieval" in before["recommendation"]
    assert "SIGIR" in before["answers"] and "Glean" in before["answers"]
    renamed, deleted = EDITS[kind]

    renamed()
    assert what_the_member_sees(member_client, audit) == before, f"renaming {kind}"

    deleted()
    assert what_the_member_sees(member_client, audit) == before, f"deleting {kind}"

    # Retaking the old audit against today's catalogue still works, step by step.
    response = member_client.post(reverse("audits:retake", args=[audit.id]))
    assert response.status_code == 302
    retaken = Audit.objects.filter(member=audit.member).latest("created_at")
    assert retaken.pk != audit.pk
    for step in range(6):
        assert member_client.get(step_url(retaken, step)).status_code in (200, 302), step
