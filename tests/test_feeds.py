"""The Atom feeds of the catalogue's changes: parsed as Atom, one entry per curator change with
a readable title, no curator names, per track, advertised on the pages they cover."""

import feedparser
import pytest
from django.urls import reverse

from tracks.models import Company, CompanyTrack, ConferenceTrack, Project, ProjectTrack, Track

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10" and not feed.bozo
    return feed, response.content.decode()


def test_the_seeded_catalogue_has_no_changes_yet(client):
    feed, _ = parse(client, "/feed/")
    assert feed.entries == []


def test_each_curator_change_is_an_entry_without_the_curators_name(client, curator):
    glean = Company.objects.get(slug="glean")
    glean._history_user = curator
    glean.name = "Glean Technologies"
    glean.save()
    project = Project.objects.create(name="Tiny evals", slug="tiny-evals")
    ProjectTrack = project.listings.model
    ProjectTrack.objects.create(project=project, track=Track.objects.get(slug="evals"))
    session = ConferenceTrack.objects.select_related("conference").get(conference__slug="sigir")
    session.delete()
    feed, body = parse(client, "/feed/")
    titles = [entry.title for entry in feed.entries]
    assert "Company renamed: Glean → Glean Technologies" in titles
    assert "Project added: Tiny evals" in titles
    assert "Tiny evals: now listed under Evals & quality" in titles
    assert "SIGIR: no longer listed under Retrieval" in titles
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    assert all(entry.get("updated") for entry in feed.entries)
    assert curator.username not in body and curator.email not in body


def test_a_track_feed_has_its_own_changes_only(client):
    evals = Track.objects.get(slug="evals")
    CompanyTrack.objects.filter(track__slug="retrieval", company__slug="glean").delete()
    project = Project.objects.create(name="Tiny evals", slug="tiny-evals")
    project.listings.model.objects.create(project=project, track=evals)
    feed, _ = parse(client, "/tracks/retrieval/feed/")
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Glean: no longer listed under Retrieval"]
    assert feed.feed.title == "careerguide: what changed in Retrieval"
    feed, _ = parse(client, "/tracks/evals/feed/")
    assert [entry.title for entry in feed.entries] == [
        "Tiny evals: now listed under Evals & quality"
    ]


def test_an_unknown_track_has_no_feed(client):
    assert client.get("/tracks/no-such-track/feed/").status_code == 404


def test_the_feed_runs_the_same_queries_however_long_the_history(
    client, django_assert_max_num_queries
):
    for i in range(60):
        Project.objects.create(name=f"Project {i}", slug=f"project-{i}")
    with django_assert_max_num_queries(12):
        feed, _ = parse(client, "/feed/")
    assert len(feed.entries) == 50


@pytest.mark.parametrize("path", ["/", "/tracks/", "/companies/", "/conferences/", "/projects/"])
def test_catalogue_pages_advertise_the_feed(client, path):
    page = client.get(path).content.decode()
    alternate = (
        '<link rel="alternate" type="application/atom+xml" title="careerguide: what changed in '
        f'the catalogue" href="{reverse("tracks:feed")}">'
    )
    assert alternate in page


def test_a_track_page_advertises_its_own_feed(client):
    page = client.get("/tracks/retrieval/").content.decode()
    assert 'href="/tracks/retrieval/feed/"' in page
    assert "Follow what changes in Retrieval (Atom feed)" in page


# What changed since an audit -------------------------------------------------------------


def test_result_and_history_say_nothing_changed_then_what_did(member_client, member):
    from audit_helpers import audit_until

    audit = audit_until(member, 5)  # Retrieval
    result = member_client.get(f"/audits/{audit.id}/result/").content.decode()
    day = f"{audit.finished_at:%-d %b %Y}"
    assert f"Nothing changed in Retrieval since {day}." in result
    assert (
        "What changed in Retrieval since your last audit"
        in member_client.get("/audits/").content.decode()
    )
    glean = Company.objects.get(slug="glean")
    glean.name = "Glean Technologies"
    glean.save()
    CompanyTrack.objects.filter(track__slug="retrieval", company__slug="hebbia").delete()
    CompanyTrack.objects.filter(track__slug="voice").first().delete()  # another track's change
    result = member_client.get(f"/audits/{audit.id}/result/").content.decode()
    assert "Company renamed: Glean → Glean Technologies" in result
    assert "Hebbia: no longer listed under Retrieval" in result
    assert "under Voice" not in result
    history = member_client.get("/audits/").content.decode()
    assert "Company renamed: Glean → Glean Technologies" in history
    # Retrieval's changes are kept for the next page now; a later change is listed at once.
    project = Project.objects.create(name="Tiny retrieval", slug="tiny-retrieval")
    ProjectTrack.objects.create(project=project, track=Track.objects.get(slug="retrieval"))
    result = member_client.get(f"/audits/{audit.id}/result/").content.decode()
    assert "Tiny retrieval: now listed under Retrieval" in result
    assert "Company renamed: Glean → Glean Technologies" in result
