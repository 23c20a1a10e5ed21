"""The retake step: three months or more after a finished audit, a new one first asks what the
member did about its recommendation; the answers show on My audits, the result and compare, and
curators see per track only counts, from ten members up."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from account_helpers import make_user
from answers import EVALS_ANSWERS
from audit_helpers import audit_until, post_step
from django.urls import reverse

from audits import flows
from audits.models import Audit
from tracks.models import Track

FIRST = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
AFTER_THREE_MONTHS = datetime(2026, 4, 10, 12, 0, tzinfo=UTC)
A_YEAR_LATER = datetime(2027, 1, 12, 12, 0, tzinfo=UTC)
ANSWER = {"did": "moved", "pull": "4", "action": "continue"}


@pytest.fixture
def first(member):
    """The member's first audit, finished on 10 January 2026, recommending Retrieval."""
    with time_machine.travel(FIRST, tick=False):
        audit = audit_until(member, 5)
    assert audit.top_tracks == "Retrieval"
    return audit


def retake_url(audit):
    return reverse("audits:retake_step", args=[audit.id])


def start(client):
    response = client.post(reverse("audits:new"))
    assert response.status_code == 302
    return Audit.objects.latest("created_at"), response


def test_a_new_audit_before_three_months_asks_no_retake_step(member_client, first):
    with time_machine.travel(AFTER_THREE_MONTHS - timedelta(minutes=1), tick=False):
        audit, response = start(member_client)
        assert response.url == reverse("audits:step", args=[audit.id, 0])
        page = member_client.get(response.url).content.decode()
        assert "Step 1 of 6" in page
        assert "What happened since your last audit?" not in page
        assert member_client.get(retake_url(audit)).status_code == 404


def test_after_three_months_the_retake_step_comes_first(member_client, first):
    with time_machine.travel(AFTER_THREE_MONTHS, tick=False):
        audit, response = start(member_client)
        assert response.url == retake_url(audit)
        page = member_client.get(response.url).content.decode()
    assert "Step 1 of 7" in page
    assert "What happened since your last audit?" in page
    assert "About your audit of 10 Jan 2026, which recommended <strong>Retrieval</strong>" in page
    # Two questions, each a fieldset with its legend; every answer a labelled radio.
    assert "<legend>What did you do about it?" in page
    assert "<legend>Does it still pull you in?" in page
    for label in [
        "Nothing yet",
        "Took on work in it",
        "Moved into it",
        "Started a side project",
        "Changed my mind",
    ]:
        assert label in page
    assert page.count('type="radio" name="pull"') == 5
    # The steps after it are numbered on from it; none is open before it is answered.
    step0 = member_client.get(reverse("audits:step", args=[audit.id, 0]))
    assert step0.status_code == 302 and step0.url == retake_url(audit)
    refused = post_step(member_client, audit, 0, EVALS_ANSWERS[0])
    assert refused.status_code == 400
    assert "Please answer what happened since your last audit first." in refused.content.decode()
    assert not audit.answers.exists()


def test_retaking_from_the_last_answers_asks_it_too(member_client, first):
    with time_machine.travel(AFTER_THREE_MONTHS + timedelta(days=30), tick=False):
        response = member_client.post(reverse("audits:retake", args=[first.id]))
    audit = Audit.objects.latest("created_at")
    assert response.url == retake_url(audit)
    assert audit.retake_of == first and audit.answers.count() == 6


