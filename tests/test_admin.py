"""Curators edit content in admin, and nothing else."""

import pytest
from admin_forms import change_form_data
from django.contrib.auth.models import Group
from django.urls import reverse

from tracks.models import Track

pytestmark = pytest.mark.usefixtures("db")


def test_curators_group_holds_exactly_the_content_permissions():
    codenames = set(
        Group.objects.get(name="Curators").permissions.values_list("codename", flat=True)
    )
    assert "change_track" in codenames
    assert "change_optionweight" in codenames
    assert not {c for c in codenames if c.endswith(("_user", "_group", "_audit", "_auditanswer"))}
    assert "change_seedrecord" not in codenames


def test_curator_edits_a_track_with_its_inlines(client, curator):
    client.force_login(curator)
    track = Track.objects.get(slug="voice")
    url = reverse("admin:tracks_track_change", args=[track.pk])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    for inline in ["skills", "backgrounds", "hiring", "sessions", "project_listings"]:
        assert f'id="{inline}-group"' in body
    data = change_form_data(
        page, name="Voice", owns="voice-native AI products, end to end.", published="on"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Track.objects.get(slug="voice").owns == "voice-native AI products, end to end."


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/audits/audit/",
        "/admin/auth/user/add/",
    ],
)
def test_curator_cannot_open_users_groups_or_audits(client, curator, url):
    client.force_login(curator)
    assert client.get(url).status_code == 403


def test_curator_admin_index_lists_content_only(client, curator):
    client.force_login(curator)
    page = client.get("/admin/").content.decode()
    assert "Tracks" in page and "Companies" in page and "Questions" in page
    assert "/admin/auth/user/" not in page
    assert "/admin/audits/audit/" not in page


def test_track_has_a_view_on_site_link(client, superuser):
    client.force_login(superuser)
    track = Track.objects.get(slug="agents")
    page = client.get(reverse("admin:tracks_track_change", args=[track.pk])).content.decode()
    assert "View on site" in page


def test_superuser_sees_audits_without_answers(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/audits/audit/").status_code == 200


def test_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/tracks/track/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
