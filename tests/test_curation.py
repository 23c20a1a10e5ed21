"""Curators keep the guide current safely: history and undo, nothing destructive, sources and
review dates, links out that are web addresses, and an admin that says what things are."""

import datetime
import re
import time

import pytest
from admin_forms import change_form_data
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audits.models import AuditAnswer, Option, OptionWeight, Question
from audits.reports import in_words
from audits.steps import step_form
from tracks.models import (
    CompanyTrack,
    Conference,
    FormerSlug,
    GuideSection,
    Project,
    Track,
)

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def save_in_admin(client, obj, **changes):
    url = change_url(obj)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, change_form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def numbers():
    return list(Track.objects.order_by("number").values_list("slug", flat=True))


# Numbers and order ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 10])
def test_track_number_outside_one_to_nine_is_refused(curator_client, number):
    track = Track.objects.get(slug="voice")
    url = change_url(track)
    response = curator_client.post(url, change_form_data(curator_client.get(url), number=number))
    assert response.status_code == 200
    assert "Ensure this value is" in response.content.decode()
    assert Track.objects.get(slug="voice").number == 5


def test_typing_a_number_moves_the_track_and_the_others_along_in_one_save(curator_client):
    before = numbers()
    save_in_admin(curator_client, Track.objects.get(slug="voice"), number=2)
    after = numbers()
    assert after[:6] == ["retrieval", "voice", "agents", "evals", "inference", "multimodal"]
    assert sorted(after) == sorted(before)
    assert list(Track.objects.order_by("number").values_list("number", flat=True)) == list(
        range(1, 10)
    )


