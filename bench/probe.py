"""Cost probes in one process: queries and CPU per page, for members with 5 and 500 audits and
for the member with a long curiosity log (its log page, and starting an audit).

    .venv/bin/python bench/probe.py [--requests 200] [--json out.json]

Runs on the bench database (BENCH_DATABASE_URL, default careerguide_bench, loaded by `make bench`
or bench/data.py) with production settings, calling the Django test client in this process: no
server, no load generator, so it shows where a page's own time goes. Queries are counted with
CaptureQueriesContext on a full render, and CPU is time.process_time() per request, the cache
cleared before each (a first view: PostgreSQL's and Redis's own work is not in it, the test
client's is). The cache is Redis when BENCH_REDIS_URL is set, the database cache otherwise. For
scale it also times the floor pages (bench/urls.py) and /healthz.
"""

import argparse
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DATABASE_URL=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench"
    ),
    DJANGO_INSECURE_HTTP="1",
    DJANGO_PAGE_CACHE="0",
)
os.environ.pop("DJANGO_DEBUG", None)
os.environ.pop("REDIS_URL", None)
if os.environ.get("BENCH_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from audits.models import Audit  # noqa: E402
from audits.views import HISTORY_PAGE_SIZE  # noqa: E402
from bench.data import FEW_MEMBER, HISTORY_MEMBER, LOG_MEMBER  # noqa: E402
from tracks.models import Company, Track  # noqa: E402

HOST = "127.0.0.1"


def member_pages(member):
    """A member's own pages, for their two newest finished audits."""
    newest, older = member.audits.filter(status=Audit.Status.FINISHED).order_by("-created_at")[:2]
    last_page = max(math.ceil(member.audits.count() / HISTORY_PAGE_SIZE), 1)
    return {
        "history": reverse("audits:history"),
        "history, last page": f"{reverse('audits:history')}?page={last_page}",
        "new audit": reverse("audits:new"),
        "result": reverse("audits:result", args=[newest.id]),
        "print": reverse("audits:print", args=[newest.id]),
        "compare": f"{reverse('audits:compare')}?audit={older.id}&audit={newest.id}",
        "export json": reverse("audits:export_json", args=[newest.id]),
        "account": reverse("account"),
    }


def log_pages():
    """The long log's page, and starting an audit: a POST that reads the log's last year."""
    return {"log page": reverse("logbook:log"), "start audit": ("POST", reverse("audits:new"))}


def catalogue_pages():
    track, company = Track.objects.first(), Company.objects.first()
    return {
        "home": "/",
        "tracks": "/tracks/",
        "a track": f"/tracks/{track.slug}/",
        "companies": "/companies/",
        "a company": f"/companies/{company.slug}/",
        "conferences": "/conferences/",
        "projects": "/projects/",
        "guide": "/guide/",
    }


def fetch(client, page):
    """A page's URL is a GET answered 200; ("POST", url), a POST answered with a redirect."""
    if isinstance(page, tuple):
        return client.post(page[1]), 302
    return client.get(page), 200


def queries(client, page):
    caches["pages"].clear()  # a full render, not a cached one
    with CaptureQueriesContext(connection) as captured:
        response, expected = fetch(client, page)
    if response.status_code != expected:
        raise SystemExit(f"{page} answered {response.status_code}")
    return len(captured)


def cpu_ms(client, page, requests, cold=True):
    """CPU per first view: the cache is cleared before each request, outside the timing (with
    `cold=False`, kept: what a page costs when everything it may cache is cached)."""
    spent = 0.0
    fetch(client, page)
    for _ in range(requests):
        if cold:
            caches["pages"].clear()
        started = time.process_time()
        fetch(client, page)
        spent += time.process_time() - started
    return spent / requests * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--no-cpu", action="store_true", help="count queries only")
    parser.add_argument("--json", help="write the figures here")
    options = parser.parse_args()
    users = get_user_model().objects
    try:
        few, many = users.get(username=FEW_MEMBER), users.get(username=HISTORY_MEMBER)
    except get_user_model().DoesNotExist:
        raise SystemExit("No bench data: run `make bench` or bench/data.py first.") from None
    report = {"members": {}, "catalogue": {}}
    for member in (few, many):
        client = Client(HTTP_HOST=HOST)
        client.force_login(member)
        pages = member_pages(member)
        report["members"][member.username] = {
            "audits": member.audits.count(),
            "queries": {name: queries(client, url) for name, url in pages.items()},
            "cpu_ms": {}
            if options.no_cpu
            else {name: cpu_ms(client, url, options.requests) for name, url in pages.items()},
        }
    if logger := users.filter(username=LOG_MEMBER).first():  # bench/data.py --log-entries
        client = Client(HTTP_HOST=HOST)
        client.force_login(logger)
        started = timezone.now()
        report["log"] = {
            "entries": logger.log_entries.count(),
            "queries": {name: queries(client, page) for name, page in log_pages().items()},
            "cpu_ms": {}
            if options.no_cpu
            else {
                name: cpu_ms(client, page, options.requests) for name, page in log_pages().items()
            },
        }
        logger.audits.filter(created_at__gte=started).delete()  # those the probe started
    if not options.no_cpu:
        # The least a page costs, signed in and as a visitor, beside /healthz.
        member, visitor = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
        member.force_login(few)
        report["floor"] = {
            "signed-in floor": cpu_ms(member, "/bench/floor/", options.requests, cold=False),
            "visitor floor": cpu_ms(visitor, "/bench/floor/", options.requests, cold=False),
            "/healthz": cpu_ms(visitor, "/healthz", options.requests, cold=False),
        }
    visitor = Client(HTTP_HOST=HOST)
    for name, url in catalogue_pages().items():
        report["catalogue"][name] = {
            "queries": queries(visitor, url),
            "cpu_ms": None if options.no_cpu else cpu_ms(visitor, url, options.requests),
        }
    few_counts = report["members"][FEW_MEMBER]["queries"]
    many_counts = report["members"][HISTORY_MEMBER]["queries"]
    report["equal"] = few_counts == many_counts

    audits = {name: data["audits"] for name, data in report["members"].items()}
    print(f"{'page':22} queries ({audits[FEW_MEMBER]} vs {audits[HISTORY_MEMBER]} audits)  CPU ms")
    for name in few_counts:
        cpu = report["members"][HISTORY_MEMBER]["cpu_ms"].get(name)
        shown = f"{cpu:6.2f}" if cpu is not None else ""
        print(f"  {name:20} {few_counts[name]:>4} vs {many_counts[name]:<4}{shown:>28}")
    if log := report.get("log"):
        for name, count in log["queries"].items():
            cpu = log["cpu_ms"].get(name)
            shown = f"{cpu:6.2f}" if cpu is not None else ""
            print(f"  {name}, {log['entries']:,} log entries {count:>8}{shown:>20}")
    for name, data in report["catalogue"].items():
        shown = f"{data['cpu_ms']:6.2f}" if data["cpu_ms"] is not None else ""
        print(f"  visitor: {name:11} {data['queries']:>4}{shown:>36}")
    for name, cpu in report.get("floor", {}).items():
        print(f"  {name:42} {cpu:6.2f}")
    print("Queries equal for 5 and 500 audits:", "yes" if report["equal"] else "NO")
    if options.json:
        with open(options.json, "w") as out:
            json.dump(report, out)


if __name__ == "__main__":
    main()
