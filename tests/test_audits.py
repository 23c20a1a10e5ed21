"""The curiosity audit as a member walks it: steps, saving, resuming, result, history."""

import json
from datetime import timedelta

import pytest
from audit_helpers import RETRIEVAL_ANSWERS, audit_until, post_step, start, step_url, walk
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Audit, AuditAnswer

pytestmark = pytest.mark.usefixtures("content")


def test_a_visitor_can_start_an_audit_without_an_account(client, content):
    page = client.get(reverse("audits:new"))
    assert page.status_code == 200 and "no account" in page.content.decode()
    response = client.post(reverse("audits:new"))
    assert response.status_code == 302 and "/step/0/" in response["Location"]


def test_new_audit_starts_at_step_one_of_six(member_client):
    audit = start(member_client)
    page = member_client.get(step_url(audit, 0)).content.decode()
    assert "Step 1 of 6" in page
    assert "How long have you worked as an AI engineer?" in page


@pytest.mark.parametrize("step", range(6))
def test_every_step_page_renders_its_question(member_client, step):
    audit = start(member_client)
    for earlier in range(step):
        post_step(member_client, audit, earlier, RETRIEVAL_ANSWERS[earlier])
    page = member_client.get(step_url(audit, step)).content.decode()
    assert f"Step {step + 1} of 6" in page
    expected = {
        0: "Which areas have you tried so far?",
        1: "A finicky chunking strategy",
        2: "Eval blog posts",
        3: "Systems track",
        4: "Glean",
        5: "Do you enjoy reading model release notes every week?",
    }[step]
    assert expected in page


def test_sigir_and_glean_recommend_retrieval_with_reasons(member_client):
    audit = walk(member_client)
    assert audit.status == Audit.Status.FINISHED
    page = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    recommendation = page.split('id="recommendation"')[1].split("</p>")[0]
    assert "Retrieval" in recommendation
    assert "SIGIR" in page and "Glean" in page
    assert "Your 90-day plan for Retrieval" in page
    assert 'role="img"' in page


def test_each_step_is_saved_and_shown_again_when_resumed(member_client):
    audit = start(member_client)
    post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0])
    post_step(
        member_client, audit, 1, {"lost-track-of-time": ["chunking-strategy"], "note": "acronyms"}
    )
    member_client.logout()
    member_client.force_login(audit.member)
    history = member_client.get(reverse("audits:history")).content.decode()
    assert "Resume" in history
    page = member_client.get(step_url(audit, 1)).content.decode()
    assert 'value="chunking-strategy" checked' in page
    assert "acronyms" in page
    assert 'value="2-3" checked' in member_client.get(step_url(audit, 0)).content.decode()


def test_step_out_of_order_is_redirected_with_a_message(member_client):
    audit = start(member_client)
    response = member_client.get(step_url(audit, 4), follow=True)
    assert response.redirect_chain[-1][0] == step_url(audit, 0)
    assert "Please answer step 1 first" in response.content.decode()
    response = post_step(member_client, audit, 3, {"talks": ["sigir:talk"]})
    assert response.status_code == 400
    assert not AuditAnswer.objects.filter(audit=audit, step=3).exists()


def test_unknown_option_is_a_400_with_a_message_and_keeps_saved_answers(member_client):
    audit = start(member_client)
    post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0])
    response = post_step(member_client, audit, 1, {"lost-track-of-time": ["no-such-option"]})
    assert response.status_code == 400
    assert "not one of the available choices" in response.content.decode()
    assert AuditAnswer.objects.get(audit=audit, step=0).data["years"] == "2-3"


def test_a_save_refused_in_a_race_gives_the_answers_back_to_send_again(member_client, monkeypatch):
    """Another tab moved the audit on between the save and the check: nothing is lost."""
    audit = start(member_client)
    monkeypatch.setattr(services, "save_step", lambda *args: None)
    response = post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0])
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="2-3" checked' in page  # the member's answer, ready to send again
    assert 'value="retrieval" checked' in page
    assert "This audit changed in another tab" in page
    monkeypatch.undo()
    assert post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0]).status_code == 302


