"""Migrations run backward to zero and forward again, on SQLite and PostgreSQL alike.

The round trip runs in a transactional test (migrations cannot run inside the test's
transaction), then loads the seed content again so the tests after it still have a catalogue.
"""

import io
from json import loads as json_loads

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tracks.models import Track

OUR_APPS = ("tracks", "audits")


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
    assert applied("audits") and applied("tracks")
    audits_migrations, tracks_migrations = applied("audits"), applied("tracks")

    # Backward: audits first (its option weights point at tracks), then tracks.
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
