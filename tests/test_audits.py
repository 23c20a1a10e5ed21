"""The curiosity audit as a member walks it: steps, saving, resuming, result, history."""

import json
import re
import uuid
from datetime import timedelta

import pytest
from answers import EVALS_ANSWERS, TRACK_SLUGS
from audit_helpers import (
    PASSWORD,
    RETRIEVAL_ANSWERS,
    audit_until,
    post_step,
    start,
    step_url,
    walk,
)
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from task_helpers import DATABASE_TASKS, queued_tasks, run_worker

from audits import flows, plans
from audits.models import Audit, AuditAnswer
from audits.reports import in_words, plain, plan_in_words

pytestmark = pytest.mark.usefixtures("db")


def test_a_visitor_can_start_an_audit_without_an_account(client, db):
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
    monkeypatch.setattr(flows, "save_step", lambda *args: None)
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


def test_compare_puts_both_audits_scores_on_one_stated_scale(member_client):
    """Scores out of different points possible are compared as shares, "of N" every time,
    and the change is stated in the same scale."""
    first = walk(member_client)
    second = walk(member_client, EVALS_ANSWERS)
    assert first.result["possible"] != second.result["possible"]
    page = member_client.get(
        reverse("audits:compare"), {"audit": [str(first.id), str(second.id)]}
    ).content.decode()

    old_possible, new_possible = first.result["possible"], second.result["possible"]
    assert f"{old_possible} points possible earlier, {new_possible} later" in page
    evals_before = next(s for s in first.result["scores"] if s["slug"] == "evals")["score"]
    evals_after = next(s for s in second.result["scores"] if s["slug"] == "evals")["score"]
    before = round(100 * evals_before / old_possible)
    after = round(100 * evals_after / new_possible)
    row = re.search(r"<th scope=\"row\">Evals &amp; quality</th>(.*?)</tr>", page).group(1)
    assert f'{before}% <span class="muted">({evals_before} of {old_possible})</span>' in row
    assert f'{after}% <span class="muted">({evals_after} of {new_possible})</span>' in row
    assert f"+{after - before} points" in row


def test_compare_needs_two_audits(member_client):
    response = member_client.get(reverse("audits:compare"), {"audit": ["x"]}, follow=True)
    assert (
        "Compare takes exactly two finished audits: you chose only one."
        in response.content.decode()
    )


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
    # The sentences, as the result page words them.
    assert data["result"]["headline"].startswith("We recommend Retrieval, a strong match")
    assert (
        "You finished a talk at SIGIR and want to work at Glean, which hires deep Retrieval roles."
        in data["result"]["explanation"]
    )
    assert data["result"]["stage"]["title"] == "The natural moment to specialize"
    assert data["result"]["next_steps"][0]["stages"][0]["title"] == "Days 1–30: become the person"


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

    assert flows.save_step(draft, 3, {"talks": []}) is None  # step 4 is not open yet
    assert flows.save_step(finished, 0, {"years": "0-1", "tried": []}) is None

    assert AuditAnswer.objects.count() == answers
    for audit in Audit.objects.filter(pk__in=before):
        assert (audit.reached_step, audit.seconds_spent, audit.updated_at) == before[audit.pk]
        assert audit.years == "2-3"

    saved = flows.save_step(draft, 2, {"reading": ["papers"]})
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


# --- the result explained, shared and exported ------------------------------------------------


def share(client, audit, action="create"):
    return client.post(reverse("audits:share", args=[audit.id]), {"action": action})


def active_link(audit):
    return audit.share_links.get(revoked_at=None)


def test_the_result_explains_each_score_against_its_scale(member_client):
    audit = walk(member_client)
    page = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    possible = audit.result["possible"]
    assert f"out of <strong>{possible} possible points</strong>" in page
    assert possible == 5 and ">5/5</text>" in page  # Retrieval: SIGIR 3 and Glean 2
    assert 'class="bar seg-talks"' in page and 'class="bar seg-companies"' in page
    assert "Talks: SIGIR" in page and "Companies: Glean" in page  # the table's sources
    assert "Runner-up:" in page and in_words(audit.result)["runner_up"]["reason"] in plain(page)
    assert "scoring version" not in page


