"""Shared fixtures: the seeded catalogue, members and curators, and Chromium for browser tests."""

import os
import shutil

import pytest
from django.conf import settings
from django.test import override_settings

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from account_helpers import make_curator, make_superuser, make_user  # noqa: E402
from audit_helpers import PASSWORD  # noqa: E402
from catalogue import ensure_catalogue  # noqa: E402
from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


@pytest.fixture(autouse=True)
def catalogue(request, django_db_blocker):
    """Every test that uses the database starts with the seeded catalogue and the Curators group
    its migrations made, whatever ran before it on this worker (a live-server test's flush empties
    every table). Loaded before the test's own transaction begins, so it stays for the next (a
    test marked django_db has begun it already: loaded inside, for that test alone)."""
    asked = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if not asked and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        ensure_catalogue()


@pytest.fixture(scope="session")
def password():
    return PASSWORD


@pytest.fixture
def make_member(db):
    return make_user


@pytest.fixture
def member(make_member):
    return make_member("ada")


@pytest.fixture
def other_member(make_member):
    return make_member("grace")


@pytest.fixture
def curator(db):
    return make_curator()


@pytest.fixture
def superuser(db):
    return make_superuser()


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
            "pages": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "pages",
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
