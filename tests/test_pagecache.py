"""The page cache: repeat views come back fast, never stale, never someone else's, never
swallowing a message, and never outliving a session that has ended."""

import re
import socket

import pytest
from audit_helpers import PASSWORD, RETRIEVAL_ANSWERS, post_step, start, step_url, walk
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Option
from tracks.models import Track


def seen(client, url, times=2):
    """Open a page as often as it takes to be in the cache: the first visit to an empty cache
    only gives it versions, the second stores the page."""
    for _ in range(times):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return response


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def test_a_result_seen_before_comes_back_without_rendering_and_stays_private(member_client):
    audit = walk(member_client)
    url = reverse("audits:result", args=[audit.id])
    first = seen(member_client, url)
    again, queries = queries_for(member_client, url)
    assert queries == 1  # the session; no member, no audit, no template
    assert again.content == first.content
    assert "no-store" in again["Cache-Control"] and "private" in again["Cache-Control"]
    assert again["Content-Security-Policy"] and again["X-Frame-Options"] == "DENY"


def test_members_never_see_each_others_cached_pages(client, make_member):
    ada, grace = make_member("ada"), make_member("grace")
    client.force_login(ada)
    audit = walk(client)
    for url in ("/audits/", reverse("audits:result", args=[audit.id])):
        seen(client, url)
    client.force_login(grace)
    history = client.get("/audits/").content.decode()
    assert str(audit.id) not in history and "No audits yet" in history
    assert client.get(reverse("audits:result", args=[audit.id])).status_code == 404


@pytest.mark.parametrize("deleted_by", ["member", "operator in admin"])
def test_a_deleted_audit_is_gone_from_pages_seen_before(client, member, superuser, deleted_by):
    client.force_login(member)
    audit, kept = walk(client), walk(client)
    result = reverse("audits:result", args=[audit.id])
    compare = f"{reverse('audits:compare')}?audit={audit.id}&audit={kept.id}"
    for url in ("/audits/", result, compare):
        seen(client, url)

    if deleted_by == "member":
        client.post(reverse("audits:delete", args=[audit.id]))
    else:
        operator = Client()
        operator.force_login(superuser)
        changelist = reverse("admin:audits_audit_changelist")
        response = operator.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [audit.pk], "post": "yes"},
        )
        assert response.status_code == 302

    assert client.get(result).status_code == 404
    assert client.get(compare).status_code == 404
    history = client.get("/audits/").content.decode()
    assert str(audit.id) not in history and str(kept.id) in history


def test_a_finished_audit_appears_in_a_history_seen_before(member_client):
    walk(member_client)
    seen(member_client, "/audits/")
    newer = walk(member_client)
    assert str(newer.id) in member_client.get("/audits/").content.decode()


def test_a_waiting_message_is_shown_on_a_page_seen_before(member_client):
    audit = walk(member_client)
    seen(member_client, reverse("audits:result", args=[audit.id]))
    page = member_client.get(step_url(audit, 2), follow=True).content.decode()
    assert "This audit is finished" in page
    # Shown once: the next view of the page no longer carries it.
    assert (
        "This audit is finished"
        not in member_client.get(reverse("audits:result", args=[audit.id])).content.decode()
    )


