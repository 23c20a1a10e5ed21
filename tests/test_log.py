"""The curiosity log at /log/: adding, listing by month, filters, editing, privacy, the one-tap
entry of catalogue pages, the CSV file out and in, and the limits."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Option, Question
from logbook import entries, exports
from logbook.models import Entry
from tracks.models import Company, ConferenceTrack, Project, Track

pytestmark = pytest.mark.django_db
LOG = "/log/"


def add(member, n=1, **fields):
    fields = {"kind": Entry.Kind.READING, "title": "A post on evals", **fields}
    return Entry.objects.bulk_create(Entry(member=member, **fields) for _ in range(n))


def glean():
    return Company.objects.get(slug="glean")


def test_visitors_are_sent_to_log_in(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_member_logs_a_talk_from_the_catalogue_in_one_form(member_client, member):
    session = ConferenceTrack.objects.select_related("conference").first()
    response = member_client.post(LOG, {"kind": "talk", "item": f"session:{session.pk}"})
    assert response.status_code == 302
    entry = Entry.objects.get(member=member)
    assert entry.session == session
    assert entry.title == session.label
    assert entry.day == timezone.localdate()
    page = member_client.get(LOG).content.decode()
    assert session.label in page
    assert f"{timezone.localdate():%B %Y}" in page


def test_picking_from_the_catalogue_alone_is_enough(member_client, member):
    response = member_client.post(LOG, {"item": f"company:{glean().pk}"})
    assert response.status_code == 302
    entry = Entry.objects.get(member=member)
    assert (entry.kind, entry.title, entry.company) == ("company", "Glean", glean())


def test_without_the_catalogue_a_kind_is_needed(member_client):
    response = member_client.post(LOG, {"title": "Something"})
    assert response.status_code == 400
    assert "Say what it is, or pick it from the catalogue." in response.content.decode()
    assert not Entry.objects.exists()


def test_free_text_entry_with_link_and_note(member_client, member):
    member_client.post(
        LOG,
        {
            "kind": "reading",
            "title": "Notes on long-context evals",
            "day": "2026-10-12",
            "link": "https://example.com/post",
            "note": "Kept me up",
        },
    )
    entry = Entry.objects.get(member=member)
    assert (entry.title, entry.day, entry.link, entry.note) == (
        "Notes on long-context evals",
        date(2026, 10, 12),
        "https://example.com/post",
        "Kept me up",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day": "2999-01-01"}, "cannot be in the future"),
        ({"link": "javascript:alert(1)"}, "Only an http:// or https:// address"),
        ({"link": "ftp://example.com/file"}, "http"),
        ({"title": ""}, "Give it a title, or pick it from the catalogue."),
        ({"kind": "gossip"}, "Select a valid choice"),
        ({"item": "company:999999"}, "not in the catalogue"),
        ({"day": "last Tuesday"}, "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_saved(member_client, data, message):
    response = member_client.post(LOG, {"kind": "reading", "title": "A post", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_an_item_logged_as_another_kind_is_refused(member_client):
    response = member_client.post(LOG, {"kind": "talk", "item": f"company:{glean().pk}"})
    assert response.status_code == 400
    assert "is logged as “a company i looked into”" in response.content.decode()


def test_another_members_entry_is_not_found(client, member, other_member):
    (entry,) = add(other_member)
    client.force_login(member)
    assert client.get(reverse("logbook:edit", args=[entry.pk])).status_code == 404
    assert (
        client.post(reverse("logbook:edit", args=[entry.pk]), {"kind": "talk"}).status_code == 404
    )
    assert client.post(reverse("logbook:delete", args=[entry.pk])).status_code == 404
    assert client.post(reverse("logbook:quick"), {"undo": entry.pk}).status_code == 404
    assert "A post on evals" not in client.get(LOG).content.decode()
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_edit_and_delete(member_client, member):
    (entry,) = add(member)
    url = reverse("logbook:edit", args=[entry.pk])
    assert (
        member_client.post(
            url, {"kind": "problem", "title": "A flaky agent", "day": "2026-11-01"}
        ).status_code
        == 302
    )
    entry.refresh_from_db()
    assert (entry.kind, entry.title) == ("problem", "A flaky agent")
    assert member_client.post(reverse("logbook:delete", args=[entry.pk])).status_code == 302
    assert not Entry.objects.exists()


def test_filter_by_kind_and_track(member_client, member):
    retrieval = Track.objects.get(slug="retrieval")
    add(member, kind="company", title="Glean", company=glean())
    add(member, kind="reading", title="My notes on batching")
    page = member_client.get(LOG, {"kind": "company"}).content.decode()
    assert 'title"><span class="pill">A company I looked into</span> Glean' in page
    assert "My notes on batching" not in page
    page = member_client.get(LOG, {"track": retrieval.slug}).content.decode()
    assert "> Glean</p>" in page and "My notes on batching" not in page
    page = member_client.get(LOG, {"track": "voice"}).content.decode()
    assert "No entries of this kind or track yet." in page


@pytest.mark.parametrize("count", [5, 1000])
def test_the_log_runs_the_same_queries_with_5_or_1000_entries(
    member_client, member, count, django_assert_num_queries
):
    add(member, count // 2, kind="company", title="Glean", company=glean())
    add(member, count - count // 2, session=ConferenceTrack.objects.first(), kind="talk")
    member_client.get(LOG)  # the session and the catalogue's cache warm up
    with django_assert_num_queries(9):
        response = member_client.get(LOG)
    assert response.status_code == 200
    assert response.content.decode().count('class="log-entry actions"') == min(count, 50)


def test_deleted_catalogue_item_leaves_the_entry_with_its_text(member_client, member):
    project = Project.objects.create(name="Tiny evals", slug="tiny-evals")
    member_client.post(LOG, {"kind": "contribution", "item": f"project:{project.pk}"})
    project.delete()
    entry = Entry.objects.get(member=member)
    assert entry.project is None and entry.title == "Tiny evals"
    assert member_client.get(reverse("logbook:edit", args=[entry.pk])).status_code == 200
    assert "Tiny evals" in member_client.get(LOG).content.decode()


def test_the_log_is_not_in_the_admin_even_for_a_superuser(client, superuser, member):
    add(member)
    client.force_login(superuser)
    assert client.get("/admin/logbook/entry/").status_code == 404
    assert "logbook" not in client.get("/admin/").content.decode().lower()


def test_deleted_with_the_account(member):
    add(member, 3)
    from accounts.services import delete_member

    delete_member(member)
    assert not Entry.objects.exists()


def test_my_data_download_holds_my_log(member_client, member, other_member):
    add(member, title="Mine")
    add(other_member, title="Theirs")
    data = member_client.get(reverse("account_data")).json()
    assert [e["title"] for e in data["log"]] == ["Mine"]


def test_daily_limit_is_a_429_page_and_nothing_is_added(member_client, member):
    add(member, entries.DAILY_LIMIT)
    response = member_client.post(LOG, {"kind": "reading", "title": "One more"})
    assert response.status_code == 429
    assert "new entries a day" in response.content.decode()
    quick = member_client.post(reverse("logbook:quick"), {"item": f"company:{glean().pk}"})
    assert quick.status_code == 429
    assert Entry.objects.count() == entries.DAILY_LIMIT


# CSV -------------------------------------------------------------------------------------


def upload(client, body, name="log.csv"):
    file = io.BytesIO(body)
    file.name = name
    return client.post(reverse("logbook:import_csv"), {"file": file})


def test_csv_round_trip_into_another_account(client, member, other_member):
    session = ConferenceTrack.objects.select_related("conference").first()
    add(member, kind="talk", title=session.label, session=session, day=date(2026, 10, 12))
    add(
        member,
        kind="reading",
        title="Ünïcode, “quotes”, commas",
        link="https://example.com/a",
        note="two\nlines",
    )
    client.force_login(member)
    body = client.get(reverse("logbook:export_csv")).content
    assert body.decode().splitlines()[0] == "kind,date,title,link,note,item"
    client.force_login(other_member)
    response = upload(client, body)
    assert response.status_code == 200
    assert "2 entries added" in response.content.decode()
    mine = sorted(exports.member_log(member), key=str)
    theirs = sorted(exports.member_log(other_member), key=str)
    assert mine == theirs
    again = upload(client, body).content.decode()
    assert "0 entries added, 2 refused" in again
    assert "Already in your log." in again


def test_import_reports_each_refused_row_and_why(member_client, member):
    body = (
        b"kind,date,title,link,note,item\r\n"
        b"reading,2026-10-01,Good one,,,\r\n"
        b"talk,2999-01-01,From the future,,,\r\n"
        b"reading,2026-10-02,Bad link,javascript:alert(1),,\r\n"
        b"gossip,2026-10-03,Odd kind,,,\r\n"
        b"company,2026-10-04,,,,\r\n"
    )
    page = upload(member_client, body).content.decode()
    assert "1 entry added, 4 refused" in page
    for line, reason in [
        (3, "cannot be in the future"),
        (4, "Only an http:// or https:// address"),
        (5, "Select a valid choice"),
        (6, "Give it a title"),
    ]:
        assert f'<th scope="row">{line}</th>' in page
        assert reason in page
    assert list(Entry.objects.values_list("title", flat=True)) == ["Good one"]


def test_import_in_another_encoding_is_a_clear_400(member_client):
    body = "kind,date,title\r\nreading,2026-10-01,Café\r\n".encode("utf-16")
    response = upload(member_client, body)
    assert response.status_code == 400
    assert "not UTF-8 text" in response.content.decode()
    assert not Entry.objects.exists()


def test_import_without_the_columns_is_a_400(member_client):
    response = upload(member_client, b"name,when\r\nx,y\r\n")
    assert response.status_code == 400
    assert "missing: kind, date, title" in response.content.decode()


def test_a_10_mb_import_is_a_413(member_client):
    response = upload(member_client, b"kind,date,title\r\n" + b"x" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert not Entry.objects.exists()


# One tap from catalogue pages ---------------------------------------------------------------


def test_members_see_one_tap_entries_and_visitors_an_invitation(client, member):
    track = Track.objects.get(slug="retrieval")
    page = client.get(track.get_absolute_url()).content.decode()
    assert "Keep a curiosity log" in page and "I finished this talk" not in page
    client.force_login(member)
    page = client.get(track.get_absolute_url()).content.decode()
    assert "Keep a curiosity log" not in page
    for label in ("I finished this talk", "I contributed", "I'm looking into it"):
        assert label in page
    assert 'id="log-quick"' in page and "csrfmiddlewaretoken" in page
    # A visitor after the member: the member's fragment is not what the visitor gets.
    client.logout()
    assert "I finished this talk" not in client.get(track.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/conferences/", "I finished this talk"),
        ("/projects/", "I contributed"),
        ("/companies/glean/", "I'm looking into it"),
    ],
)
def test_one_tap_on_each_catalogue_page_with_the_same_queries_as_a_visitor_page(
    client, member, path, label, django_assert_num_queries
):
    client.force_login(member)
    client.get(path)
    from django.core.cache import cache

    cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as member_queries:
        page = client.get(path).content.decode()
    assert label in page
    Project.objects.create(name="One more project", slug="one-more-project")
    cache.clear()
    with django_assert_num_queries(len(member_queries)):
        client.get(path)


def test_quick_add_without_javascript_logs_and_returns_to_the_page(client, member):
    client.force_login(member)
    response = client.post(
        reverse("logbook:quick"), {"item": f"company:{glean().pk}", "next": "/companies/glean/"}
    )
    assert response.status_code == 302 and response["Location"] == "/companies/glean/"
    entry = Entry.objects.get(member=member)
    assert (entry.kind, entry.company, entry.title) == ("company", glean(), "Glean")
    page = client.get("/companies/glean/").content.decode()
    assert "Logged “Glean” for today." in page


def test_quick_add_never_returns_to_another_site(client, member):
    client.force_login(member)
    response = client.post(
        reverse("logbook:quick"), {"item": f"company:{glean().pk}", "next": "https://evil.example/"}
    )
    assert response["Location"] == LOG


def test_quick_add_with_htmx_confirms_in_place_and_undo_takes_it_back(client, member):
    client.force_login(member)
    item = f"company:{glean().pk}"
    response = client.post(
        reverse("logbook:quick"),
        {"item": item, "label": "I'm looking into it", "what": "Glean"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    entry = Entry.objects.get(member=member)
    assert "✓ Logged today." in body
    assert 'hx-swap-oob="true"' in body and "Logged “Glean” in your log" in body
    assert f'name="undo" value="{entry.pk}"' in body
    response = client.post(
        reverse("logbook:quick"),
        {"undo": entry.pk, "item": item, "label": "I'm looking into it", "what": "Glean"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert not Entry.objects.exists()
    assert f'value="{item}"' in body and "I&#x27;m looking into it" in body
    assert "no longer in your log" in body


def test_quick_add_of_an_unknown_item_is_a_404_and_visitors_go_to_log_in(client, member):
    response = client.post(reverse("logbook:quick"), {"item": "company:1"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    client.force_login(member)
    assert client.post(reverse("logbook:quick"), {"item": "company:999999"}).status_code == 404
    assert client.post(reverse("logbook:quick"), {"item": "bogus"}).status_code == 404
    assert not Entry.objects.exists()


def test_options_of_the_audit_can_be_logged(member_client, member):
    option = Option.objects.filter(question__step=Question.Step.PROBLEMS).first()
    member_client.post(LOG, {"kind": "problem", "item": f"option:{option.pk}"})
    assert Entry.objects.get(member=member).option == option


def test_an_import_past_the_days_import_limit_is_a_429_and_adds_nothing(member_client, member):
    add(member, entries.DAILY_IMPORT_LIMIT, imported=True)
    response = upload(member_client, b"kind,date,title\r\nreading,2026-10-01,One more\r\n")
    assert response.status_code == 429
    assert "imported entries a day" in response.content.decode()
    assert Entry.objects.count() == entries.DAILY_IMPORT_LIMIT


def test_an_import_with_too_many_rows_is_a_400_and_adds_nothing(member_client):
    rows = "".join(f"reading,2026-10-01,Post {i}\r\n" for i in range(exports.IMPORT_MAX_ROWS + 1))
    response = upload(member_client, ("kind,date,title\r\n" + rows).encode())
    assert response.status_code == 400
    assert f"at most {exports.IMPORT_MAX_ROWS} entries" in response.content.decode()
    assert not Entry.objects.exists()