def test_missing_required_answer_is_a_400_tied_to_its_field(member_client):
    audit = start(member_client)
    response = post_step(member_client, audit, 0, {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose how long you have worked" in page
    assert 'aria-describedby="id_years-error' in page
    assert 'aria-invalid="true"' in page


def test_step_beyond_the_last_is_404(member_client):
    audit = start(member_client)
    assert member_client.get(step_url(audit, 6)).status_code == 404
    assert member_client.get(f"/audits/{audit.id}/step/99/").status_code == 404


def test_last_step_submitted_twice_makes_one_result(member_client):
    audit = walk(member_client)
    first_result = audit.result
    response = post_step(member_client, audit, 5, RETRIEVAL_ANSWERS[5])
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:result", args=[audit.id])
    audit.refresh_from_db()
    assert audit.result == first_result
    assert Audit.objects.filter(member=audit.member).count() == 1


def test_finished_audit_refuses_changes_to_earlier_steps(member_client):
    audit = walk(member_client)
    response = post_step(member_client, audit, 2, {"free-time-reading": []})
    assert response.status_code == 409
    assert "This audit is finished" in response.content.decode()
    response = member_client.get(step_url(audit, 1))
    assert response.status_code == 302


def test_htmx_step_swaps_the_next_step_and_pushes_its_url(member_client):
    audit = start(member_client)
    response = post_step(
        member_client, audit, 0, RETRIEVAL_ANSWERS[0], headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == step_url(audit, 1)
    page = response.content.decode()
    assert "<html" not in page
    assert "Step 2 of 6" in page
    assert 'hx-swap-oob="true"' in page


def test_htmx_last_step_redirects_the_browser_to_the_result(member_client):
    audit = walk(member_client, until=4)
    response = post_step(
        member_client, audit, 5, RETRIEVAL_ANSWERS[5], headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == reverse("audits:result", args=[audit.id])


def test_result_snapshot_survives_curators_renaming_and_deleting(member_client):
    from tracks.models import Company, Conference, Track

    audit = walk(member_client)
    before = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    Track.objects.filter(slug="retrieval").update(name="Search")
    Company.objects.filter(slug="glean").delete()
    Conference.objects.filter(slug="sigir").delete()
    response = member_client.get(reverse("audits:result", args=[audit.id]))
    assert response.status_code == 200
    after = response.content.decode()
    assert "Glean" in after and "SIGIR" in after
    assert (
        after.split('id="recommendation"')[1][:200] == before.split('id="recommendation"')[1][:200]
    )


def test_history_lists_newest_first_with_top_track(member_client):
    walk(member_client)
    draft = start(member_client)
    page = member_client.get(reverse("audits:history")).content.decode()
    table = page.split("history-table")[1]
    assert table.index(str(draft.id)) < table.index("Retrieval")
    assert "Draft" in page and "Finished" in page
    assert "How your scores moved" in page


def test_history_paginates(member_client, member):
    Audit.objects.bulk_create(Audit(member=member) for _ in range(45))
    page = member_client.get(reverse("audits:history")).content.decode()
    assert "Page 1 of 3" in page
    assert (
        "Page 3 of 3" in member_client.get(reverse("audits:history"), {"page": 3}).content.decode()
    )


def test_compare_two_audits_highlights_what_changed(member_client):
    first = walk(member_client)
    answers = {**RETRIEVAL_ANSWERS, 3: {"talks": ["cvpr:talk"]}}
    second = walk(member_client, answers)
    response = member_client.get(
        reverse("audits:compare"), {"audit": [str(first.id), str(second.id)]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your recommendation changed." in page
    assert "CVPR" in page and "changed" in page


def test_compare_needs_two_audits(member_client):
    response = member_client.get(reverse("audits:compare"), {"audit": ["x"]}, follow=True)
    assert "Compare takes exactly two finished audits: you chose only one." in response.content.decode()


def test_retake_prefills_the_last_answers(member_client):
    audit = walk(member_client)
    response = member_client.post(reverse("audits:retake", args=[audit.id]))
    retake = Audit.objects.exclude(pk=audit.pk).get()
    assert response["Location"] == step_url(retake, 0)
    page = member_client.get(step_url(retake, 0)).content.decode()
    assert 'value="2-3" checked' in page


def test_delete_one_audit_after_confirmation(member_client):
    audit = walk(member_client)
    confirm = member_client.get(reverse("audits:delete", args=[audit.id]))
    assert "Delete this audit?" in confirm.content.decode()
    member_client.post(reverse("audits:delete", args=[audit.id]))
    assert not Audit.objects.filter(pk=audit.pk).exists()


def test_export_json_has_answers_and_result(member_client):
    audit = walk(member_client)
    response = member_client.get(reverse("audits:export_json", args=[audit.id]))
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["result"]["recommended_names"] == ["Retrieval"]
    assert data["answers"]["talks"] == ["SIGIR"]


def test_print_page_has_the_report_without_navigation(member_client):
    audit = walk(member_client)
    page = member_client.get(reverse("audits:print", args=[audit.id])).content.decode()
    assert 'id="recommendation"' in page
    assert "site-nav" not in page


@pytest.mark.parametrize(
    "name, args",
    [
        ("audits:detail", []),
        ("audits:step", [0]),
        ("audits:result", []),
        ("audits:print", []),
        ("audits:export_json", []),
        ("audits:delete", []),
    ],
)
def test_other_member_and_a_visitor_get_404(client, make_member, name, args):
    owner = make_member("owner")
    client.force_login(owner)
    audit = walk(client)
    url = reverse(name, args=[audit.id, *args])
    client.logout()
    assert client.get(url).status_code == 404
    client.force_login(make_member("intruder"))
    assert client.get(url).status_code == 404
    assert client.post(url).status_code in (404, 405)
    audit.refresh_from_db()
    assert audit.is_finished


def test_other_member_cannot_post_a_step_or_retake(client, make_member):
    owner = make_member("owner")
    client.force_login(owner)
    audit = start(client)
    client.force_login(make_member("intruder"))
    assert post_step(client, audit, 0, RETRIEVAL_ANSWERS[0]).status_code == 404
    assert client.post(reverse("audits:retake", args=[audit.id])).status_code == 404
    assert not AuditAnswer.objects.filter(audit=audit).exists()


def test_time_spent_is_shown_on_each_step(member_client):
    audit = start(member_client)
    assert "Time spent so far" in member_client.get(step_url(audit, 0)).content.decode()


def test_time_spent_counts_work_between_saves_but_not_breaks(member_client):
    audit = start(member_client)
    now = timezone.now()
    # Ten minutes on step 1, then three hours away (counted as half an hour), then a save stamped
    # earlier than the last (another server's clock): it adds nothing.
    for step, last_activity, total in (
        (0, now - timedelta(minutes=10), 10),
        (1, now - timedelta(hours=3), 40),
        (2, now + timedelta(minutes=5), 40),
    ):
        Audit.objects.filter(pk=audit.pk).update(last_activity_at=last_activity)
        assert post_step(member_client, audit, step, RETRIEVAL_ANSWERS[step]).status_code == 302
        page = member_client.get(step_url(audit, step + 1)).content.decode()
        assert f"Time spent so far: {total} min" in page


def test_answers_are_saved_only_into_an_open_draft(make_member):
    owner = make_member("owner")
    draft, finished = audit_until(owner, 1), audit_until(owner, 5)
    before = {a.pk: (a.reached_step, a.seconds_spent, a.updated_at) for a in (draft, finished)}
    answers = AuditAnswer.objects.count()

    assert services.save_step(draft, 3, {"talks": []}) is None  # step 4 is not open yet
    assert services.save_step(finished, 0, {"years": "0-1", "tried": []}) is None

    assert AuditAnswer.objects.count() == answers
    for audit in Audit.objects.filter(pk__in=before):
        assert (audit.reached_step, audit.seconds_spent, audit.updated_at) == before[audit.pk]
        assert audit.years == "2-3"

    saved = services.save_step(draft, 2, {"reading": ["papers"]})
    assert (saved.pk, saved.reached_step, saved.years) == (draft.pk, 3, "2-3")
    assert draft.answers.get(step=2).data == {"reading": ["papers"]}


def test_history_shows_changes_right_away_despite_caching(member_client):
    audit = walk(member_client)
    assert str(audit.id) in member_client.get(reverse("audits:history")).content.decode()
    draft = start(member_client)
    assert str(draft.id) in member_client.get(reverse("audits:history")).content.decode()
    member_client.post(reverse("audits:delete", args=[audit.id]))
    page = member_client.get(reverse("audits:history")).content.decode()
    assert str(audit.id) not in page and str(draft.id) in page


def test_a_step_has_one_address_without_leading_zeros(member_client):
    audit = start(member_client)
    assert member_client.get(step_url(audit, 0)).status_code == 200
    assert member_client.get(f"/audits/{audit.id}/step/00/").status_code == 404
    assert member_client.get(f"/audits/{audit.id}/step/0000000000000/").status_code == 404
