#!/usr/bin/env python3
"""How many gunicorn sync workers suit this machine: the same requests under each count, in turn.

    .venv/bin/python scripts/compare_workers.py      # after `make bench` has loaded its data

For each round and each worker count (COMPARE_WORKERS, default "2,3" on two cores: the cores,
and one more), it starts gunicorn as scripts/bench.py does, on the bench database, and runs
wrk against 127.0.0.1 only: /healthz, the step POST of 20 members on their own drafts, the
home page (from the page cache), a track page rendered in full, and a mix of catalogue pages
and step POSTs on 50 connections. Counts take turns round by round, so a change in the
machine's speed touches all of them alike. For each row it prints req/s, the CPU per request of
the gunicorn workers, PostgreSQL and Redis (from /proc), and how idle the machine's cores were
while wrk ran (from /proc/stat): idle cores under load mean workers waiting for I/O.

Environment: COMPARE_WORKERS ["<cores>,<cores+1>"], COMPARE_ROUNDS [3], COMPARE_DURATION [6]
seconds per row, and bench.py's BENCH_DATABASE_URL and BENCH_REDIS. About a minute per count
and round.
"""

import os
import secrets
import statistics
import tempfile
import time
from urllib.parse import urlencode

import bench  # this script's folder is on sys.path

CORES = os.cpu_count() or 1
COUNTS = [
    int(count)
    for count in os.environ.get("COMPARE_WORKERS", f"{CORES},{CORES + 1}").split(",")
    if count.strip()
]
ROUNDS = bench.env_int("COMPARE_ROUNDS", 3)
DURATION = bench.env_int("COMPARE_DURATION", 6)
KINDS = ("postgres", "redis")


def cpu_by_kind():
    """CPU seconds so far of every PostgreSQL and Redis process."""
    totals = dict.fromkeys(KINDS, 0.0)
    for name, _parent, seconds in bench.processes():
        for kind in KINDS:
            if name.startswith(kind):
                totals[kind] += seconds
    return totals


def measure(server, name, path, directory, **options):
    services = cpu_by_kind()
    row = bench.wrk(server, name, path, directory, duration=DURATION, **options)
    services_after = cpu_by_kind()
    served = max(row["served"], 1)
    row["service_ms"] = {
        kind: (services_after[kind] - services[kind]) * 1000 / served for kind in KINDS
    }
    return row


def one_round(workers, secret_key):
    bench.CONFIG["workers"] = workers
    server = bench.Server(f"workers-{workers}", bench.app_env(bench.redis_url(), secret_key))
    server.start()
    try:
        directory = tempfile.mkdtemp(prefix="compare-workers-")
        posts = []
        first = bench.STEP_MEMBER_FIRST
        for number in range(first, first + bench.CONFIG["step_members"]):
            member = bench.login(server.port, f"bench-{number:06d}")
            audit = bench.start_draft(member)
            path = f"/audits/{audit}/step/0/"
            token = bench.csrf_token(member.text(path))
            body = urlencode({"csrfmiddlewaretoken": token, **bench.STEP_POST_BODY})
            posts.append(("POST", path, member.cookie_header(), body))
        steps = bench.mixed_script(directory, server.port, posts, name="step-posts")
        pages = [("GET", path, "", "") for path in ("/healthz", "/", "/tracks/", "/companies/")]
        mix = bench.mixed_script(directory, server.port, pages + posts[:2], name="mix")
        bench.wrk(server, "warm-up", "/", directory, duration=2, script=mix)
        return [
            measure(server, "/healthz", "/healthz", directory),
            measure(server, "step POST (20 members)", posts[0][1], directory, script=steps),
            measure(server, "home (page cache)", "/", directory),
            measure(server, "track, full render", "/tracks/retrieval/?render=1", directory),
            measure(server, "mix, 50 connections", "/", directory, script=mix, connections=50),
        ]
    finally:
        server.stop()


def main():
    secret_key = secrets.token_urlsafe(40)
    results = {count: [] for count in COUNTS}
    started = time.monotonic()
    for round_number in range(1, ROUNDS + 1):
        for count in COUNTS:
            bench.log(f"round {round_number}: {count} workers")
            results[count].append(one_round(count, secret_key))
    bench.log(f"\n{ROUNDS} rounds in {time.monotonic() - started:.0f} s, {CORES} cores.\n")
    bench.log(
        "| workers | request | req/s (median) | req/s (each round) | app CPU ms/req "
        "| PostgreSQL ms/req | Redis ms/req | idle cores |"
    )
    bench.log("|---:|---|---:|---|---:|---:|---:|---:|")
    for index, name in enumerate(row["name"] for row in results[COUNTS[0]][0]):
        for count in COUNTS:
            rows = [rounds[index] for rounds in results[count]]
            each = ", ".join(f"{row['rps']:,.0f}" for row in rows)
            bench.log(
                f"| {count} | {name} | {statistics.median(r['rps'] for r in rows):,.0f} | {each} "
                f"| {statistics.median(r['cpu_ms'] for r in rows):.2f} "
                f"| {statistics.median(r['service_ms']['postgres'] for r in rows):.2f} "
                f"| {statistics.median(r['service_ms']['redis'] for r in rows):.2f} "
                f"| {statistics.median(r['idle'] for r in rows):.0%} |"
            )
    for count in COUNTS:
        ratios = [rounds[1]["rps"] / rounds[0]["rps"] for rounds in results[count]]
        bench.log(
            f"\n{count} workers: step POST × /healthz "
            + ", ".join(f"{ratio:.3f}" for ratio in ratios)
        )
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    finally:
        for running in list(bench.SERVERS):
            running.stop()
