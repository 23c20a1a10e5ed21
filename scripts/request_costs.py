#!/usr/bin/env python3
"""CPU per request inside one Python process, without gunicorn or a load generator.

    .venv/bin/python scripts/request_costs.py          # after `make bench` has loaded its data

Calls the WSGI application directly, the requests one after another, on the bench database
(scripts/bench.py's, BENCH_DATABASE_URL) with Redis (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/1) and production settings. For each page it prints the CPU time per
request (time.process_time: this process only, so PostgreSQL's and Redis's work is not in it),
then splits the audit step POST into its parts. Quieter than `make bench` and useful to see
where a request's time goes; `make bench` remains the measure of throughput.
"""

import os
import sys
import time
from collections import Counter
from io import BytesIO
from pathlib import Path

from bench import CONFIG, DRAFT_MEMBER, HISTORY_MEMBER  # this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REQUESTS = int(os.environ.get("COSTS_REQUESTS", "500"))
CSRF_SECRET = "costs" * 6 + "00"  # any 32 letters and digits: the cookie and the form agree

os.environ.update(
    DJANGO_SETTINGS_MODULE="careerguide.settings",
    DATABASE_URL=CONFIG["database_url"],
    REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1"),
    DJANGO_SECRET_KEY="request-costs-" + "x" * 40,
    DJANGO_INSECURE_HTTP="1",
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
)
os.environ.pop("DJANGO_DEBUG", None)

import django  # noqa: E402

django.setup()

from audits.backends import MemberBackend  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.middleware.csrf import _mask_cipher_secret  # noqa: E402
from django.test import Client  # noqa: E402

from audits import services, views  # noqa: E402
from audits.models import Audit  # noqa: E402

application = WSGIHandler()
CSRF_TOKEN = _mask_cipher_secret(CSRF_SECRET)  # masked once: each request costs the app alone


def session_cookie(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_SECRET}"


def environ(path, cookie="", method="GET", body=b""):
    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    if method == "POST":
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["HTTP_X_CSRFTOKEN"] = CSRF_TOKEN
    return env


def call(env):
    status = []
    body = b"".join(application(env, lambda code, headers, exc=None: status.append(code)))
    return status[0], body


def cpu_per_request(make_environ):
    for _ in range(20):  # warm: connections, caches, the page cache
        status, _body = call(make_environ())
    started = time.process_time()
    for _ in range(REQUESTS):
        call(make_environ())
    return status, (time.process_time() - started) / REQUESTS * 1000


def main():
    try:
        history = get_user_model().objects.get(username=HISTORY_MEMBER)
        drafter = get_user_model().objects.get(username=DRAFT_MEMBER)
    except get_user_model().DoesNotExist:
        raise SystemExit("No bench data: run `make bench` (or make_bench_data) first.") from None
    member = session_cookie(history.username)
    first, second = history.audits.filter(status=Audit.Status.FINISHED).values_list(
        "id", flat=True
    )[:2]
    draft = services.start_audit(drafter)
    pages = {
        "/healthz": ("/healthz", ""),
        "visitor: track detail": ("/tracks/retrieval/", ""),
        "visitor: track detail, full render": ("/tracks/retrieval/?render=1", ""),
        "member: history (500 audits)": ("/audits/", member),
        "member: history, full render": ("/audits/?render=1", member),
        "member: result": (f"/audits/{first}/result/", member),
        "member: result, full render": (f"/audits/{first}/result/?render=1", member),
        "member: compare": (f"/audits/compare/?audit={first}&audit={second}", member),
        "member: compare, full render": (
            f"/audits/compare/?audit={first}&audit={second}&render=1",
            member,
        ),
    }
    print(f"CPU per request, mean of {REQUESTS} after 20 to warm up")
    for name, (path, cookie) in pages.items():
        status, ms = cpu_per_request(lambda path=path, cookie=cookie: environ(path, cookie))
        print(f"  {name:38} {status:10} {ms:6.2f} ms")

    step_cookie = session_cookie(drafter.username)
    post = f"/audits/{draft.id}/step/0/"

    def step_post():
        return environ(post, step_cookie, "POST", b"years=2-3&tried=retrieval")

    parts = Counter()

    def timed(owner, name, label):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                parts[label] += time.process_time() - started

        setattr(owner, name, wrapper)
        parts[label] = 0  # printed in this order

    timed(SessionStore, "load", "the session (from the cache)")
    timed(MemberBackend, "get_user", "the member's account and the catalogue version (cache)")
    timed(views, "step_form", "the step's form (choices from this process's memory)")
    timed(services, "save_step", "save: checks, both writes and the audit in 1 statement")
    timed(services, "bump_member", "  of which the new version of the member's pages")
    status, ms = cpu_per_request(step_post)
    for label in parts:
        parts[label] = 0
    started = time.process_time()
    for _ in range(REQUESTS):
        call(step_post())
    total = (time.process_time() - started) / REQUESTS * 1000
    print(f"  {'member: audit step POST':38} {status:10} {ms:6.2f} ms; of which:")
    for label, seconds in parts.items():
        print(f"    {label:58} {seconds / REQUESTS * 1000:6.2f} ms")
    counted = sum(seconds for label, seconds in parts.items() if not label.startswith(" "))
    rest = total - counted / REQUESTS * 1000
    print(f"    {'the rest: Django, CSRF, the other middleware, the redirect':58} {rest:6.2f} ms")
    Audit.objects.filter(pk=draft.pk).delete()


if __name__ == "__main__":
    main()