def test_the_plan_has_three_linked_stages_and_the_runner_up_folded(member_client):
    audit = walk(member_client)
    page = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    assert "Your 90-day plan for Retrieval" in page
    for stage in ("Days 1–30", "Days 31–60", "Days 61–90"):
        assert stage in page
    runner = audit.result["runner_up"]["name"]
    assert f"A 90-day plan for {runner}, the runner-up" in page
    assert 'href="/projects/#' in page and 'href="/companies/glean/"' in page
    assert 'href="/conferences/#' in page
    # SIGIR was finished already: the talk to watch next is another one.
    assert "Watch a talk next from <a" in page
    assert 'Watch a talk next from <a href="/conferences/#sigir"' not in page


@pytest.mark.parametrize("slug", TRACK_SLUGS)
def test_every_tracks_plan_links_every_item_and_shows_no_empty_stage(slug):
    from tracks.models import Track

    track = Track.objects.get(slug=slug)
    (plan,) = map(plan_in_words, plans.next_steps({"recommended": [slug]}))
    assert plan["stages"], slug
    for stage in plan["stages"]:
        assert stage["items"], (slug, stage["title"])
        for item in stage["items"]:
            assert item["links"] and all(link["url"].startswith("/") for link in item["links"])
            # The track's name keeps its casing; the chapter's own words (what the track owns,
            # the heading of its companies) are quoted as the chapter writes them.
            ours = item["text"]
            for chapter_words in (track.owns, track.companies_title[1:]):
                ours = ours.replace(chapter_words.rstrip(". "), "")
            assert track.name.lower() not in ours or track.name.lower() == track.name


def test_a_result_scored_before_version_2_still_renders(member_client):
    audit = walk(member_client)
    old = {
        key: value for key, value in audit.result.items() if key not in ("possible", "runner_up")
    }
    old["version"] = 1
    old["scores"] = [
        {key: value for key, value in row.items() if key != "sources"} for row in old["scores"]
    ]
    old["next_steps"] = [
        {
            "slug": "retrieval",
            "name": "Retrieval",
            "url": "/tracks/retrieval/",
            "conferences": ["SIGIR"],
            "projects": [],
            "companies": [],
            "become_the_person": ["Ask to own the next decision about chunking strategies."],
        }
    ]
    Audit.objects.filter(pk=audit.pk).update(result=old, scoring_version=1)
    page = member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    assert "Next steps for Retrieval" in page and "Each bar is drawn against the top score" in page
    assert "Companies hiring" not in page and "Projects to contribute to" not in page
    share(member_client, audit)
    audit.refresh_from_db()
    assert member_client.get(active_link(audit).get_absolute_url()).status_code == 200


def test_a_result_scored_before_version_4_shows_the_words_it_stored(member_client):
    audit = walk(member_client)
    page = plain(member_client.get(reverse("audits:result", args=[audit.id])).content.decode())
    old = {key: value for key, value in in_words(audit.result).items() if key != "reasons"}
    for words in (old["headline"], *old["explanation"], old["stage"]["advice"]):
        assert words in page  # as the templates word them today
    old["version"] = 3
    old["headline"] = "A headline as a result of 2025 stored it."
    old["explanation"] = ["A reason as it was worded then."]
    old["stage"]["title"] = "A stage of then"
    old["runner_up"]["reason"] = "The runner-up's reason of then."
    old["next_steps"][0]["stages"][0]["items"][0]["text"] = "An item of then:"
    Audit.objects.filter(pk=audit.pk).update(result=old, scoring_version=3)
    page = plain(member_client.get(reverse("audits:result", args=[audit.id])).content.decode())
    for words in (
        old["headline"],
        *old["explanation"],
        old["stage"]["title"],
        old["runner_up"]["reason"],
        "An item of then:",
    ):
        assert words in page, words
    json_export = member_client.get(reverse("audits:export_json", args=[audit.id])).json()
    assert json_export["result"] == old


