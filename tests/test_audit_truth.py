"""The audit tells the truth: every track can come out of an honest audit, no step gives the
answer key away, visitors start at once and keep their result, and no step loses an answer."""

import re
from datetime import timedelta
from html import escape
from io import StringIO

import pytest
from answers import RETRIEVAL_ANSWERS
from audit_helpers import PASSWORD, post_step, start, step_url, walk
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audits import flows, views
from audits.checks import every_track_is_reachable, tracks_missing_evidence
from audits.models import Audit, Option, OptionWeight
from audits.scoring import score
from audits.steps import STEPS, conference_talks, read_answers
from tracks.models import Company, ConferenceTrack, Track

pytestmark = pytest.mark.usefixtures("db")

NEUTRAL_REFLECTION = {
    "pay-main-draw": "no",
    "weekly-release-notes": "yes",
    "day-job-depth": "yes",
    "hot-this-quarter": "no",
}


def honest_answers(track):
    """Answers that point to `track` only: a problem, a read and a talk of it, and a company
    that hires for it (the first in alphabetical order)."""

    def option_for(step):
        return (
            Option.objects.filter(question__step=step, weights__track=track)
            .select_related("question")
            .order_by("label")
            .first()
        )

    talk = (
        next(
            key
            for talks in conference_talks().values()
            for key, (_label, _full, slugs) in talks.items()
            if slugs == [track.slug]
        )
        if ConferenceTrack.objects.filter(track=track).exists()
        else None
    )
    company = Company.objects.filter(hiring__track=track).order_by("name").first()
    problem, reading = option_for(1), option_for(2)
    talks = {"talks": [talk] if talk else []}
    if talk is None:  # no conference in the chapter: a talk topic curators added
        topic = option_for(3)
        talks[topic.question.slug] = [topic.key]
    return {
        0: {"years": "2-3", "tried": []},
        1: {problem.question.slug: [problem.key], "note": ""},
        2: {reading.question.slug: [reading.key]},
        3: talks,
        4: {"companies": [company.slug]},
        5: NEUTRAL_REFLECTION,
    }


TRACKS = ["retrieval", "agents", "evals", "inference", "voice", "multimodal", "safety",
          "fine-tuning", "forward-deployed"]  # fmt: skip


@pytest.mark.parametrize("slug", TRACKS)
def test_every_track_comes_out_of_an_honest_audit_as_the_overlap(slug):
    track = Track.objects.get(slug=slug)
    audit_input, snapshot = read_answers(honest_answers(track))
    result = score(audit_input)
    assert result["recommended"] == [slug]
    assert result["basis"] == "overlap", result["reasons"]


@pytest.mark.parametrize("slug", TRACKS)
def test_every_track_comes_out_of_the_audit_taken_in_the_browser_way(client, slug):
    track = Track.objects.get(slug=slug)
    audit = walk(client, answers=honest_answers(track))  # a visitor, through the views
    page = client.get(reverse("audits:result", args=[audit.id])).content.decode()
    recommendation = page.split('id="recommendation"')[1].split("</p>")[0]
    assert escape(track.name) in recommendation
    assert "weak signal" not in page
    assert not re.search(r"<h3>[^<]+</h3>\s*<ul>\s*</ul>", page), "an empty list under a heading"


@pytest.mark.parametrize(
    ("slug", "warning"),
    [("retrieval", "release_notes"), ("forward-deployed", "fde-not-a-downgrade")],
)
def test_the_warnings_follow_what_curators_mark_not_the_slug(slug, warning):
    track = Track.objects.get(slug=slug)
    answers = honest_answers(track)
    answers[5] = NEUTRAL_REFLECTION | {"weekly-release-notes": "no"}
    track.slug = f"{slug}-renamed"  # a curator renames it: the warning stays
    track.save()
    result = score(read_answers(answers)[0])
    assert warning in [w["code"] for w in result["warnings"]]
    Track.objects.filter(pk=track.pk).update(
        reads_release_notes_weekly=False, forward_deployed=False
    )  # and unmarks it: the warning goes
    result = score(read_answers(answers)[0])
    assert warning not in [w["code"] for w in result["warnings"]]


