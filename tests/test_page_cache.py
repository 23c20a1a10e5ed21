"""The catalogue's cache: visitors get kept pages, members get theirs rendered, a curator's save
is seen at once, nobody can fill the cache, and a cache that is down, hung or full is a miss."""

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import warnings
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import pytest
from audit_helpers import PASSWORD, walk
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ports import free_port
from production import production_settings

from tracks.models import CatalogueVersion, Track

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ["/", "/tracks/", "/tracks/voice/", "/companies/", "/companies/?track=voice",
             "/companies/anthropic/", "/conferences/", "/projects/", "/guide/"]  # fmt: skip


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def stored_keys():
    return len(caches["pages"]._cache)  # the suite's LocMemCache


def stored_pages():
    return [key for key in caches["pages"]._cache if ":page:" in key]


@pytest.mark.parametrize("url", CATALOGUE)
def test_a_visitor_gets_a_page_seen_before_with_one_query(client, db, url):
    first = client.get(url)
    again, queries = queries_for(client, url)
    assert (again.status_code, queries) == (200, 1)  # the catalogue's version
    assert again.content == first.content
    assert "Cookie" in again["Vary"] and "HX-Request" in again["Vary"]


def test_a_page_from_the_cache_answers_a_conditional_get_with_304(client, db):
    page = client.get("/companies/")
    again, queries = queries_for(client, "/companies/", headers={"If-None-Match": page["ETag"]})
    assert (again.status_code, queries) == (304, 1)


def test_a_member_gets_catalogue_pages_rendered_for_them(member_client, db):
    member_client.get("/tracks/voice/")
    page, queries = queries_for(member_client, "/tracks/voice/")
    assert queries > 0  # the session and the member, at least
    assert "Log out" in page.content.decode() and "Log in" not in page.content.decode()


def test_a_visitor_never_gets_a_members_page(client, member, db):
    client.force_login(member)
    client.get("/tracks/")
    visitor = Client()
    page = visitor.get("/tracks/").content.decode()
    assert "Log in" in page and "Log out" not in page


@pytest.mark.parametrize("url", ["/tracks/voice/", "/companies/", "/conferences/", "/"])
def test_a_curators_save_is_seen_at_once_by_visitors_and_members(client, member_client, db, url):
    client.get(url), member_client.get(url)
    track = Track.objects.get(slug="voice")
    track.name = "Voice and speech"
    track.save()
    for someone in (client, member_client):
        assert "Voice and speech" in someone.get(url).content.decode(), url


def test_the_catalogue_version_is_renewed_with_a_save_and_kept_with_its_rollback(client, db):
    client.get("/tracks/")
    before = CatalogueVersion.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Track.objects.filter(slug="voice").first().save()
        raise RuntimeError("the curator's save fails")
    assert CatalogueVersion.current() == before  # the content is unchanged: so are the pages
    Track.objects.get(slug="voice").save()
    assert CatalogueVersion.current() != before


def test_searching_any_words_stores_nothing(client, db):
    client.get("/tracks/")
    client.get("/tracks/", {"q": "warm"})
    kept = stored_keys()
    for n in range(50):
        assert client.get("/tracks/", {"q": f"words {n}"}).status_code == 200
    assert stored_keys() == kept


@pytest.mark.parametrize(
    "query",
    [
        {"track": "no-such-track"},
        {"track": "VOICE"},
        {"track": "x" * 500},
    ],
)
def test_an_unknown_company_filter_is_a_404_and_is_not_kept(client, db, query):
    client.get("/companies/")
    kept = stored_keys()
    assert client.get("/companies/", query).status_code == 404
    assert stored_keys() == kept


@pytest.mark.parametrize("prefix", ["/tracks/", "/companies/"])
def test_an_unknown_track_or_company_is_a_404_and_is_not_kept(client, db, prefix):
    known = "voice" if prefix == "/tracks/" else "anthropic"
    assert client.get(f"{prefix}{known}/").status_code == 200
    kept = stored_keys()
    for n in range(30):
        assert client.get(f"{prefix}no-such-{n}/").status_code == 404
    # Longer than any slug: a 404 without a cache key (a memcached cache would refuse one).
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get(f"{prefix}{'x' * 300}/").status_code == 404
    assert stored_keys() == kept