def test_bad_answers_get_a_message_and_a_400_and_nothing_is_saved(member_client, first):
    with time_machine.travel(AFTER_THREE_MONTHS, tick=False):
        audit, _ = start(member_client)
        response = member_client.post(
            retake_url(audit), {"did": "quit", "pull": "9", "action": "continue"}
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose one of the answers listed." in page
    assert "Choose a number from 1 to 5." in page
    empty = member_client.post(retake_url(audit), {})
    assert empty.status_code == 400
    assert "Choose what you did about your last recommendation." in empty.content.decode()
    audit.refresh_from_db()
    assert audit.retake_action == "" and audit.retake_pull is None


def test_the_answers_are_kept_and_shown_on_my_audits_the_result_and_compare(member_client, first):
    with time_machine.travel(AFTER_THREE_MONTHS, tick=False):
        audit, _ = start(member_client)
        response = member_client.post(retake_url(audit), ANSWER)
        assert response.url == reverse("audits:step", args=[audit.id, 0])
        step0 = member_client.get(response.url).content.decode()
        assert "Step 2 of 7" in step0
        # Going back shows the answers as given.
        again = member_client.get(retake_url(audit)).content.decode()
        assert 'value="moved" checked' in again and 'value="4" checked' in again
        for step in range(6):
            assert post_step(member_client, audit, step, EVALS_ANSWERS[step]).status_code == 302
        audit.refresh_from_db()
        assert (audit.retake_action, audit.retake_pull) == ("moved", 4)
        assert audit.is_finished

        line = "Moved into it; it still pulls me in 4 of 5 (about the audit of 10 Jan 2026, which"
        result = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
        assert "Since the last audit" in result and line in result

        history = member_client.get(reverse("audits:history")).content.decode()
        shown = (
            "Since the audit of 10 Jan 2026 (Retrieval):</span> Moved into it, still pulls 4 of 5"
        )
        assert shown in history
        assert history.count("still pulls") == 1  # the first audit asked nothing

        compare = member_client.get(
            reverse("audits:compare"), {"audit": [str(first.id), str(audit.id)]}
        ).content.decode()
        assert "Since the last audit" in compare and line in compare

        # An audit that asked no retake step has no such line.
        first_page = member_client.get(reverse("audits:result", args=[first.id])).content.decode()
        assert "Since the last audit" not in first_page


def test_another_member_cannot_see_or_answer_it(client, first, other_member):
    with time_machine.travel(AFTER_THREE_MONTHS, tick=False):
        audit = flows.start_audit(first.member)
    client.force_login(other_member)
    assert client.get(retake_url(audit)).status_code == 404
    assert client.post(retake_url(audit), ANSWER).status_code == 404
    audit.refresh_from_db()
    assert audit.retake_action == ""
    assert "still pulls" not in client.get(reverse("audits:history")).content.decode()


# The admin's counts ---------------------------------------------------------------------


def answered_retakes(count, action="side", pull=3, months_later=12):
    """`count` members, each recommended Retrieval and answering the retake step
    `months_later` months after (the rows as flows.start_audit and the step leave them)."""
    for n in range(count):
        member = make_user(f"retaker{months_later}x{n}")
        asked = A_YEAR_LATER
        after = flows.months_before(asked, months_later)
        audit = Audit.objects.create(
            member=member,
            retake_after=after,
            retake_tracks=["retrieval"],
            retake_names="Retrieval",
            retake_action=action,
            retake_pull=pull,
        )
        Audit.objects.filter(pk=audit.pk).update(created_at=asked)


def outcomes_page(client, curator):
    client.force_login(curator)
    response = client.get(reverse("admin:audits_retakeoutcome_changelist"))
    assert response.status_code == 200
    return response.content.decode()


def retrieval_section(page):
    return page.split("<h2>Retrieval</h2>", 1)[1].split("</section>", 1)[0]


def test_curators_see_nothing_of_a_track_under_ten_answers(client, curator):
    answered_retakes(9)
    answered_retakes(3, months_later=4)  # not a year later: not counted
    section = retrieval_section(outcomes_page(client, curator))
    assert "Fewer than 10 members have answered about this track yet." in section
    assert "Started a side project" not in section


def test_curators_see_counts_from_ten_answers_and_never_who(client, curator):
    answered_retakes(9)
    answered_retakes(1, action="moved", pull=5, months_later=10)
    answered_retakes(4, action="nothing", pull=1, months_later=20)  # too late: not counted
    page = outcomes_page(client, curator)
    section = retrieval_section(page)
    assert "10 members answered." in section
    assert '<th scope="row">Started a side project</th><td>9</td>' in section
    assert '<th scope="row">Moved into it</th><td>1</td>' in section
    assert '<th scope="row">Nothing yet</th><td>0</td>' in section
    assert '<th scope="row">3 of 5</th><td>9</td>' in section
    assert '<th scope="row">5 of 5</th><td>1</td>' in section
    assert "retaker" not in page  # no member is named
    # Other tracks nobody answered about show nothing.
    assert page.count("Fewer than 10 members have answered") == Track.objects.count() - 1


def test_members_never_reach_the_counts(member_client):
    response = member_client.get(reverse("admin:audits_retakeoutcome_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