def test_the_seed_leaves_no_track_unreachable():
    assert tracks_missing_evidence() == []
    assert every_track_is_reachable(databases=["default"]) == []


def test_the_content_check_names_a_track_a_curator_made_unreachable():
    OptionWeight.objects.filter(track__slug="forward-deployed", option__question__step=3).delete()
    errors = every_track_is_reachable(databases=["default"])
    assert [error.id for error in errors] == ["audits.W001"]
    assert "Forward-Deployed" in errors[0].msg and "step 4" in errors[0].msg
    with pytest.raises(Exception, match="step 4"):
        call_command("seed_content", stdout=StringIO())


# No answer key ---------------------------------------------------------------------------


def step_page(client, audit, number):
    for earlier in range(number):
        assert post_step(client, audit, earlier, RETRIEVAL_ANSWERS[earlier]).status_code == 302
    page = client.get(step_url(audit, number)).content.decode()
    return page.split('id="step-form"', 1)[1].split("</form>", 1)[0]


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_no_evidence_step_names_a_track_or_orders_by_track(client, number):
    audit = start(client)
    form = step_page(client, audit, number)
    labels = re.findall(r"<span>([^<]+)</span>\s*</label>", form)
    assert labels, "options are shown"
    names = list(Track.objects.values_list("name", flat=True))
    headings = re.findall(r"<legend[^>]*>([^<]+)</legend>", form)
    assert not [h for h in headings if h in names], headings
    assert "badge" not in form and "choice-hint" not in form
    if number in (1, 2, 4):
        assert labels == sorted(labels, key=str.casefold)


def test_each_conference_appears_once_with_its_sessions_as_choices(client):
    audit = start(client)
    form = step_page(client, audit, 3)
    assert form.count("<legend>NeurIPS</legend>") == 1
    assert "MLSys" in form and form.count(">MLSys<") == 1
    for session in ("Agent workshops", "Systems track", "Another talk at NeurIPS"):
        assert f"<span>{session}</span>" in form


