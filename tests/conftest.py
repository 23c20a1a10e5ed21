"""Shared fixtures: the seeded catalogue, members and curators, and Chromium for browser tests."""

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from account_helpers import give_totp  # noqa: E402
from audit_helpers import PASSWORD  # noqa: E402
from catalogue import ensure_catalogue  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the catalogue once; each test runs in a transaction that leaves it as it was."""
    with django_db_blocker.unblock():
        call_command("seed_content", verbosity=0)


@pytest.fixture(autouse=True)
def catalogue(request, django_db_blocker):
    """Every test that uses the database starts with the seeded catalogue and the Curators group
    its migrations made, whatever ran before it on this worker (a live-server test's flush empties
    every table). Loaded before the test's own transaction begins, so it stays for the next."""
    if not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_catalogue()


@pytest.fixture
def make_member(db, django_user_model):
    def make(username="ada", **extra):
        return django_user_model.objects.create_user(
            username=username, email=f"{username}@example.com", password=PASSWORD, **extra
        )

    return make


@pytest.fixture
def member(make_member):
    return make_member("ada")


@pytest.fixture
def other_member(make_member):
    return make_member("grace")


@pytest.fixture
def curator(make_member):
    """A curator as the admin expects one: staff, in "Curators", with an authenticator app."""
    user = make_member("curie", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    give_totp(user)
    return user


@pytest.fixture
def superuser(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
    give_totp(user)
    return user


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 and the site's mail pointed at it."""
    from smtp_sink import SMTPServer

    with SMTPServer() as server:
        settings.MAILERS = server.mailers()
        yield server


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


# Browser tests --------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    """Browser tests are marked e2e (and fail in CI without Chromium). pytest-django has put the
    tests that need a live server after the others; the walks through every page go first among
    them, so that workers are not left waiting on one at the end."""
    live = [i for i, item in enumerate(items) if "live_server" in item.fixturenames]
    if live:
        items[live[0] :] = sorted(
            items[live[0] :], key=lambda item: item.get_closest_marker("walk") is None
        )
    have_chromium = shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
    for item in items:
        if "e2e" not in item.nodeid.split("/"):
            continue
        item.add_marker(pytest.mark.e2e)
        if not have_chromium:
            if os.environ.get("CI"):
                raise pytest.UsageError(
                    f"CI must run the browser tests, but {CHROMIUM} is missing."
                )
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def test_settings():
    """What the suite sets over the production settings, for the whole session: before the live
    server starts, whose middleware reads its settings once."""
    with override_settings(
        # Hash strength is not what the suite tests (tests about Argon2 put it back).
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # The test client and the live server speak plain http, and nothing runs collectstatic.
        SECURE_SSL_REDIRECT=False,
        MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN=True,
        STORAGES=settings.STORAGES
        | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
        # Each background task runs at once, in the request that queues it.
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}},
        # Caches in memory, emptied before each test (empty_cache).
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "ratelimits": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "ratelimits",
            },
        },
    ):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches: cached pages would hide queries and content, and
    rate limits counted by an earlier test would refuse this one's log-ins."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