def test_a_curators_preview_of_an_unpublished_track_is_never_a_visitors(client, curator, db):
    curator_client = Client()
    curator_client.force_login(curator)
    track = Track.objects.get(slug="voice")
    track.published = False
    track.save()
    assert "This track is not published" in curator_client.get("/tracks/voice/").content.decode()
    assert client.get("/tracks/voice/").status_code == 404
    track.published = True
    track.save()
    assert client.get("/tracks/voice/").status_code == 200


@pytest.mark.parametrize(
    ("url", "current"),
    [("/tracks/", "Tracks"), ("/tracks/voice/", "Tracks"), ("/companies/anthropic/", "Companies"),
     ("/guide/", "Guide"), ("/", None), ("/audits/new/", None)],
)  # fmt: skip
def test_the_main_navigation_marks_the_page_one_is_on(client, db, url, current):
    for other in ("/", "/tracks/", "/companies/anthropic/", "/guide/"):  # each page kept first
        client.get(other)
    page = client.get(url).content.decode()
    nav = page[
        page.index('aria-label="Main"') : page.index("</nav>", page.index('aria-label="Main"'))
    ]
    marked = re.findall(r'aria-current="page">([^<]+)<', nav)
    assert marked == ([current] if current else [])


@pytest.mark.parametrize(
    "query", ["?track=voice&utm_source=mail", "?track=voice&track=agents", "?page=2"]
)
def test_other_query_strings_are_rendered_not_kept(client, db, query):
    for warm in ("", "?track=voice", "?track=agents"):
        client.get(f"/companies/{warm}")
    kept = stored_keys()
    for _ in range(3):
        assert client.get(f"/companies/{query}").status_code == 200
    assert stored_keys() == kept


def test_htmx_fragments_are_rendered_not_kept_as_pages(client, db):
    page = client.get("/companies/?track=voice").content.decode()
    fragment = client.get(
        "/companies/?track=voice", headers={"HX-Request": "true", "HX-Target": "company-matrix"}
    ).content.decode()
    assert "<html" in page and "<html" not in fragment and "ElevenLabs" in fragment
    assert "<html" in client.get("/companies/?track=voice").content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_rendered_page(client, member, db):
    client.get("/tracks/")
    client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    client.post(reverse("account_logout"))
    assert "logged out" in client.get("/tracks/").content.decode().lower()


def test_a_disallowed_host_is_refused_even_for_a_kept_page(client, db):
    client.get("/tracks/")
    assert client.get("/tracks/", headers={"Host": "evil.example"}).status_code == 400


def test_the_page_cache_can_be_turned_off(client, db, settings):
    settings.PAGE_CACHE = False
    for url in CATALOGUE:
        assert client.get(url).status_code == 200
    assert stored_pages() == []


def test_member_pages_are_private(member_client):
    audit = walk(member_client)
    for url in ("/audits/", reverse("audits:result", args=[audit.id]), reverse("account")):
        assert "private" in member_client.get(url)["Cache-Control"], url


def test_history_pages_have_one_address_each(member_client):
    walk(member_client)
    for query, page in [("?page=0", 1), ("?page=999", 1), ("?page=last", 1), ("?page=01", 1)]:
        response = member_client.get(f"/audits/{query}")
        assert response.status_code == 302 and response["Location"] == f"/audits/?page={page}"
    assert member_client.get("/audits/?page=1").status_code == 200