def test_the_companies_can_be_filtered_keeping_what_was_ticked(client):
    audit = start(client)
    step_page(client, audit, 4)
    htmx = {"HX-Request": "true", "HX-Target": "company-choices"}
    fragment = client.get(
        step_url(audit, 4), {"q": "gle", "companies": ["palantir"]}, headers=htmx
    ).content.decode()
    labels = re.findall(r"<span>([^<]+)</span>", fragment)
    assert labels[0] == "Palantir (the original)" and "Glean" in labels
    assert all("gle" in label.casefold() for label in labels[1:])
    assert 'value="palantir" checked' in fragment
    # Without JavaScript: the Filter button keeps the ticks (saved) and shows the matches.
    response = post_step(
        client, audit, 4, {"companies": ["sierra"], "q": "ang", "action": "filter"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="sierra" checked' in page
    shown = re.findall(r"<span>([^<]+)</span>\s*</label>", page)
    assert shown[0] == "Sierra" and len(shown) > 1
    assert all("ang" in label.casefold() for label in shown[1:])
    assert audit.answers.get(step=4).data == {"companies": ["sierra"]}


# Visitors --------------------------------------------------------------------------------


def test_a_visitor_takes_the_audit_and_keeps_it_by_signing_up(client, django_user_model):
    audit = walk(client)
    assert audit.member is None and audit.is_finished
    result = client.get(reverse("audits:result", args=[audit.id])).content.decode()
    assert "Keep this result" in result
    client.post(
        reverse("account_signup") + f"?next={reverse('audits:result', args=[audit.id])}",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },  # fmt: skip
    )
    audit.refresh_from_db()
    assert audit.member == django_user_model.objects.get(username="newbie")
    assert str(audit.id) in client.get(reverse("audits:history")).content.decode()


def test_a_visitors_draft_is_claimed_at_log_in_exactly_once(client, member):
    audit = start(client)
    post_step(client, audit, 0, RETRIEVAL_ANSWERS[0])
    client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    audit.refresh_from_db()
    assert audit.member == member and audit.visitor_key == ""
    client.post(reverse("account_logout"))
    client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    assert Audit.objects.filter(member=member).count() == 1
    assert client.get(step_url(audit, 1)).status_code == 200


def test_a_visitors_audit_is_invisible_to_everyone_else(client, member, superuser):
    audit = walk(client)
    for someone in (Client(), member, superuser):
        other = someone if isinstance(someone, Client) else Client()
        if not isinstance(someone, Client):
            other.force_login(someone)
        assert other.get(reverse("audits:result", args=[audit.id])).status_code == 404
        assert other.get(step_url(audit, 0)).status_code == 404
    admin = Client()
    admin.force_login(superuser)
    page = admin.get(reverse("admin:audits_audit_change", args=[audit.id])).content.decode()
    assert "SIGIR" not in page and "Glean" not in page


def test_a_visitor_has_one_live_draft(client):
    first = start(client)
    response = client.post(reverse("audits:new"))
    assert response["Location"] == step_url(first, 0)
    assert Audit.objects.count() == 1


def test_new_drafts_per_address_are_limited_with_a_clear_429(settings):
    for _ in range(views.VISITOR_DRAFTS_PER_HOUR):
        assert Client().post(reverse("audits:new")).status_code == 302
    refused = Client().post(reverse("audits:new"))
    assert refused.status_code == 429
    assert "Too many new audits" in refused.content.decode()
    assert Client(REMOTE_ADDR="10.0.0.9").post(reverse("audits:new")).status_code == 302


def test_behind_a_proxy_the_limit_counts_each_client_not_the_proxy(settings):
    settings.PROXY_COUNT = 1
    for n in range(views.VISITOR_DRAFTS_PER_HOUR + 1):
        # Each client through the same proxy (which appends what it saw); one forged hop too.
        forwarded = f"6.6.6.6, 203.0.113.{n}"
        response = Client(REMOTE_ADDR="").post(
            reverse("audits:new"), headers={"X-Forwarded-For": forwarded}
        )
        assert response.status_code == 302, n


def test_unclaimed_visitor_audits_go_after_30_days_members_stay(client, member):
    stale, fresh = walk(client), Audit.objects.create(visitor_key="another-browser")
    kept = Audit.objects.create(member=member)
    Audit.objects.filter(pk__in=[stale.pk, kept.pk]).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    out = StringIO()
    call_command("delete_unclaimed_audits", stdout=out)
    call_command("delete_unclaimed_audits", stdout=out)  # again, as cron would: nothing more
    assert set(Audit.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert "Deleted 1 " in out.getvalue() and "Deleted 0 " in out.getvalue()


def test_a_tampered_session_key_finds_no_audit(client):
    audit = start(client)
    session = client.session
    session[flows.VISITOR_KEY] = "forged"
    session.save()
    assert client.get(step_url(audit, 0)).status_code == 404
    # A post is refused as any post without a log-in is (what it held is kept for a log-in).
    response = post_step(client, audit, 0, RETRIEVAL_ANSWERS[0])
    assert response.status_code == 403
    assert "This step was not saved" in response.content.decode()
    assert not audit.answers.exists()


# Steps lose nothing ----------------------------------------------------------------------


def test_back_keeps_what_was_ticked_on_the_step(client):
    audit = start(client)
    step_page(client, audit, 2)
    reading = {"free-time-reading": ["eval-blog-posts"], "action": "back"}
    response = post_step(client, audit, 2, reading)
    assert response.status_code == 302 and response["Location"] == step_url(audit, 1)
    page = client.get(step_url(audit, 2)).content.decode()
    assert 'value="eval-blog-posts" checked' in page
    audit.refresh_from_db()
    assert audit.reached_step == 2


def test_back_saves_only_what_is_on_offer(client):
    audit = start(client)
    step_page(client, audit, 1)
    post_step(client, audit, 1, {"lost-track-of-time": ["nope", "slow-agent"],
                                 "note": "x" * 900, "action": "back"})  # fmt: skip
    data = audit.answers.get(step=1).data
    assert data["lost-track-of-time"] == ["slow-agent"] and len(data["note"]) == 500


def test_back_never_stores_what_the_field_refuses(client):
    audit = start(client)
    step_page(client, audit, 1)
    response = post_step(client, audit, 1, {"note": "nul\x00byte", "action": "back"})
    assert response.status_code == 302
    assert "note" not in audit.answers.get(step=1).data


def test_the_tab_title_follows_the_step_for_htmx(client):
    audit = start(client)
    response = post_step(client, audit, 0, RETRIEVAL_ANSWERS[0], headers={"HX-Request": "true"})
    assert "<title>Step 2 of 6:" in response.content.decode()


def test_one_time_promise_everywhere(client):
    promise = "Block 2 hours: take them in as many sittings as you like"
    for url in ("/", reverse("audits:new")):
        assert promise in client.get(url).content.decode(), url
    for url in ("/", reverse("audits:new"), "/guide/"):
        page = client.get(url).content.decode()
        assert "few minutes" not in page and "short steps" not in page, url


def test_a_step_from_the_future_or_another_step_option_is_refused(client):
    audit = start(client)
    response = post_step(client, audit, 3, {"talks": ["sigir:talk"]})
    assert response.status_code == 400 and "Please answer step 1 first" in response.content.decode()
    post_step(client, audit, 0, RETRIEVAL_ANSWERS[0])
    wrong = post_step(client, audit, 1, {"lost-track-of-time": ["eval-blog-posts"]})
    assert wrong.status_code == 400 and "not one of the available choices" in wrong.content.decode()
    assert not audit.answers.filter(step=1).exists()


def test_steps_are_declared_once():
    assert [step.number for step in STEPS] == list(range(6))
    assert len({step.key for step in STEPS}) == 6


def test_a_visitor_finds_their_result_from_the_home_page_and_the_audits_page(client):
    audit = walk(client)
    result = reverse("audits:result", args=[audit.id])

    for page in (reverse("tracks:home"), reverse("audits:new")):
        body = client.get(page).content.decode()
        assert f'href="{result}">see your result</a>' in body, page
        assert "Your result is kept in this browser." in body

    # Another browser (no session) sees no such link, and the home page is the stored one.
    assert "see your result" not in Client().get(reverse("tracks:home")).content.decode()


def test_a_visitors_result_starts_with_its_h1_and_offers_no_sign_up_for_the_pdf(client):
    audit = walk(client)
    page = client.get(reverse("audits:result", args=[audit.id])).content.decode()

    headings = re.findall(r"<h([1-6])", page[page.index("<main") :])
    assert headings[0] == "1", headings
    keep = page[page.index('aria-label="Keep this result"') :][:800]
    assert "PDF" not in keep
    assert "Download as PDF" in page


def test_the_note_states_its_limit_and_a_longer_paste_is_refused_not_cut(client):
    audit = walk(client, until=0)
    page = client.get(step_url(audit, 1)).content.decode()
    assert "up to 500 characters" in page and "0 of 500 characters" in page
    assert 'maxlength="500"' not in page  # the browser would cut a paste without a word

    pasted = ("Hybrid search that kept missing acronyms. " * 17).strip()  # 713 characters
    response = post_step(client, audit, 1, {"note": pasted, "action": "continue"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value has at most 500 characters (it has 713)." in body
    assert escape(pasted) in body
    assert not audit.answers.filter(step=1).exists()
