"""A new audit starts from the member's curiosity log: options ticked with "in your log",
entries that match no option listed, the result telling logged from remembered answers, and
what the log alone points to."""

from datetime import date, timedelta

import pytest
from answers import RETRIEVAL_ANSWERS
from audit_helpers import post_step, start, step_url
from django.utils import timezone

from audits.models import Audit, Option, Question
from logbook.models import Entry
from tracks.models import Company, ConferenceTrack, Track

pytestmark = pytest.mark.django_db


def sigir():
    return ConferenceTrack.objects.select_related("conference").get(conference__slug="sigir")


def log(member, n=1, days_ago=3, **fields):
    day = timezone.localdate() - timedelta(days=days_ago)
    Entry.objects.bulk_create(
        Entry(member=member, day=day, **{"title": "x", **fields}) for _ in range(n)
    )


def start_and_reach(client, step=4):
    """A new audit, opened up to `step` as if the member had walked there."""
    audit = start(client)
    Audit.objects.filter(pk=audit.pk).update(reached_step=step)
    return audit


def retrieval_log(member):
    log(member, 2, kind="talk", title="SIGIR", session=sigir())
    log(member, 1, days_ago=40, kind="talk", title="SIGIR", session=sigir())
    log(member, kind="company", title="Glean", company=Company.objects.get(slug="glean"))
    log(member, kind="reading", title="My own notes on rerankers")


def test_steps_are_ticked_from_the_log_saying_how_often_and_when(member_client, member):
    retrieval_log(member)
    audit = start_and_reach(member_client)
    page = member_client.get(step_url(audit, 3)).content.decode()
    last = (timezone.localdate() - timedelta(days=3)).strftime("%-d %b")
    assert 'value="sigir:talk" checked' in page
    assert f"In your log: 3 times, last {last}" in page
    assert "Ticked from" in page and "Untick anything" in page
    companies = member_client.get(step_url(audit, 4)).content.decode()
    assert 'value="glean" checked' in companies and f"In your log: once, last {last}" in companies


def test_the_hint_never_names_a_track(member_client, member):
    retrieval_log(member)
    audit = start_and_reach(member_client)
    page = member_client.get(step_url(audit, 3)).content.decode()
    hint = page[page.index("In your log:") :].split("</span>")[0]
    for track in Track.objects.all():
        assert track.name not in hint


def test_entries_matching_no_option_are_listed_as_the_members(member_client, member):
    retrieval_log(member)
    audit = start_and_reach(member_client)
    page = member_client.get(step_url(audit, 2)).content.decode()
    assert "Also in your log" in page and "My own notes on rerankers" in page


def test_an_option_of_the_audit_logged_is_ticked(member_client, member):
    option = Option.objects.filter(question__step=Question.Step.PROBLEMS).first()
    log(member, kind="problem", title=option.label, option=option)
    audit = start_and_reach(member_client)
    page = member_client.get(step_url(audit, 1)).content.decode()
    assert f'value="{option.key}" checked' in page and "In your log: once" in page


def test_only_the_last_twelve_months_and_only_my_own_log(member_client, member, other_member):
    log(
        member,
        days_ago=400,
        kind="company",
        title="Glean",
        company=Company.objects.get(slug="glean"),
    )
    log(other_member, kind="talk", title="SIGIR", session=sigir())
    audit = start_and_reach(member_client)
    assert audit.log_evidence is None and not audit.answers.exists()
    assert "In your log" not in member_client.get(step_url(audit, 3)).content.decode()


def test_the_result_says_what_was_logged_and_what_remembered(member_client, member):
    retrieval_log(member)
    audit = start(member_client)
    for step in range(6):
        data = dict(RETRIEVAL_ANSWERS[step])
        if step == 4:
            data = {"companies": ["hebbia"]}  # Glean unticked, Hebbia from memory
        assert post_step(member_client, audit, step, data).status_code == 302
    page = member_client.get(f"/audits/{audit.id}/result/").content.decode()
    assert "Logged as it happened:</strong> SIGIR" in page
    assert "From memory today:</strong> Hebbia" in page
    assert "Glean" not in page.split("Logged as it happened")[1].split("</p>")[0]
    assert "Your log alone points to" not in page


def test_the_result_says_when_the_log_alone_points_elsewhere(member_client, member):
    retrieval_log(member)
    audit = start(member_client)
    evals = {3: {"talks": ["evalscon:talk"]}, 4: {"companies": ["braintrust"]}}
    for step in range(6):
        post_step(member_client, audit, step, evals.get(step, RETRIEVAL_ANSWERS[step]))
    page = member_client.get(f"/audits/{audit.id}/result/").content.decode()
    assert "Your log alone points to Retrieval" in page
    assert "lean on the talks" in page


@pytest.mark.parametrize("count", [5, 1000])
def test_starting_an_audit_runs_the_same_queries_with_5_or_1000_entries(
    member_client, member, count, django_assert_num_queries
):
    glean = Company.objects.get(slug="glean")
    Entry.objects.bulk_create(
        Entry(
            member=member,
            kind="company" if i % 2 else "reading",
            title=f"Entry {i}",
            company=glean if i % 2 else None,
            day=date.today() - timedelta(days=i % 300),
        )
        for i in range(count)
    )
    member_client.get("/")  # the session is read once
    # The last finished audit is read once too: a retake three months on asks about it.
    with django_assert_num_queries(7):
        response = member_client.post("/audits/new/")
    assert response.status_code == 302