def test_a_share_link_shows_the_result_but_nothing_personal(member_client, member):
    audit = walk(member_client)
    response = share(member_client, audit)
    assert response.status_code == 302
    link = active_link(audit)
    assert len(link.token) >= 32
    page = member_client.get(response["Location"]).content.decode()
    assert link.get_absolute_url() in page and "Revoke this link" in page

    shared = Client().get(link.get_absolute_url())  # a friend's browser
    assert shared.status_code == 200
    assert shared["X-Robots-Tag"] == "noindex"
    assert "private" in shared["Cache-Control"] and "no-store" in shared["Cache-Control"]
    html = shared.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<meta property="og:title" content="A curiosity audit result: Retrieval">' in html
    # Said of the person who shared it, never to whoever reads it ("the talks you finish").
    said_of_them = (
        "The talks this person finished and the companies they want to work at meet at Retrieval."
    )
    assert f'<meta property="og:description" content="{said_of_them}">' in html
    assert f'<p class="lede">{said_of_them}</p>' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="twitter:title"' in html and '<meta name="twitter:description"' in html
    assert "A 90-day plan for Retrieval" in html and "possible points" in html
    report = html[html.index('<article class="report">') : html.index("</article>")]
    assert in_words(audit.result)["headline"] not in plain(report) and "you finish" not in report
    assert "Your 90-day plan" not in html and "talks you finished" not in html
    for personal in (
        member.username,
        member.email,
        RETRIEVAL_ANSWERS[1]["note"],
        "Your answers",
        "Do you enjoy reading model release notes every week?",
        "You finished a talk at SIGIR",
        "From your answers",
    ):
        assert personal not in html, personal
    assert "Take the audit yourself" in html  # the invitation for whoever opens it


def test_a_revoked_link_is_404_at_once_and_a_new_one_works(member_client):
    client = Client()  # a friend's browser
    audit = walk(member_client)
    share(member_client, audit)
    first = active_link(audit).get_absolute_url()
    assert client.get(first).status_code == 200  # its report is cached now
    share(member_client, audit, "revoke")
    assert client.get(first).status_code == 404
    share(member_client, audit)
    second = active_link(audit).get_absolute_url()
    assert second != first
    assert client.get(second).status_code == 200 and client.get(first).status_code == 404
    share(member_client, audit)  # a new link replaces the active one
    assert client.get(second).status_code == 404
    assert audit.share_links.filter(revoked_at=None).count() == 1


def test_another_member_can_neither_revoke_nor_create_a_link(client, make_member):
    owner = make_member("owner")
    client.force_login(owner)
    audit = walk(client)
    share(client, audit)
    url = active_link(audit).get_absolute_url()
    client.force_login(make_member("intruder"))
    assert share(client, audit, "revoke").status_code == 404
    assert share(client, audit).status_code == 404
    assert audit.share_links.count() == 1
    page = client.get(url)
    assert page.status_code == 200 and "Take the audit yourself" in page.content.decode()


def test_a_visitor_is_asked_to_keep_the_result_before_sharing_it(client):
    audit = walk(client)
    response = client.post(reverse("audits:share", args=[audit.id]), follow=True)
    assert "Sign up or log in to keep this result" in response.content.decode()
    assert not audit.share_links.exists()


def test_share_link_creation_is_rate_limited_with_a_clear_429(member_client):
    from audits.views import SHARE_LINKS_PER_HOUR

    audit = walk(member_client)
    for _ in range(SHARE_LINKS_PER_HOUR):
        assert share(member_client, audit).status_code == 302
    response = share(member_client, audit)
    assert response.status_code == 429
    assert "Too many new links" in response.content.decode()
    assert share(member_client, audit, "revoke").status_code == 302  # revoking is never limited


def made_pdf(client, audit):
    """Ask for the PDF as the result page's link does, let the task worker run, ask again."""
    url = reverse("audits:export_pdf", args=[audit.id])
    first = client.get(url)
    assert first.status_code == 302 and first.url == reverse("audits:pdf", args=[audit.id])
    run_worker()
    return client.get(url)


@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_the_print_page_on_at_most_two_a4_pages(member_client, settings):
    from audits import pdf

    settings.TASKS = DATABASE_TASKS
    audit = walk(member_client)
    response = made_pdf(member_client, audit)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"].endswith('.pdf"')
    html = member_client.get(reverse("audits:print", args=[audit.id])).content.decode()
    document = pdf.render_document(html, "http://testserver/")
    assert 1 <= len(document.pages) <= 2
    assert document.pages[0].width == pytest.approx(210 * 96 / 25.4, abs=1)  # A4, in CSS px


