"""Migrations run backward to zero and forward again, on SQLite and PostgreSQL alike.

The round trip runs in a transactional test (migrations cannot run inside the test's
transaction), then loads the seed content again so the tests after it still have a catalogue.
"""

import io
from json import loads as json_loads

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from audits.models import Audit
from tracks.models import Track

OUR_APPS = ("tracks", "audits", "accounts")


def our_tables():
    tables = set(connection.introspection.table_names())
    expected = {
        model._meta.db_table
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    return tables & expected, expected


def applied(label):
    executor = MigrationExecutor(connection)
    return sorted(name for app, name in executor.loader.applied_migrations if app == label)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """No model change is waiting for a migration that nobody wrote."""
    out = io.StringIO()
    call_command("makemigrations", *OUR_APPS, "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrations_run_to_zero_and_forward_again():
    present, expected = our_tables()
    assert present == expected
    assert applied("audits") and applied("tracks") and applied("accounts")
    audits_migrations, tracks_migrations = applied("audits"), applied("tracks")
    accounts_migrations = applied("accounts")

    # Backward: accounts, then audits (its option weights point at tracks), then tracks.
    call_command("migrate", "accounts", "zero", verbosity=0)
    assert applied("accounts") == []
    call_command("migrate", "audits", "zero", verbosity=0)
    assert applied("audits") == []
    assert not any(table.startswith("audits_") for table in connection.introspection.table_names())
    call_command("migrate", "tracks", "zero", verbosity=0)
    assert applied("tracks") == []
    assert our_tables()[0] == set()

    # Forward again, every app, as a deployment runs it.
    call_command("migrate", verbosity=0)
    assert applied("audits") == audits_migrations
    assert applied("tracks") == tracks_migrations
    assert applied("accounts") == accounts_migrations
    assert our_tables()[0] == expected
    assert Group.objects.filter(name="Curators").exists()  # the data migration ran again

    # The catalogue back, for the tests that come after this one.
    call_command("seed_content", verbosity=0)
    assert Track.objects.count() == 9


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table_whatever_cache_is_configured(settings):
    # The tests run with an in-memory cache, as a site with REDIS_URL runs with Redis: a site
    # started later without REDIS_URL falls back to this table and must find it.
    assert "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]
    assert settings.DATABASE_CACHE_TABLE in connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)
def test_seed_still_knows_its_rows_after_a_migration_adds_fields():
    """Rows nobody edited keep being the seed's (it brings them up to date); a curator's edit
    is still kept. A new field changes every row's digest: the migration carries them over."""
    from tracks.migrations._seed_records import row_digest
    from tracks.seeding import seed_content

    seed_content()  # a transactional test starts from an empty database
    before = [
        ("tracks", "0004_cache_table_by_name"),
        ("audits", "0005_answer_audit_index_covered_by_unique"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    # As the seed of that release left it: each record holds the digest of its row then.
    OldTrack, SeedRecord = old.get_model("tracks", "Track"), old.get_model("tracks", "SeedRecord")
    for record in SeedRecord.objects.filter(model="tracks.track"):
        row = OldTrack.objects.get(slug=json_loads(record.natural_key)[0])
        record.digest = row_digest(row)
        record.save()
    OldTrack.objects.filter(slug="voice").update(owns="Edited by a curator.")

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    report = seed_content()

    assert [kept for kept in report.kept if "tracks.track" in kept] == ['tracks.track ["voice"]']
    assert Track.objects.get(slug="voice").owns == "Edited by a curator."
    assert (
        Track.objects.get(slug="safety").companies_heading == "Companies hiring deep safety roles"
    )
    seed_content(force=True)  # the catalogue as the tests after this one expect it


# One account per email address: the data migration on existing duplicates --------------------


def migrate_to(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    executor.loader.build_graph()


@pytest.mark.django_db(transaction=True)
def test_duplicate_emails_are_resolved_without_losing_any_audit(client):
    """Three accounts on one address in different cases: the oldest keeps it; the others keep
    their username, password and audits, lose the address as their main one (it stays on them,
    unverified) and are told at their next log-in."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import LoginNotice

    migrate_to(("accounts", "0001_initial"))
    try:
        User = get_user_model()
        password = "curious-about-retrieval-42"
        now = timezone.now()
        people = {}
        for days_ago, username, email in [
            (30, "ana_rag", "Ana@Example.com"),
            (20, "ana_evals", "ana@example.com"),
            (10, "ana_agents", "ANA@EXAMPLE.COM"),
            (5, "bob", "bob@example.com"),
            (1, "nomail", ""),
        ]:
            user = User.objects.create_user(username, email, password)
            user.date_joined = now - timedelta(days=days_ago)
            user.save(update_fields=["date_joined"])
            people[username] = user
            for _ in range(2):
                Audit.objects.create(member=user)
        audits_before = {
            name: set(user.audits.values_list("id", flat=True)) for name, user in people.items()
        }

        migrate_to(("accounts", "0002_one_account_per_email"))

        def fresh(name):
            return User.objects.get(pk=people[name].pk)

        assert fresh("ana_rag").email == "ana@example.com"
        oldest = EmailAddress.objects.get(user=people["ana_rag"])
        assert (oldest.email, oldest.primary, oldest.verified) == ("ana@example.com", True, False)
        for name in ("ana_evals", "ana_agents"):
            assert fresh(name).email == ""
            kept = EmailAddress.objects.get(user=people[name])
            assert (kept.email, kept.primary, kept.verified) == ("ana@example.com", False, False)
            assert "ana@example.com" in LoginNotice.objects.get(member=people[name]).text
        assert EmailAddress.objects.get(user=people["bob"]).primary
        assert not EmailAddress.objects.filter(user=people["nomail"]).exists()
        assert not LoginNotice.objects.filter(member__in=[people["ana_rag"], people["bob"]])
        for name, audits in audits_before.items():
            assert set(fresh(name).audits.values_list("id", flat=True)) == audits, name
        assert Audit.objects.count() == 10

        # The address logs into the oldest account; the others still log in by username, and
        # read what happened once.
        login = reverse("account_login")
        response = client.post(login, {"login": "ANA@example.com", "password": password})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(people["ana_rag"].pk)
        client.post(reverse("account_logout"))
        response = client.post(login, {"login": "ana_evals", "password": password}, follow=True)
        page = response.content.decode()
        assert "shared the address ana@example.com with an older account" in page
        assert not LoginNotice.objects.filter(member=people["ana_evals"]).exists()

        # A reset for the address mails its owner only, once.
        client.post(reverse("account_logout"))
        mail.outbox.clear()
        client.post(reverse("account_reset_password"), {"email": "ana@example.com"})
        assert [message.to for message in mail.outbox] == [["ana@example.com"]]
        assert "ana_rag" in mail.outbox[0].body
    finally:
        migrate_to(*[(app, applied(app)[-1]) for app in ("accounts",)])
        call_command("migrate", verbosity=0)
        if not Track.objects.exists():
            call_command("seed_content", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_sessions_recorded_before_the_move_are_still_ended_when_the_account_goes():
    from django.conf import settings as django_settings
    from django.contrib.auth import get_user_model
    from django.utils.module_loading import import_string

    from accounts import services

    migrate_to(("audits", "0007_visitor_audits"), ("accounts", "0002_one_account_per_email"))
    try:
        member = get_user_model().objects.create_user("ada", "ada@example.com", "x-long-pass-1")
        store = import_string(f"{django_settings.SESSION_ENGINE}.SessionStore")()
        store["_auth_user_id"] = str(member.pk)
        store.create()
        old_apps = (
            MigrationExecutor(connection)
            .loader.project_state([("audits", "0007_visitor_audits")])
            .apps
        )
        old_apps.get_model("audits", "MemberSession").objects.create(
            member_id=member.pk, session_key=store.session_key
        )

        call_command("migrate", verbosity=0)
        services.delete_member(member)

        assert not store.exists(store.session_key)
    finally:
        call_command("migrate", verbosity=0)
        if not Track.objects.exists():
            call_command("seed_content", verbosity=0)
