"""Migrations run backward to zero and forward again, on SQLite and PostgreSQL alike.

The round trip runs in a transactional test (migrations cannot run inside the test's
transaction), then loads the seed content again so the tests after it still have a catalogue.
"""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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

    # Backward: accounts (the cache table goes), then audits (its option weights point at
    # tracks), then tracks.
    call_command("migrate", "accounts", "zero", verbosity=0)
    assert applied("accounts") == []
    assert settings.DATABASE_CACHE_TABLE not in connection.introspection.table_names()
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
    # The data migrations ran again: the curators' group, the cache table.
    curators = Group.objects.get(name="Curators").permissions
    assert set(curators.values_list("content_type__app_label", flat=True)) == {"tracks", "audits"}
    assert settings.DATABASE_CACHE_TABLE in connection.introspection.table_names()

    # The catalogue back, for the tests that come after this one.
    call_command("seed_content", verbosity=0)
    assert Track.objects.count() == 9


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table_whatever_cache_is_configured(settings):
    # The tests run with an in-memory cache, as a site with REDIS_URL runs with Redis: a site
    # started later without REDIS_URL falls back to this table and must find it.
    assert "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]
    assert settings.DATABASE_CACHE_TABLE in connection.introspection.table_names()