@pytest.mark.django_db(transaction=True)
def test_a_pdf_is_made_by_the_worker_once_and_never_by_a_request(
    member_client, settings, monkeypatch
):
    """Before: every uncached PDF was rendered by the request that asked for it (1.4 to 8.8 s
    on a sync worker), and 20 asked for at once held every worker: /healthz waited 26 s."""
    from audits import pdf

    settings.TASKS = DATABASE_TASKS
    audits = [walk(member_client) for _ in range(3)]
    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("a request rendered"))
    for audit in audits:
        for _ in range(2):  # asking twice queues it once
            response = member_client.get(reverse("audits:export_pdf", args=[audit.id]))
            assert response.status_code == 302
    assert queued_tasks("audits.tasks.make_audit_pdf").count() == 3
    page = member_client.get(reverse("audits:pdf", args=[audits[0].id]))
    assert "Your PDF is being made" in page.content.decode()
    assert 'hx-trigger="every 2s"' in page.content.decode()

    monkeypatch.setattr(pdf, "render_pdf", render)
    run_worker()
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("rendered again"))
    partial = member_client.get(reverse("audits:pdf", args=[audits[0].id]), HTTP_HX_REQUEST="true")
    assert "Download the PDF" in partial.content.decode()
    assert "hx-trigger" not in partial.content.decode()  # the polling stops
    assert "<html" not in partial.content.decode()
    for audit in audits:
        response = member_client.get(reverse("audits:export_pdf", args=[audit.id]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert queued_tasks("audits.tasks.make_audit_pdf").count() == 0


@pytest.mark.django_db(transaction=True)
def test_another_member_gets_404_for_a_pdf_and_its_page(member_client, other_member, settings):
    settings.TASKS = DATABASE_TASKS
    audit = walk(member_client)
    made_pdf(member_client, audit)
    other = Client()
    other.force_login(other_member)
    for name in ("audits:export_pdf", "audits:pdf"):
        assert other.get(reverse(name, args=[audit.id])).status_code == 404


def test_compare_keeps_the_ticks_and_says_why_when_not_two(member_client):
    audits = [walk(member_client) for _ in range(3)]
    ids = [str(audit.id) for audit in audits]
    response = member_client.get(reverse("audits:compare"), {"audit": ids}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("audits:history") + "?audit=")
    assert "Compare takes exactly two finished audits: you chose 3." in page
    for audit_id in ids:
        assert f'value="{audit_id}" id="cmp-{audit_id}"' in page
        assert page.count(f'value="{audit_id}" id="cmp-{audit_id}" ') == 1
        assert f'id="cmp-{audit_id}" aria-label=' in page
    assert page.count(" checked>") == 3
    one = member_client.get(reverse("audits:compare"), {"audit": ids[:1]}, follow=True)
    assert "you chose only one" in one.content.decode()
    assert one.content.decode().count(" checked>") == 1


def test_compare_is_offered_only_with_two_finished_audits(member_client):
    walk(member_client)
    start(member_client)
    page = member_client.get(reverse("audits:history")).content.decode()
    assert 'name="audit"' not in page and "Compare the two ticked" not in page
    walk(member_client)
    page = member_client.get(reverse("audits:history")).content.decode()
    assert page.count('name="audit"') == 2 and "Compare the two ticked" in page


def test_history_trend_and_compare_show_the_same_exact_times_newest_first(member_client):
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    older = walk(member_client)
    newer = walk(member_client)
    Audit.objects.filter(pk=older.pk).update(finished_at=newer.finished_at - timedelta(days=3))
    older.refresh_from_db()
    stamp = {a.pk: date_format(localtime(a.finished_at), "j M Y, H:i") for a in (older, newer)}
    history = member_client.get(reverse("audits:history")).content.decode()
    trend, table = history.split('id="audits-h"')
    assert "polyline" not in trend
    assert trend.index(stamp[newer.pk]) < trend.index(stamp[older.pk])  # newest first
    assert "heat-top" in trend and "The scores as a table" in trend
    assert f"Finished</span> {stamp[newer.pk]}" in table
    compare = member_client.get(
        reverse("audits:compare"), {"audit": [str(older.id), str(newer.id)]}
    ).content.decode()
    assert f"Earlier ·</span> {stamp[older.pk]}" in compare
    assert f"Later ·</span> {stamp[newer.pk]}" in compare


def test_the_trend_draws_each_audits_score_for_every_track(member_client):
    retrieval = walk(member_client)
    evals = walk(member_client, EVALS_ANSWERS)
    history = member_client.get(reverse("audits:history")).content.decode()
    start = history.index('<svg class="chart trend-chart"')
    chart = history[start : history.index("</svg>", start)]
    tracks = len(retrieval.result["scores"])
    assert chart.count('<rect class="heat ') == 2 * tracks
    # Newest on the left: the evals audit's scores come first in every track's row.
    # Each cell is the share of the points possible from that audit's answers: one scale.
    cells = re.findall(
        r'class="heat heat-\d( heat-top)?"[^>]*/><text class="heat-value[^"]*"[^>]*>(\d+)%<', chart
    )
    drawn = [int(score) for _outlined, score in cells]

    def share(audit, row):
        return round(100 * row["score"] / audit.result["possible"])

    for row, track in enumerate(retrieval.result["scores"]):
        newest = next(s for s in evals.result["scores"] if s["slug"] == track["slug"])
        assert drawn[2 * row : 2 * row + 2] == [share(evals, newest), share(retrieval, track)]
    outlined = [bool(outlined) for outlined, _score in cells]
    assert outlined.count(True) == len(evals.result["recommended"]) + len(
        retrieval.result["recommended"]
    )
    assert "Retrieval" in chart and "Evals" in chart


def test_a_track_name_in_the_trend_is_text_not_markup():
    from audits.charts import trend_chart

    row = {
        "finished_at": timezone.now(),
        "scores": [{"slug": "x", "name": "<b>Evals & co</b>", "score": 3}],
        "recommended": ["x"],
        "recommended_names": ["<b>Evals & co</b>"],
    }
    page = render_to_string("audits/history.html", {"trend": trend_chart([row])})
    start = page.index('<svg class="chart trend-chart"')
    chart = page[start : page.index("</svg>", start)]
    assert "&lt;b&gt;Evals &amp; co&lt;/b&gt;" in chart and "<b>" not in chart


def test_copy_counts_are_plural_only_when_plural(member_client, client):
    member_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = member_client.get(reverse("account_delete")).content.decode()
    assert "all 0" not in page and "will be deleted for good" in page
    walk(member_client)
    assert (
        "and your audit will be deleted"
        in member_client.get(reverse("account_delete")).content.decode()
    )
    client.logout()
    one = client.get(reverse("tracks:track_list"), {"q": "Vespa"}).content.decode()
    assert "1 track matches “Vespa”" in one
    several = client.get(reverse("tracks:track_list"), {"q": "Anthropic"}).content.decode()
    assert "tracks match “Anthropic”" in several


def test_result_share_and_history_pages_keep_the_content_security_policy(member_client):
    from test_security import csp_offences

    first, second = walk(member_client), walk(member_client)
    share(member_client, second)
    pages = {
        "result": reverse("audits:result", args=[second.id]),
        "print": reverse("audits:print", args=[second.id]),
        "history": reverse("audits:history"),
        "shared": active_link(second).get_absolute_url(),
        "compare": f"{reverse('audits:compare')}?audit={first.id}&audit={second.id}",
    }
    for name, url in pages.items():
        response = member_client.get(url)
        assert response.status_code == 200, name
        assert csp_offences(response.content.decode()) == [], name


def test_the_shared_page_costs_one_query_cold_or_cached(member_client, django_assert_num_queries):
    audit = walk(member_client)
    share(member_client, audit)
    url = active_link(audit).get_absolute_url()
    friend = Client()
    for _ in range(2):  # a full render, then the cached report: the link is looked up each time
        with django_assert_num_queries(1):
            assert friend.get(url).status_code == 200


def test_a_step_posted_after_the_session_ended_is_kept_until_the_member_logs_in_again(
    client, member, password
):
    """Without JavaScript: the person lands on a page that says what happened and what to do,
    and after logging in the step shows what they had typed."""
    client.force_login(member)
    audit = walk(client, until=0)
    client.logout()
    note = "Typed while the session had ended " * 3

    response = client.post(
        reverse("audits:step", args=[audit.id, 1]),
        {"lost-track-of-time": ["chunking-strategy"], "note": note, "action": "continue"},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "This step was not saved" in page and "Log in again" in page
    login = f"{reverse('account_login')}?next=%2Faudits%2F{audit.id}%2Fstep%2F1%2F"
    assert f'href="{login}"' in page
    response = client.post(login, {"login": "ada", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("audits:step", args=[audit.id, 1])
    step = response.content.decode()
    assert note.strip() in step
    assert "Here is what you entered before you were logged out" in step
    assert audit.answers.get(step=1).data["note"].strip() == note.strip()


def test_a_step_posted_without_a_log_in_to_an_unknown_audit_says_the_same(client):
    response = client.post(reverse("audits:step", args=[uuid.uuid4(), 1]), {"note": "x"})
    assert response.status_code == 403
    assert "This step was not saved" in response.content.decode()