def test_every_cache_key_carries_the_release(monkeypatch):
    redis = production_settings(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0",
                                DJANGO_RELEASE="2026.11.27")  # fmt: skip
    assert redis["CACHES"]["pages"]["KEY_PREFIX"] == "careerguide:2026.11.27"
    assert redis["CACHES"]["pages"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert redis["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    monkeypatch.delenv("DJANGO_RELEASE")
    monkeypatch.delenv("REDIS_URL")
    database = production_settings(monkeypatch)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode == 0 and (ROOT / ".git").is_dir():
        assert database["RELEASE"] == head.stdout.strip()
    assert database["CACHES"]["default"]["KEY_PREFIX"] == database["RELEASE"]
    assert database["CACHES"]["pages"]["KEY_PREFIX"] == f"pages:{database['RELEASE']}"


# A cache that fails ---------------------------------------------------------------------


class HungServer:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        for conn in self.held:
            conn.close()
        self.sock.close()


@contextmanager
def own_redis(*options):
    """A redis-server of this test's own: (its URL, its process)."""
    server = shutil.which("redis-server")
    if not server:
        if os.environ.get("CI"):
            pytest.fail("CI runs this test: install redis-server")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         *options],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0", process
    finally:
        process.send_signal(signal.SIGCONT)  # a test may leave it suspended
        process.terminate()
        process.wait()


@pytest.fixture
def full_redis():
    """A Redis of its own, 2 MB at most and evicting nothing: every write fails once full."""
    with own_redis("--maxmemory", "2mb", "--maxmemory-policy", "noeviction") as (location, _):
        import redis

        filler = redis.Redis.from_url(location)
        while True:
            try:
                filler.set(f"filler:{filler.dbsize()}", "x" * 100_000)
            except redis.exceptions.ResponseError:  # OOM: full
                break
        yield location


@pytest.fixture
def redis_server():
    with own_redis() as server:
        yield server


@pytest.fixture
def hung_server():
    server = HungServer()
    yield server
    server.close()


def use_redis(location, settings, monkeypatch):
    """Production's "pages" cache and sessions, with Redis at `location`."""
    production = production_settings(monkeypatch, REDIS_URL=location)
    settings.CACHES = settings.CACHES | {"pages": production["CACHES"]["pages"]}
    settings.SESSION_ENGINE = production["SESSION_ENGINE"]


@pytest.fixture(params=["stopped", "hung", "full"])
def failing_cache(request, settings, monkeypatch):
    if request.param == "stopped":
        location = f"redis://127.0.0.1:{free_port()}/0"
    elif request.param == "hung":
        location = f"redis://127.0.0.1:{request.getfixturevalue('hung_server').port}/0"
    else:
        location = request.getfixturevalue("full_redis")
    use_redis(location, settings, monkeypatch)
    return request.param


def test_with_the_cache_failing_every_page_answers_and_log_in_works(
    client, member, db, failing_cache
):
    # Twice where the cache still answers reads (full: the second visit reads what the first
    # could not store); a stopped or hung cache answers nothing, so the second would repeat it.
    for url in CATALOGUE:
        for _ in range(2 if failing_cache == "full" else 1):
            assert client.get(url).status_code == 200, (failing_cache, url)
    assert client.get("/companies/?track=nope").status_code == 404
    response = client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    assert response.status_code == 302, failing_cache
    audit = walk(client)
    for url in (
        "/audits/",
        reverse("audits:result", args=[audit.id]),
        "/tracks/voice/",
        reverse("account"),
    ):
        page = client.get(url)
        assert page.status_code == 200 and "Log out" in page.content.decode(), (failing_cache, url)
    if failing_cache != "full":  # a full Redis takes a write again once something is deleted
        assert client.get("/readyz").json() == {"database": "ok", "cache": "unavailable"}


@contextmanager
def hung(process):
    """Redis suspended (SIGSTOP: it holds its connections and answers nothing), then resumed."""
    process.send_signal(signal.SIGSTOP)
    try:
        yield
    finally:
        process.send_signal(signal.SIGCONT)


def test_a_member_who_signs_out_while_redis_hangs_stays_signed_out(
    client, member, db, redis_server, settings, monkeypatch
):
    location, process = redis_server
    use_redis(location, settings, monkeypatch)
    response = client.post(reverse("account_login"), {"login": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/audits/").status_code == 200  # its session is in Redis too
    copy = Client()  # the same cookie, kept elsewhere (a second tab, a shared computer)
    copy.cookies["sessionid"] = client.cookies["sessionid"].value

    with hung(process):
        assert client.post(reverse("account_logout")).status_code == 302

    response = copy.get("/audits/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_session_changed_while_redis_hangs_is_read_as_changed(
    db, redis_server, settings, monkeypatch
):
    location, process = redis_server
    use_redis(location, settings, monkeypatch)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session["step"] = "before"
    session.save()

    with hung(process):
        session["step"] = "after"
        session.save()  # saved in the database; Redis still holds "before"

    assert store(session.session_key).load()["step"] == "after"


def test_readyz_reports_the_database_and_the_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert client.get("/healthz").content == b"ok"


def test_a_body_over_the_cap_is_refused_with_413(client, db):
    body = b"x" * (django_settings.MAX_REQUEST_BYTES + 1)
    response = client.generic(
        "POST", reverse("account_login"), body, content_type="multipart/form-data; boundary=x"
    )
    assert response.status_code == 413
    assert "at most 1.0" in response.content.decode()
