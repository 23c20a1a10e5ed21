"""The public catalogue: every page answers with its content in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracks.cache import renew_catalogue_version
from tracks.models import (
    Company,
    CompanyTrack,
    Conference,
    ConferenceTrack,
    Project,
    ProjectTrack,
    QuickCheckQuestion,
    Skill,
    Track,
)

pytestmark = pytest.mark.usefixtures("db")

PAGES = {
    "home": ("/", ["Take the curiosity audit", "Retrieval", "Forward-Deployed Engineer"]),
    "tracks": ("/tracks/", ["The nine durable tracks", "Evals &amp; quality", "hybrid search"]),
    "track": ("/tracks/retrieval/", ["RAG quality", "Glean", "SIGIR", "Qdrant", "library science"]),
    "companies": ("/companies/", ["Anthropic", "Hebbia", "Together AI", "Palantir"]),
    "company": ("/companies/anthropic/", ["Claude Code", "post-training", "Agents"]),
    "conferences": ("/conferences/", ["NeurIPS", "systems track", "agent workshops", "SIGIR"]),
    "projects": ("/projects/", ["Promptfoo", "red-team templates", "Inspect AI", "vLLM"]),
    "guide": ("/guide/", ["Quick check", "Year 2–3", "Specialize at the team level"]),
    "about": ("/about/", ["What the chapter gives", "careerguide adds", "quick-check questions"]),
}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_shows_its_content(client, name):
    url, texts = PAGES[name]
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in texts:
        assert text in page, f"{text!r} missing from {url}"


def grow_catalogue(factor=10):
    """Add many more companies, conferences, projects and skills, linked to every track, in a
    few bulk writes; then the catalogue's version moves on, as after a curator's save."""
    tracks = list(Track.objects.all())
    n = range(factor * 10)
    companies = Company.objects.bulk_create(
        Company(name=f"Extra Company {i}", slug=f"extra-company-{i}") for i in n
    )
    conferences = Conference.objects.bulk_create(
        Conference(name=f"Extra Conf {i}", slug=f"extra-conf-{i}", kind="industry") for i in n
    )
    projects = Project.objects.bulk_create(
        Project(name=f"Extra Project {i}", slug=f"extra-project-{i}") for i in n
    )
    links = [(i, track) for i in n for track in tracks[: 1 + i % 9]]
    CompanyTrack.objects.bulk_create(
        CompanyTrack(company=companies[i], track=t, qualifier="extra", qualifier_kind="note")
        for i, t in links
    )
    ConferenceTrack.objects.bulk_create(
        ConferenceTrack(conference=conferences[i], track=t, session="s") for i, t in links
    )
    ProjectTrack.objects.bulk_create(ProjectTrack(project=projects[i], track=t) for i, t in links)
    Skill.objects.bulk_create(Skill(track=tracks[i % 9], name=f"extra skill {i}") for i in n)
    renew_catalogue_version()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# A visitor's page: the catalogue's version (its cache key), then what the page shows.
QUERY_BUDGET = {
    "home": 1 + 2,
    "tracks": 1 + 2,
    "track": 1 + 7,
    "companies": 1 + 3,
    "company": 1 + 2,
    "conferences": 1 + 2,
    "projects": 1 + 2,
    # The sections, the quick check and the tracks with a full chapter to link.
    "guide": 1 + 4,
    # Two fixed counts and one per kind of content that declares its origin (tracks.models.Sourced).
    "about": 1 + 17,
}


# What a grown page lists (the other pages count the same queries with more rows behind them).
GROWN = {
    "track": "Extra Company 9",
    "companies": "Extra Company 99",
    "conferences": "Extra Conf 99",
    "projects": "Extra Project 99",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_runs_a_fixed_number_of_queries_whatever_the_rows(
    client, name, django_assert_num_queries
):
    url = PAGES[name][0]
    with django_assert_num_queries(QUERY_BUDGET[name]):
        client.get(url)
    grow_catalogue()
    with django_assert_num_queries(QUERY_BUDGET[name]):
        page = client.get(url).content.decode()
    if name in GROWN:
        assert GROWN[name] in page


def test_tracks_filter_by_skill_company_and_conference(client):
    for query, expected, absent in [
        ("reranking", "Retrieval", "Voice"),
        ("Modal", "Inference", "Retrieval"),
        ("SIGGRAPH", "Multimodal", "Agents"),
    ]:
        page = client.get("/tracks/", {"q": query}).content.decode()
        assert expected in page
        assert f">{absent}<" not in page.replace("</a>", "<")


def test_tracks_filter_answers_htmx_with_only_the_results(client):
    response = client.get(
        "/tracks/", {"q": "Glean"}, headers={"HX-Request": "true", "HX-Target": "track-results"}
    )
    page = response.content.decode()
    assert 'id="track-results"' in page
    assert "<html" not in page
    assert "Retrieval" in page


def test_tracks_filter_with_no_match_says_so(client):
    page = client.get("/tracks/", {"q": "knitting"}).content.decode()
    assert "No track matches" in page


def test_companies_matrix_filters_by_track(client):
    page = client.get("/companies/", {"track": "voice"}).content.decode()
    assert "ElevenLabs" in page
    assert "Glean" not in page.split('id="company-matrix"')[1].split("Track key")[0]


def test_unknown_track_and_company_are_styled_404s(client):
    for url in ["/tracks/knitting/", "/companies/acme-unknown/"]:
        response = client.get(url)
        assert response.status_code == 404
        assert "We couldn" in response.content.decode()


def test_unpublished_track_disappears_from_the_catalogue(client):
    Track.objects.filter(slug="voice").update(published=False)
    assert client.get("/tracks/voice/").status_code == 404
    assert "/tracks/voice/" not in client.get("/tracks/").content.decode()


def test_quick_check_right_and_wrong_answers_without_javascript(client):
    question = QuickCheckQuestion.objects.prefetch_related("options").first()
    right = next(o for o in question.options.all() if o.is_correct)
    wrong = next(o for o in question.options.all() if not o.is_correct)
    url = reverse("tracks:quick_check_answer", args=[question.slug])
    response = client.get(url, {"answer": right.key})
    assert response.status_code == 200
    assert "Right." in response.content.decode()
    assert "<html" in response.content.decode()
    assert "Not quite." in client.get(url, {"answer": wrong.key}).content.decode()


def test_quick_check_with_htmx_returns_the_question_only(client):
    question = QuickCheckQuestion.objects.first()
    url = reverse("tracks:quick_check_answer", args=[question.slug])
    page = client.get(url, {"answer": "zzz"}, headers={"HX-Request": "true"})
    assert page.status_code == 400
    assert "Choose one of the options" in page.content.decode()
    assert "<html" not in page.content.decode()


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_post_to_a_catalogue_page_is_refused(client):
    assert client.post("/tracks/").status_code == 405


def test_visitors_get_cached_pages_that_a_curator_edit_refreshes(client, django_assert_num_queries):
    client.get("/tracks/voice/")  # this one is stored
    with django_assert_num_queries(1):  # the catalogue's version
        assert "voice-native AI products" in client.get("/tracks/voice/").content.decode()
    track = Track.objects.get(slug="voice")
    track.owns = "Everything that talks back."
    track.save()
    assert "Everything that talks back." in client.get("/tracks/voice/").content.decode()


def test_members_are_never_served_the_visitors_cache(client, member):
    client.get("/")
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "My audits" in page and "Log out" in page


def test_unchanged_page_answers_a_conditional_get_with_304(client):
    first = client.get("/tracks/")
    assert first.has_header("ETag")
    again = client.get("/tracks/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert "HX-Request" in first["Vary"]


def test_server_error_page_is_styled_and_needs_no_database(rf, django_assert_num_queries):
    from careerguide.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "site.css" in response.content.decode()