def test_dragging_saves_each_moved_track_with_its_history(curator_client):
    voice, multimodal = Track.objects.get(slug="voice"), Track.objects.get(slug="multimodal")
    url = reverse("admin:tracks_track_sortable_update")
    response = curator_client.post(
        url,
        {"updatedItems": [[voice.pk, 6], [multimodal.pk, 5]]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert numbers()[4:6] == ["multimodal", "voice"]
    assert voice.history.first().number == 6
    assert voice.history.first().history_user.username == "curie"


def test_track_list_offers_drag_handles_and_says_how_to_reorder_without_a_mouse(curator_client):
    page = curator_client.get(reverse("admin:tracks_track_changelist")).content.decode()
    assert 'class="drag handle"' in page
    assert "Without a mouse, open the track and type its number" in page


def test_every_script_and_stylesheet_of_the_admin_pages_exists(curator_client):
    """Hashed static names (production) turn a missing file into a 500: none may be missing."""
    from django.contrib.staticfiles import finders

    track = Track.objects.get(slug="voice")
    for url in [reverse("admin:tracks_track_changelist"), change_url(track)]:
        page = curator_client.get(url).content.decode()
        for path in re.findall(r'(?:src|href)="/static/([^"?]+)"', page):
            assert finders.find(path), f"{url} refers to a missing static file: {path}"


# Deleting ------------------------------------------------------------------------------------


def test_deleting_a_track_is_refused_with_what_depends_on_it(curator_client):
    track = Track.objects.get(slug="voice")
    url = reverse("admin:tracks_track_delete", args=[track.pk])
    page = curator_client.get(url).content.decode()
    assert "Cannot delete the track" in page
    assert "untick “Published”" in page
    assert "Sierra" in page  # a hiring company that depends on it
    assert "Yes, I’m sure" not in page
    curator_client.post(url, {"post": "yes"})
    assert Track.objects.filter(slug="voice").exists()
    assert OptionWeight.objects.filter(track=track).exists()


def test_deleting_tracks_in_bulk_is_refused_too(curator_client):
    response = curator_client.post(
        reverse("admin:tracks_track_changelist"),
        {"action": "delete_selected", "_selected_action": [Track.objects.get(slug="voice").pk]},
    )
    assert "Cannot delete" in response.content.decode()
    assert Track.objects.count() == 9


def test_a_track_nothing_refers_to_can_be_deleted(curator_client):
    spare = Track.objects.create(number=9, slug="spare", name="Spare", owns="nothing yet.")
    url = reverse("admin:tracks_track_delete", args=[spare.pk])
    curator_client.post(url, {"post": "yes"})
    assert not Track.objects.filter(slug="spare").exists()


def test_deleting_a_question_members_answered_is_refused(curator_client, member):
    question = Question.objects.get(slug="lost-track-of-time")
    from audits import flows

    audit = flows.start_audit(member)
    AuditAnswer.objects.create(audit=audit, step=1, data={question.slug: ["slow-agent"]})
    for obj in (question, question.options.get(key="slow-agent")):
        opts = obj._meta
        url = reverse(f"admin:audits_{opts.model_name}_delete", args=[obj.pk])
        page = curator_client.get(url).content.decode()
        assert "Cannot delete" in page
        assert "Answers in 1 member audit" in page
        curator_client.post(url, {"post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_question_inline_cannot_delete_options(curator_client):
    question = Question.objects.get(slug="lost-track-of-time")
    page = curator_client.get(change_url(question)).content.decode()
    assert "options-0-DELETE" not in page


def test_unpublished_question_and_option_are_no_longer_asked():
    Option.objects.filter(key="slow-agent").update(published=False)
    Question.objects.filter(slug="free-time-reading").update(published=False)
    problems = step_form(1).fields["lost-track-of-time"]
    assert "slow-agent" not in dict(problems.choices)
    assert "free-time-reading" not in step_form(2).fields


# Addresses -----------------------------------------------------------------------------------


def test_a_changed_slug_keeps_the_old_address_with_a_permanent_redirect(curator_client):
    client = Client()
    save_in_admin(curator_client, Track.objects.get(slug="voice"), slug="voice-ai")
    response = client.get("/tracks/voice/")
    assert (response.status_code, response["Location"]) == (301, "/tracks/voice-ai/")
    response = client.get("/companies/", {"track": "voice"})
    assert (response.status_code, response["Location"]) == (301, "/companies/?track=voice-ai")
    assert client.get("/tracks/voice-ai/").status_code == 200
    # And back again: the live slug never redirects.
    save_in_admin(curator_client, Track.objects.get(slug="voice-ai"), slug="voice")
    assert client.get("/tracks/voice/").status_code == 200
    assert client.get("/tracks/voice-ai/")["Location"] == "/tracks/voice/"
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["voice-ai"]


def test_an_unknown_track_filter_on_companies_is_a_404(client):
    assert client.get("/companies/", {"track": "knitting"}).status_code == 404


def test_staff_preview_an_unpublished_track_that_visitors_cannot_see(curator_client):
    client = Client()
    Track.objects.filter(slug="voice").update(published=False)
    assert client.get("/tracks/voice/").status_code == 404
    page = curator_client.get("/tracks/voice/")
    assert page.status_code == 200
    assert "This track is not published" in page.content.decode()


# History and undo ----------------------------------------------------------------------------


def test_history_shows_who_changed_what_and_a_revert_restores_it(curator_client):
    track = Track.objects.get(slug="agents")
    save_in_admin(curator_client, track, name="Agentic systems")
    history = curator_client.get(reverse("admin:tracks_track_history", args=[track.pk]))
    page = history.content.decode()
    assert "curie" in page
    assert "Agents" in page and "Agentic systems" in page  # the diff: old → new
    seeded = track.history.filter(name="Agents").first()
    revert_url = reverse("admin:tracks_track_simple_history", args=[track.pk, seeded.pk])
    form = curator_client.get(revert_url)
    assert form.status_code == 200
    response = curator_client.post(revert_url, change_form_data(form))
    assert response.status_code == 302
    assert Track.objects.get(pk=track.pk).name == "Agents"
    assert track.history.first().history_user.username == "curie"


@pytest.mark.parametrize(
    "model, lookup",
    [
        (Conference, {"slug": "sigir"}),
        (Project, {"slug": "vllm"}),
        (CompanyTrack, {"company__slug": "glean", "track__slug": "retrieval"}),
        (GuideSection, {"slug": "wrong-reason"}),
        (Question, {"slug": "pay-main-draw"}),
    ],
)
def test_every_kind_of_content_has_a_history_page(curator_client, model, lookup):
    obj = model.objects.get(**lookup)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    response = curator_client.get(url)
    assert response.status_code == 200
    assert "seed_content" in response.content.decode()


# Links and sources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.com/x", "data:text/html,hi", "example.com"]
)
def test_links_out_must_be_web_addresses(address):
    for obj, field in [
        (Project.objects.get(slug="vllm"), "url"),
        (Conference.objects.get(slug="sigir"), "url"),
        (Track.objects.get(slug="voice"), "source_url"),
    ]:
        setattr(obj, field, address)
        with pytest.raises(ValidationError):
            obj.full_clean()


@pytest.mark.parametrize("address", ["javascript:alert(1)", "https://evil.example/", "//evil/"])
def test_guide_links_stay_on_the_site(address):
    section = GuideSection.objects.get(slug="next-system-design")
    section.link_url = address
    with pytest.raises(ValidationError):
        section.full_clean()
    section.link_url = "/tracks/voice/"
    section.full_clean()


def test_reviewed_date_and_source_are_shown_on_public_pages():
    client = Client()
    Project.objects.filter(slug="vllm").update(
        reviewed_on=datetime.date(2026, 11, 3), source_url="https://github.com/vllm-project/vllm"
    )
    page = client.get("/projects/").content.decode()
    assert 'Reviewed against its source, <time datetime="2026-11-03">Nov 2026</time>' in page
    assert (
        'href="https://github.com/vllm-project/vllm" rel="external noopener">vLLM repository'
        in page
    )
    assert "Reviewed" in client.get("/tracks/voice/").content.decode()


def test_needs_review_lists_content_not_reviewed_for_six_months(curator_client):
    today = datetime.date.today()
    Track.objects.update(reviewed_on=today)
    Track.objects.filter(slug="voice").update(reviewed_on=today - datetime.timedelta(days=200))
    page = curator_client.get(reverse("admin:tracks_needs_review")).content.decode()
    assert "5. Voice" in page and "4. Inference" not in page
    assert "Glean for Retrieval" in page  # company links were never reviewed
    due = curator_client.get(reverse("admin:tracks_track_changelist"), {"review": "due"})
    assert list(due.context["cl"].result_list) == [Track.objects.get(slug="voice")]


# An admin that says what things are ----------------------------------------------------------


def test_admin_names_and_steps_read_as_curators_expect(curator_client):
    index = curator_client.get("/admin/").content.decode()
    assert "Hiring companies" in index and "for a tracks" not in index
    questions = curator_client.get(reverse("admin:audits_question_changelist")).content.decode()
    assert "Step 2 of 6" in questions and "Step 6 of 6" in questions
    assert str(Question.objects.get(slug="lost-track-of-time")).startswith("Step 2:")


def test_warning_is_offered_only_on_reflection_options(curator_client):
    problem = Question.objects.get(slug="lost-track-of-time")
    assert "-warning" not in curator_client.get(change_url(problem)).content.decode().lower()
    reflection = Question.objects.get(slug="pay-main-draw")
    assert "options-0-warning" in curator_client.get(change_url(reflection)).content.decode()
    option = problem.options.first()
    option.warning = Option.Warning.PAY
    with pytest.raises(ValidationError):
        option.full_clean()


def test_a_qualifier_needs_its_kind():
    link = CompanyTrack.objects.get(company__slug="anthropic", track__slug="agents")
    assert link.qualifier_kind == "product"
    link.qualifier_kind = ""
    with pytest.raises(ValidationError):
        link.full_clean()


def test_saving_a_track_with_its_inlines_takes_under_a_second(curator_client):
    track = Track.objects.get(slug="voice")
    url = change_url(track)
    data = change_form_data(curator_client.get(url), owns="voice-native AI products, live.")
    started = time.perf_counter()
    response = curator_client.post(url, data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert elapsed < 1.0, f"saving took {elapsed:.2f} s"


def test_a_curators_save_is_seen_at_once_on_the_public_page(curator_client):
    client = Client()
    client.get("/tracks/voice/"), client.get("/tracks/voice/")
    save_in_admin(curator_client, Track.objects.get(slug="voice"), name="Voice AI")
    assert "Voice AI" in client.get("/tracks/voice/").content.decode()


def test_an_unpublished_track_is_never_recommended(member):
    from answers import RETRIEVAL_ANSWERS
    from audit_helpers import audit_until

    # A leaning to Retrieval that names no Retrieval choice an unpublished track takes away.
    answers = {
        **RETRIEVAL_ANSWERS,
        0: {"years": "2-3", "tried": ["evals"]},
        1: {"lost-track-of-time": ["chunking-strategy"], "note": ""},
        3: {"talks": []},
    }
    assert "retrieval" in audit_until(member, 5, answers).result["recommended"]
    Track.objects.filter(slug="retrieval").update(published=False)
    result = audit_until(member, 5, answers).result
    assert "retrieval" not in result["recommended"]
    assert "Retrieval" not in str(in_words(result)["explanation"])


def test_the_admin_home_leads_to_the_review_list(curator_client):
    page = curator_client.get("/admin/").content.decode()
    assert reverse("admin:tracks_needs_review") in page
    assert "Tracks" in page  # Django's own list of apps is still there


def test_history_shows_only_what_the_curator_changed_without_empty_columns(curator_client):
    """A browser sends a textarea's line breaks as CRLF: saving a track with only its name
    changed records the name, not a "Summary" change whose sides look alike."""
    track = Track.objects.get(slug="agents")
    assert "\n" in track.summary
    url = change_url(track)
    data = change_form_data(curator_client.get(url), name="Agentic systems")
    data = {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}
    assert curator_client.post(url, data).status_code == 302
    assert curator_client.post(url, data).status_code == 302  # saved again, unchanged

    history = curator_client.get(reverse("admin:tracks_track_history", args=[track.pk]))
    page = history.content.decode()
    curators_entries = track.history.filter(history_user__username="curie")
    assert len(curators_entries) == 1  # the second save changed nothing
    entry = curators_entries[0]
    assert entry.diff_against(entry.prev_record).changed_fields == ["name"]
    assert Track.objects.get(pk=track.pk).summary == track.summary
    assert "<strong>Summary:</strong>" not in page
    assert "Change reason" not in page and "None" not in page


def test_the_track_list_has_one_order_column_that_shows_the_number(curator_client):
    page = curator_client.get(reverse("admin:tracks_track_changelist")).content.decode()

    headings = re.findall(r'<th scope="col" class="([^"]*)"', page)
    assert len([h for h in headings if "column-_reorder_" in h]) == 1
    assert not [h for h in headings if "column-position" in h or "column-number" in h]
    voice = Track.objects.get(slug="voice")
    assert f'pk="{voice.pk}" order="{voice.number}"' in page
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    assert "div.drag.handle::after { content: attr(order); }" in css