@pytest.mark.parametrize("change", ["password changed elsewhere", "account deactivated"])
def test_an_ended_session_gets_no_cached_page(client, member, change):
    laptop = Client()
    laptop.force_login(member)
    audit = walk(laptop)
    result = reverse("audits:result", args=[audit.id])
    for url in ("/audits/", result):
        seen(laptop, url)

    if change == "password changed elsewhere":
        client.force_login(member)
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-brand-new-passphrase-77",
                "new_password2": "a-brand-new-passphrase-77",
            },
        )
        assert response.status_code == 302
    else:
        member.is_active = False
        member.save()

    for url in ("/audits/", result):
        response = laptop.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_logging_out_from_a_cached_page_works(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    seen(browser, "/tracks/", times=3)  # the first visit sets the CSRF cookie, kept with the page
    page, queries = queries_for(browser, "/tracks/")
    assert queries == 1  # served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert SESSION_KEY not in browser.session
    assert browser.get("/audits/").status_code == 302


@pytest.mark.parametrize("query", ["?page=999", "?page=01", "?page=1&utm_source=mail"])
def test_history_pages_under_other_names_are_rendered_not_kept(member_client, query):
    walk(member_client)
    for _ in range(3):
        assert member_client.get(f"/audits/{query}").status_code == 200
    _response, queries = queries_for(member_client, f"/audits/{query}")
    assert queries > 1
    seen(member_client, "/audits/?page=1")
    _response, queries = queries_for(member_client, "/audits/?page=1")
    assert queries == 1


def test_an_htmx_fragment_and_the_whole_page_are_kept_apart(client, content):
    seen(client, "/tracks/?q=search")
    fragment = client.get(
        "/tracks/?q=search", headers={"HX-Request": "true", "HX-Target": "track-results"}
    )
    page = client.get("/tracks/?q=search")
    assert "<html" not in fragment.content.decode() and "Retrieval" in fragment.content.decode()
    assert "<html" in page.content.decode()


def test_a_curator_edit_to_a_question_reaches_the_next_audit_step(member_client):
    audit = start(member_client)
    post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0])
    member_client.get(step_url(audit, 1))
    option = Option.objects.filter(question__step=1).first()
    option.label = "Tuning a tokenizer until midnight"
    option.save()
    assert (
        "Tuning a tokenizer until midnight"
        in member_client.get(step_url(audit, 1)).content.decode()
    )


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_the_redis_cache_shares_entries_between_app_servers():
    from careerguide.cache import RedisCache

    location = "redis://127.0.0.1:6379/15"
    server_a = RedisCache(location, {"KEY_PREFIX": "careerguide-test"})
    server_b = RedisCache(location, {"KEY_PREFIX": "careerguide-test"})
    try:
        server_a.set("page", ("v1", b"<html>"), 30)
        server_a.set("version", "v1", 30)
        assert server_b.get_many(["version", "page", "missing"]) == {
            "version": "v1",
            "page": ("v1", b"<html>"),
        }
        assert server_b.add("version", "v2", 30) is False
        server_b.set("version", "v2", 30)
        assert server_a.get("version") == "v2"
    finally:
        server_a.delete_many(["page", "version"])


def test_a_curator_edit_reaches_a_member_who_saw_the_page_before(member_client):
    seen(member_client, "/tracks/voice/", times=3)
    track = Track.objects.get(slug="voice")
    track.owns = "Everything that talks back."
    track.save()
    assert "Everything that talks back." in member_client.get("/tracks/voice/").content.decode()


def test_a_page_from_the_cache_answers_a_conditional_get_with_304(client, content):
    page = seen(client, "/companies/")
    again, queries = queries_for(client, "/companies/", headers={"If-None-Match": page["ETag"]})
    assert (again.status_code, queries) == (304, 0)


def test_the_members_account_is_read_from_the_cache_until_it_changes(member_client, member):
    url = reverse("account")
    seen(member_client, url)  # the account row is kept from the second request on
    with CaptureQueriesContext(connection) as captured:
        assert member_client.get(url).status_code == 200
    assert not [q["sql"] for q in captured if '"auth_user"' in q["sql"]]

    member.email = "ada@changed.example"  # an operator's edit in admin, say
    member.save()
    assert "ada@changed.example" in member_client.get(url).content.decode()


def test_a_step_takes_its_choices_from_memory_yet_sees_a_curators_change(
    member_client, monkeypatch
):
    audit = start(member_client)
    seen(member_client, step_url(audit, 0))  # this process now holds the step's choices
    reads = []
    get_many = cache.get_many

    def counting(keys, *args, **kwargs):
        reads.extend(keys)
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting)
    assert post_step(member_client, audit, 0, RETRIEVAL_ANSWERS[0]).status_code == 302
    assert not [key for key in reads if "choices" in key], reads

    Track.objects.filter(slug="voice").update(published=False)  # no signal: saved below
    Track.objects.get(slug="retrieval").save()  # a curator's save of the catalogue
    refused = post_step(member_client, audit, 0, {"years": "2-3", "tried": ["voice"]})
    assert refused.status_code == 400
    assert "Voice" not in refused.content.decode().split("<main", 1)[1].split("</main>")[0]
