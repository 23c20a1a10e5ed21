#!/usr/bin/env python3
"""The load benchmark: the site against Django's own floor, through nginx and gunicorn.

    make bench            # or: .venv/bin/python bench/run.py

Bounded in time, only on 127.0.0.1, stops everything it started:

1. Its own PostgreSQL database, new each run (role and database made with `runuser -u
   postgres`, as .ci/run does; its name must contain "bench"), migrate, seed_content,
   collectstatic; bench/data.py loads 10,000 members × 10 finished audits, one member with 500,
   one with 5 and one with 1,000 log entries, each signed in with a session row.
2. A private redis-server on a free port, and the stack of `make serve` (deploy/serve.sh: nginx on
   127.0.0.1 in front of gunicorn on a unix socket) with production settings behind a proxy,
   served with bench/settings.py: the site plus the floor page `/bench/floor/` (bench/urls.py:
   the base template with an empty content block, through the whole middleware stack).
3. bench/probe.py counts each member page's queries for 5 and for 500 audits.
4. Every cache off (BENCH_CACHE=dummy): wrk measures every kind of catalogue page against the
   floor for a visitor, run before and after each row (a row is measured again when those two
   differ by more than BENCH_UNSTEADY_PERCENT).
5. Caches on, as in production: every kind of catalogue page as a visitor against /healthz;
   members' history (10 and 500 audits), result, compare and account pages, each request
   another member, 20 members saving a step of their own audits at once, and the log page and
   starting an audit for a member with 1,000 log entries, against the floor for a signed-in
   member; then the realistic mix at a fixed arrival rate (bench/mix.py, Locust:
   requests sent on schedule) of BENCH_RATE req/s, the highest of BENCH_RATES whose p95 stays
   within 150 ms, 4 slow clients trickling headers while /healthz is measured, and the mix
   again with Redis hung (SIGSTOP) and with Redis stopped, each a third of the way in.
6. Prints the table and writes docs/PERFORMANCE.md (the part below the marker is kept).

Environment [defaults]: BENCH_MEMBERS [10000], BENCH_AUDITS_PER_MEMBER [10], BENCH_HISTORY_AUDITS
[500], BENCH_LOG_ENTRIES [1000] (the curiosity log of `bench-logger`), BENCH_DURATION [8] s per row,
BENCH_REFERENCE_DURATION [4] s of the reference around each row, BENCH_CONNECTIONS [20], BENCH_MIX
[100] people in the mix, BENCH_RATE [100] req/s, BENCH_MIX_DURATION [60] s, BENCH_RATES
[100,150,200,300,400] req/s tried for the highest rate, BENCH_RATE_DURATION [20] s each,
BENCH_REDIS_DOWN_DURATION [30] s, BENCH_WORKERS [cores + 1], BENCH_UNSTEADY_PERCENT [15],
BENCH_RETRIES [1], BENCH_WRITE_DOCS [1], BENCH_STRICT [0; 1 exits 1 when a target is missed],
BENCH_PORT [a free one], BENCH_DATABASE_URL
[postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench].
"""

import csv
import json
import os
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 - runs our own scripts, nginx, gunicorn, redis and wrk
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from answers import EVALS_ANSWERS, RETRIEVAL_ANSWERS  # noqa: E402  (the tests' answers)

PY = sys.executable
HOST = "127.0.0.1"
DOC = ROOT / "docs" / "PERFORMANCE.md"
KEEP_MARKER = "<!-- Everything below this line is kept when bench/run.py rewrites the file. -->"
OLD_MARKERS = (
    "<!-- Everything below this line is kept when scripts/bench.py rewrites the file. -->",
)
PEOPLE_SCRIPT = ROOT / "bench" / "people.lua"


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


CONFIG = {
    "members": env_int("BENCH_MEMBERS", 10_000),
    "per_member": env_int("BENCH_AUDITS_PER_MEMBER", 10),
    "history": env_int("BENCH_HISTORY_AUDITS", 500),
    "log_entries": env_int("BENCH_LOG_ENTRIES", 1000),
    "duration": env_int("BENCH_DURATION", 8),
    "reference": env_int("BENCH_REFERENCE_DURATION", 4),
    "connections": env_int("BENCH_CONNECTIONS", 20),
    "mix": env_int("BENCH_MIX", 100),
    "rate": env_int("BENCH_RATE", 100),
    "mix_duration": env_int("BENCH_MIX_DURATION", 60),
    "rates": [
        int(rate) for rate in os.environ.get("BENCH_RATES", "100,150,200,300,400").split(",")
    ],
    "rate_duration": env_int("BENCH_RATE_DURATION", 20),
    "redis_down_duration": env_int("BENCH_REDIS_DOWN_DURATION", 30),
    "workers": env_int("BENCH_WORKERS", (os.cpu_count() or 1) + 1),
    "unsteady": env_int("BENCH_UNSTEADY_PERCENT", 15) / 100,
    "retries": env_int("BENCH_RETRIES", 1),
    "write_docs": env_int("BENCH_WRITE_DOCS", 1),
    "strict": env_int("BENCH_STRICT", 0),
    "database_url": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench"
    ),
}
STEP_MEMBERS = 20  # the target row: this many members saving a step at once
P95_LIMIT = 150  # ms, for the mix at a fixed rate
STARTED = []  # every process we started, stopped in `finally`


def log(message=""):
    print(message, flush=True)


def fail(message):
    raise SystemExit(f"bench: {message}")


def run(args, env=None, timeout=900):
    result = subprocess.run(  # nosec B603 - fixed argument lists
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    for line in result.stdout.strip().splitlines():
        log(f"    {line}")
    if result.returncode != 0:
        log(result.stderr[-3000:])
        fail(f"{' '.join(map(str, args))} exited with {result.returncode}")
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- services --------------------------------------------------------------------------------


def ensure_database(url):
    """The bench's role and database, made as .ci/run makes the test database's."""
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        fail(f"{url} is not on this machine: the bench only ever uses 127.0.0.1.")
    user, password, name = parts.username, parts.password, parts.path.lstrip("/")
    if not re.fullmatch(r"\w+", user + name) or not re.fullmatch(r"[\w-]+", password):
        fail("BENCH_DATABASE_URL: use plain letters, digits and _ for the role and database.")
    ready = ["pg_isready", "-h", parts.hostname, "-p", str(parts.port or 5432), "-q"]
    if subprocess.run(ready, check=False).returncode:  # nosec B603
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        start = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
        subprocess.run(start, check=False)  # nosec B603
        for _ in range(30):
            if not subprocess.run(ready, check=False).returncode:  # nosec B603
                break
            time.sleep(1)

    def psql(sql):
        args = ["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-qtA"]
        return subprocess.run(  # nosec B603
            [*args, "-c", sql], capture_output=True, text=True, check=True
        ).stdout.strip()

    # Names checked above: letters, digits and underscores only.
    if not psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{user}'"):  # noqa: S608  # nosec B608
        psql(f"CREATE ROLE {user} LOGIN PASSWORD '{password}' CREATEDB")
    # A new database each run: the run never depends on what an earlier one (or older code) left.
    if "bench" not in name:
        fail(
            f"BENCH_DATABASE_URL names {name}: the bench drops its database, so it must say bench."
        )
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*as_postgres, "dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run([*as_postgres, "createdb", "-O", user, name], check=True)
    return psql("SHOW server_version")


class Process:
    """A process in its own group, so stopping it stops its children (gunicorn's workers)."""

    def __init__(self, name, args, env=None):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log")  # noqa: SIM115
        self.proc = subprocess.Popen(  # nosec B603
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        STARTED.append(self)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGCONT)  # a suspended Redis takes no TERM
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        if self in STARTED:
            STARTED.remove(self)

    def tail(self, size=3000):
        return Path(self.log.name).read_text(errors="replace")[-size:]


def start_redis():
    port = free_port()
    redis = Process(
        "redis",
        ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
    )
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex((HOST, port)) == 0:
                return redis, f"redis://{HOST}:{port}/0"
        time.sleep(0.1)
    fail(f"redis-server did not start: {redis.tail()}")


def app_env(secret_key, redis_url, cache=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BENCH_"))}
    env.pop("REDIS_URL", None)
    if not cache:
        env["BENCH_CACHE"] = "dummy"  # bench/settings.py: every cache a dummy one
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=CONFIG["database_url"],
        REDIS_URL=redis_url,
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_INSECURE_HTTP="1",  # plain http on 127.0.0.1; everything else as in production
        DJANGO_BEHIND_PROXY="1",
        # A load balancer in front of nginx: visitors who walk an audit each send the address it
        # would add (X-Forwarded-For), so each counts as one browser at one address.
        DJANGO_PROXY_COUNT="2",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


class Stack:
    """deploy/serve.sh: nginx on a free port of 127.0.0.1, gunicorn behind it."""

    def __init__(self, env):
        self.port = env_int("BENCH_PORT", 0) or free_port()
        self.run_dir = tempfile.mkdtemp(prefix="bench-run-")
        env = dict(env, PORT=str(self.port), WEB_CONCURRENCY=str(CONFIG["workers"]))
        env.update(RUN_DIR=self.run_dir, GUNICORN_ACCESS_LOG="/dev/null")
        self.process = Process("stack", [str(ROOT / "deploy" / "serve.sh")], env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.proc.poll() is None:
            if get(self.url("/healthz"))[0] == 200:
                return
            time.sleep(0.3)
        tail = self.process.tail()
        self.stop()
        fail(f"the stack did not answer /healthz:\n{tail}")

    def url(self, path):
        return f"http://{HOST}:{self.port}{path}"

    def stop(self):
        self.process.stop()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        lines = self.process.tail(200_000).splitlines()
        starts = [number for number, line in enumerate(lines) if "Traceback" in line]
        if starts:
            last = "\n".join(f"    {line}" for line in lines[starts[-1] : starts[-1] + 60])
            log(f"  the app logged {len(starts)} tracebacks; the last:\n{last}")
        return len(starts)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url, cookie="", data=None):
    """(status, headers, text) of one request; redirects are not followed."""
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    try:
        with OPENER.open(request, timeout=30) as response:  # nosec B310 - 127.0.0.1 only
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except OSError:
        return 0, {}, ""


def token_in(page):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not found:
        fail("no CSRF token on the page")
    return found.group(1)


# --- wrk -------------------------------------------------------------------------------------


def lua(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {lua(item)}" for key, item in value.items()) + "}"
    return "{" + ", ".join(lua(item) for item in value) + "}"


def wrk(stack, people, directory, connections=None, duration=None):
    """Run bench/people.lua with these people; one thread per connection (one person each)."""
    connections = connections or CONFIG["connections"]
    duration = duration or CONFIG["duration"]
    data = Path(directory) / f"people-{secrets.token_hex(4)}.lua"
    data.write_text("return " + lua(people) + "\n")
    args = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration}s", "--latency"]
    args += ["--timeout", "5s", "-s", str(PEOPLE_SCRIPT), stack.url("/")]
    result = subprocess.run(  # nosec B603
        args,
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
        env=dict(os.environ, BENCH_PEOPLE=str(data)),
    )
    found = re.search(r"^BENCHJSON (.*)$", result.stdout, re.M)
    if result.returncode != 0 or not found:
        fail(f"wrk failed: {result.stdout}\n{result.stderr}")
    row = json.loads(found.group(1))
    row["rps"] = row["requests"] / (row["duration_us"] / 1e6)
    row["errors"] = sum(row[key] for key in ("connect", "read", "write", "status", "timeout"))
    data.unlink()
    time.sleep(0.5)  # let requests still queued behind wrk finish before the next run
    return row


HEALTHZ = {"name": "/healthz", "people": {"mix": ["fixed"], "fixed": "/healthz"}}
VISITOR_FLOOR = {"name": "visitor floor", "people": {"mix": ["fixed"], "fixed": "/bench/floor/"}}


def member_floor(readers):
    return {
        "name": "signed-in floor",
        "people": {"mix": ["reader"], "only": "reader:floor", "readers": readers},
    }


def reference_run(stack, directory, reference):
    row = wrk(stack, reference["people"], directory, duration=CONFIG["reference"])
    reference.setdefault("runs", []).append(row["rps"])
    log(f"    {reference['name']} {row['rps']:,.0f} req/s")
    return row


def measured(stack, directory, name, people, target, reference, connections=None):
    """A row against its reference (/healthz or a floor) run on either side, measured again
    when those two disagree."""
    attempts = []
    before = reference.get("last") or reference_run(stack, directory, reference)
    while True:
        row = wrk(stack, people, directory, connections=connections)
        after = reference["last"] = reference_run(stack, directory, reference)
        around = [before["rps"], after["rps"]]
        row.update(name=name, target=target, reference=sum(around) / 2)
        row["unsteady"] = (max(around) - min(around)) / max(around)
        if target is not None:
            row["target_text"] = f"≥ {target} × {reference['name']}"
        judge(row)
        log(f"  {name}: {row['rps']:,.0f} req/s, {row['ratio']:.2f} × {reference['name']}, "
            f"{row['result']}")  # fmt: skip
        attempts.append(row)
        before = after
        if row["unsteady"] <= CONFIG["unsteady"] or len(attempts) > CONFIG["retries"]:
            break
        log(f"    {reference['name']} moved {row['unsteady']:.0%} around it: measuring again")
    kept = min(attempts, key=lambda attempt: attempt["unsteady"])
    kept["discarded"] = len(attempts) - 1
    return kept


def reference_row(reference):
    runs = reference["runs"]
    return {
        "name": f"{reference['name']} (mean of {len(runs)} runs, "
        f"{min(runs):,.0f}–{max(runs):,.0f} req/s)",
        "rps": sum(runs) / len(runs),
        "p95": reference["last"]["p95"],
        "p99": reference["last"]["p99"],
        "errors": reference["last"]["errors"],
        "target_text": "reference",
        "result": "—",
    }


# --- Locust ----------------------------------------------------------------------------------


def locust(stack, people, directory, rate, duration):
    """bench/mix.py at `rate` requests a second for `duration` s: the whole run's figures, in
    the units wrk's rows use (microseconds), and how many audits were walked to their result."""
    data = Path(directory) / "mix.json"
    data.write_text(json.dumps(people))
    prefix = Path(directory) / f"mix-{secrets.token_hex(4)}"
    users = CONFIG["mix"]
    args = [str(Path(PY).parent / "locust"), "-f", str(ROOT / "bench" / "mix.py"), "--headless"]
    args += ["-u", str(users), "-r", str(users), "-t", f"{duration}s", "--host", stack.url("")]
    args += ["--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"]
    env = dict(os.environ, BENCH_PEOPLE=str(data), BENCH_RATE=str(rate), BENCH_USERS=str(users))
    access_log = Path(stack.run_dir) / "access.log"
    logged = access_log.stat().st_size if access_log.exists() else 0
    before, machine_before = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_times()
    result = subprocess.run(  # nosec B603
        args, capture_output=True, text=True, timeout=duration + 120, check=False, env=env
    )
    after, machine_after = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_times()
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        fail(f"locust failed: {result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    lines = {line["Name"]: line for line in csv.DictReader(stats.open())}
    total = lines.pop("Aggregated")

    def count(name, column="Request Count"):
        return int(lines[name][column]) if name in lines else 0

    row = {
        "requests": int(total["Request Count"]),
        "rps": int(total["Request Count"]) / duration,
        "errors": int(total["Failure Count"]),
        **{key: float(total[column]) * 1000 for key, column in (("p50", "50%"), ("p95", "95%"),
                                                                   ("p99", "99%"))},
        "offered": rate,
        "walks": sum(count(f"{who} walk: result") - count(f"{who} walk: result", "Failure Count")
                     for who in ("member", "visitor")),
        "visitor_walks": count("visitor walk: result")
        - count("visitor walk: result", "Failure Count"),
        "revalidations": count("visitor: revalidate"),
        # The load generator's own CPU, as a share of one core over the run.
        "locust_cpu": (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        / duration,
        # The p95 nginx logged for the same requests (deploy/nginx.conf: $request_time).
        "served_p95": served_p95(access_log, logged),
        # How busy the machine's cores were over the run (everything on it, Locust included).
        "machine_busy": busy_share(machine_before, machine_after),
        # Each kind of request (bench/mix.py names them): how many, and their p95 in ms.
        "kinds": {name: (int(line["Request Count"]), float(line["95%"]))
                  for name, line in lines.items()},
    }  # fmt: skip
    time.sleep(0.5)
    return row


def served_p95(access_log, offset):
    """The p95, in ms, of the request times nginx logged after `offset` bytes of its log."""
    with open(access_log, "rb") as lines:
        lines.seek(offset)
        times = sorted(float(line.split()[-2]) * 1000 for line in lines if line.strip())
    return times[int(len(times) * 0.95)] if times else 0.0


def cpu_times():
    """(busy, total) jiffies of all cores, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before, after):
    total = after[1] - before[1]
    return (after[0] - before[0]) / total if total else 0.0


def highest_rate(stack, people, directory):
    """The highest of BENCH_RATES at which the mix keeps p95 within P95_LIMIT with no error."""
    best = None
    for rate in CONFIG["rates"]:
        row = locust(stack, people, directory, rate, CONFIG["rate_duration"])
        ok = row["errors"] == 0 and row["p95"] / 1000 <= P95_LIMIT
        log(f"  {rate} req/s offered: {row['rps']:,.0f} served, p95 {row['p95'] / 1000:.0f} ms, "
            f"{row['errors']} errors: {'within' if ok else 'over'}")  # fmt: skip
        if not ok:
            break
        best = rate
    return best


def judge(row):
    row["ratio"] = row["rps"] / row["reference"] if row.get("reference") else None
    checks = [row["errors"] == 0]
    if row.get("target") is not None:
        checks.append(row["ratio"] >= row["target"])
    if row.get("p95_limit") is not None:
        checks.append(row["p95"] / 1000 <= row["p95_limit"])
    if row.get("p99_limit") is not None:
        checks.append(row["p99"] / 1000 <= row["p99_limit"])
    informative = row.get("target") is None and not row.get("checked")
    row["result"] = "—" if informative else ("PASS" if all(checks) else "FAIL")


# --- people ----------------------------------------------------------------------------------


def catalogue(stack):
    """Every catalogue page a visitor can reach, found by following the site's own links:
    {"/tracks/<slug>/": [every track's path], "/guide/": ["/guide/"], …}."""
    pages = {}
    for listing in ("/", "/tracks/", "/companies/", "/conferences/", "/projects/", "/guide/"):
        status, _headers, page = get(stack.url(listing))
        if status != 200:
            fail(f"GET {listing} answered {status}")
        pages[listing] = [listing]
        if listing in {"/tracks/", "/companies/"}:
            prefix = re.escape(listing)
            links = sorted(set(re.findall(rf'href="({prefix}[a-z0-9-]+/)"', page)))
            if not links:
                fail(f"no detail pages linked from {listing}")
            pages[f"{listing}<slug>/"] = links
    return pages


def answer_bodies():
    """Each audit's six step bodies, urlencoded as the forms post them (from tests/answers.py)."""
    return [
        [urlencode(answers[step], doseq=True) for step in range(6)]
        for answers in (RETRIEVAL_ANSWERS, EVALS_ANSWERS)
    ]


def steppers(stack, members):
    """Members who each started an audit (as a browser does) and hold step 1's filled-in POST."""
    body = answer_bodies()[0][0]
    found = []
    for identity in members:
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={identity['session']}; csrftoken={csrf}"
        token = token_in(get(stack.url("/audits/new/"), cookie)[2])
        status, headers, _ = get(
            stack.url("/audits/new/"), cookie, urlencode({"csrfmiddlewaretoken": token}).encode()
        )
        if status != 302:
            fail(f"starting an audit answered {status}")
        path = headers["Location"]
        token = token_in(get(stack.url(path), cookie)[2])
        if path.endswith("/step/retake/"):  # three months after their last audit: asked first
            answer = urlencode({"csrfmiddlewaretoken": token, "did": "side", "pull": 3})
            status, headers, _ = get(stack.url(path), cookie, answer.encode())
            if status != 302:
                fail(f"answering the retake step answered {status}")
            path = headers["Location"]
        post = f"csrfmiddlewaretoken={token}&{body}"
        status, _headers, _ = get(stack.url(path), cookie, post.encode())
        if status != 302:
            fail(f"saving step 1 answered {status}: is this member signed in?")
        found.append([cookie, path, post])
    return found


def audit_starter(stack, identity):
    """A member's POST that starts a new audit (the button on /audits/new/), with its token."""
    csrf = secrets.token_hex(16)
    cookie = f"sessionid={identity['session']}; csrftoken={csrf}"
    token = token_in(get(stack.url("/audits/new/"), cookie)[2])
    post = urlencode({"csrfmiddlewaretoken": token})
    status, _headers, _ = get(stack.url("/audits/new/"), cookie, post.encode())
    if status != 302:
        fail(f"starting an audit answered {status}: is this member signed in?")
    return [cookie, "/audits/new/", post]


def mix_with_redis_failing(stack, people, directory, how, fail):
    """The mix again, with `fail()` called a third of the way in: the row, and what /readyz
    says at its end."""
    after = CONFIG["redis_down_duration"] / 3
    timer = threading.Timer(after, fail)
    timer.start()
    row = locust(stack, people, directory, CONFIG["rate"], CONFIG["redis_down_duration"])
    timer.join()
    status, _headers, body = get(stack.url("/readyz"))
    row.update(
        name=f"mix at {CONFIG['rate']} req/s, Redis {how} after {after:.0f} s of "
        f"{CONFIG['redis_down_duration']} s",
        checked=True,
        target_text="0 errors",
    )
    judge(row)
    log(f"  {row['rps']:,.0f} req/s, {row['errors']} errors, {row['result']}")
    return row, f"`{status} {body.strip()[:200]}`." if status != 404 else "absent (404)."


def slow_clients(stack, count=4, stop=None):
    """Connections that send one header line every 2 s and never finish; they reconnect when
    the server gives up on them, as an attacker would."""

    def trickle():
        while not stop.is_set():
            try:
                with socket.create_connection((HOST, stack.port), timeout=5) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    while not stop.wait(2):
                        sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                stop.wait(0.2)

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


# --- the document ----------------------------------------------------------------------------


def shown_ratio(row):
    """Two decimals, or three where two would round a ratio across its target (0.296: 0.30)."""
    ratio, target = row.get("ratio"), row.get("target")
    if ratio is None:
        return "—"
    if target is not None and abs(ratio - target) < 0.005:
        return f"{ratio:.3f}"
    return f"{ratio:.2f}"


def table(rows):
    lines = [
        "| measure | req/s | ratio | p95 ms | p99 ms | errors | target | result |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['rps']:,.0f} | {shown_ratio(row)} | {row['p95'] / 1000:.1f} | "
            f"{row['p99'] / 1000:.1f} | {row['errors']} | {row.get('target_text', '')} | "
            f"{row['result']} |"
        )
    return "\n".join(lines)


def queries_table(report):
    few, many = report["members"]["bench-few"], report["members"]["bench-history"]
    lines = [
        f"| page | queries, {few['audits']} audits | queries, {many['audits']} audits | "
        f"CPU ms/request, {many['audits']} audits |",
        "|---|---:|---:|---:|",
    ]
    for name, count in few["queries"].items():
        cpu = many["cpu_ms"].get(name)
        lines.append(
            f"| {name} | {count} | {many['queries'][name]} | {f'{cpu:.2f}' if cpu else '—'} |"
        )
    if log := report.get("log"):
        for name, count in log["queries"].items():
            cpu = log["cpu_ms"].get(name)
            shown = f"{cpu:.2f}" if cpu else "—"
            lines.append(f"| {name}, {log['entries']:,} log entries | {count} | | {shown} |")
    for name, data in report["catalogue"].items():
        cpu = data["cpu_ms"]
        lines.append(f"| visitor: {name} | {data['queries']} | | {f'{cpu:.2f}' if cpu else '—'} |")
    for name, cpu in report.get("floor", {}).items():
        lines.append(f"| for scale: {name} | | | {cpu:.2f} |")
    return "\n".join(lines)


def write_doc(report):
    kept = "\n"
    if DOC.exists():
        old = DOC.read_text()
        for marker in (KEEP_MARKER, *OLD_MARKERS):
            if marker in old:
                kept = old.split(marker, 1)[1]
                break
    c = report["config"]
    DOC.write_text(f"""# Performance

Measured by `make bench` (bench/run.py) on {report["date"]}, code at {report["revision"]}; the run
took {report["seconds"]:.0f} s. Rows are ratios to a reference on the same stack in the same run:
compare those, not absolute numbers across runs.

## Setup

- {report["machine"]}
- nginx (deploy/nginx.conf, as `make serve` runs it) on 127.0.0.1 in front of gunicorn on a unix
  socket, {c["workers"]} sync workers, DEBUG off, `DJANGO_BEHIND_PROXY=1`, `DJANGO_PROXY_COUNT=2`
  (a load balancer in front of nginx: each walking visitor sends its own X-Forwarded-For),
  `DJANGO_INSECURE_HTTP=1` (plain http on 127.0.0.1); a private Redis for the cache; PostgreSQL
  {report["postgresql"]} in a database of the bench's own. Served with bench/settings.py: the
  site and the floor page, `/bench/floor/` (the base template with an empty content block,
  through the whole middleware stack), which only the bench has.
- Data: {report["data"]}
- Ratio rows: wrk on the same 2 cores, one thread per connection, so each connection is one
  person (bench/people.lua), each asking again as soon as it has its answer; {c["duration"]} s
  and {c["connections"]} connections per row. Their reference (/healthz, or the floor for a
  visitor or a signed-in member) runs for {c["reference"]} s before and after each row, and the
  ratio divides by the mean of the two; when they differ by more than {c["unsteady"]:.0%}, the
  row is measured again (at most {c["retries"]} more) and the steadiest attempt is kept.
- The mix: Locust (bench/mix.py) at a fixed arrival rate, {c["mix"]} people each sending on
  their own schedule, so a slow site shows as slow answers, not as fewer requests.
- Requests ask for gzip as browsers do. Errors are non-2xx/3xx answers and socket errors.

## Results

{table(report["rows"])}

What each row is:

- **Every cache off** rows: a stack whose caches are all dummy ones (`BENCH_CACHE=dummy`), so
  every request renders its page; each row visits every page of its kind
  ({report["catalogue_sizes"]}).
- **Caches on** rows: the stack as in production, visitors' pages kept in Redis.
- **Member** rows: each request from a different member of {report["readers"]:,} signed-in
  members (their own two newest audits for result and compare); the history of 500 audits is the
  one member who has them.
- **Step POST**: {STEP_MEMBERS} members at once, each saving step 1 of their own audit with their
  CSRF token, again and again (302 each time).
- **The log, starting an audit**: `bench-logger`, whose curiosity log holds
  {c["log_entries"]:,} entries over fourteen months, opens `/log/` (its first page), then starts
  a new audit ({c["connections"]} connections posting the start button with its CSRF token, 302
  each time: every start reads the last twelve months of the log to tick the steps).
- **Mix** ({c["mix"]} people, {c["mix_duration"]} s at {c["rate"]} req/s): {report["mix_text"]}
  {report["walks"]} The highest rate tried ({", ".join(map(str, c["rates"]))} req/s,
  {c["rate_duration"]} s each) whose p95 stayed within {P95_LIMIT} ms with no error:
  **{report["highest_rate"]}**.
- **Redis hung**: the same mix for {c["redis_down_duration"]} s; the private redis-server is
  suspended (SIGSTOP: it accepts connections and answers nothing) a third of the way in and
  resumed when the row ends. {report["readyz_hung"]}
- **Redis stopped**: the same mix for {c["redis_down_duration"]} s; the private redis-server is
  stopped a third of the way in and stays down. `/readyz` before: {report["readyz"]}
- **Slow clients**: 4 connections each send one header line every 2 s (and reconnect when nginx
  drops them) while wrk measures `/healthz` on 4 connections.

## Queries per page, 5 and 500 audits

Counted in one process with Django's CaptureQueriesContext on the bench database (bench/probe.py;
a full render each, cache cleared); CPU per first view in that process as well, and for scale
the floor pages and `/healthz`. Equal counts: **{"yes" if report["queries"]["equal"] else "NO"}**.

{queries_table(report["queries"])}

## Summary

{report["summary"]}

{KEEP_MARKER}{kept}""")


# --- the run ---------------------------------------------------------------------------------


def machine_line():
    cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    versions = {
        "nginx": subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr,  # nosec
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout,  # nosec
        "redis": subprocess.run(["redis-server", "-v"], capture_output=True, text=True).stdout,  # nosec
    }
    short = {
        name: (re.search(r"(\d+\.\d+(?:\.\d+)?)", text) or ["?"])[0]
        for name, text in versions.items()
    }
    return (
        f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else '?'}), load average {load} "
        f"at the start; Python {sys.version.split()[0]}, nginx {short['nginx']}, "
        f"wrk {short['wrk']}, Redis {short['redis']}."
    )


def revision():
    def git(*args):
        return subprocess.run(  # nosec B603
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if dirty else "")


def main():
    started = time.monotonic()
    for tool in ("wrk", "nginx", "redis-server", "runuser"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            fail(f"{tool} is missing: apt-get install -y wrk nginx redis-server")
    if not (Path(PY).parent / "locust").exists():
        fail("Locust is missing: .venv/bin/pip install -e '.[bench]' (make bench does)")
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": revision(),
        "machine": machine_line(),
        "config": CONFIG,
    }
    log("== PostgreSQL")
    report["postgresql"] = ensure_database(CONFIG["database_url"])
    redis, redis_url = start_redis()
    secret_key = secrets.token_urlsafe(50)
    env = app_env(secret_key, redis_url, cache=False)
    log("== migrate, seed_content, collectstatic")
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    run([PY, "manage.py", "seed_content"], env=env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)

    directory = tempfile.mkdtemp(prefix="bench-")
    identities_file = Path(directory) / "identities.json"
    log("== bench data")
    tick = time.monotonic()
    args = [PY, "bench/data.py", "--reset", "--members", str(CONFIG["members"])]
    args += ["--audits-per-member", str(CONFIG["per_member"])]
    args += ["--history-audits", str(CONFIG["history"]), "--identities", str(identities_file)]
    args += ["--log-entries", str(CONFIG["log_entries"])]
    run(args, env=env, timeout=1800)
    report["data"] = (
        f"{CONFIG['members']:,} members × {CONFIG['per_member']} finished audits (6 step answers "
        f"each), `bench-history` with {CONFIG['history']}, `bench-few` with 5 and "
        f"`bench-logger` with 5 and {CONFIG['log_entries']:,} log entries, loaded by "
        f"bench/data.py in {time.monotonic() - tick:.0f} s with a session row per member."
    )
    identities = json.loads(identities_file.read_text())
    members = [
        identity
        for name, identity in sorted(identities.items())
        if name.startswith("bench-0") and len(identity["audits"]) == 2
    ]
    history = identities["bench-history"]
    # Readers take the first part of the members, walkers the last part, steppers the middle.
    walkers = members[-1000:]
    readers = members[: max(len(members) - 1000 - STEP_MEMBERS, 1)]
    step_members = members[len(readers) : len(readers) + STEP_MEMBERS]
    report["readers"] = len(readers)

    log("== queries per page (bench/probe.py)")
    probe_file = Path(directory) / "probe.json"
    probe_env = dict(env, BENCH_DATABASE_URL=CONFIG["database_url"], BENCH_REDIS_URL=redis_url)
    probe_env.pop("BENCH_CACHE")
    run([PY, "bench/probe.py", "--requests", "50", "--json", str(probe_file)], env=probe_env)
    report["queries"] = json.loads(probe_file.read_text())

    rows = []
    log("== every cache off (BENCH_CACHE=dummy)")
    stack = Stack(env)
    pages = catalogue(stack)
    report["catalogue_sizes"] = ", ".join(
        f"{len(paths)} × `{kind}`" for kind, paths in pages.items()
    )
    visitor_floor = dict(VISITOR_FLOOR)
    for kind, paths in pages.items():
        people = {"mix": ["visitor"], "catalogue": paths}
        name = f"caches off: `{kind}`" + (f" ({len(paths)} pages)" if len(paths) > 1 else "")
        rows.append(measured(stack, directory, name, people, 0.25, visitor_floor))
    report["tracebacks_off"] = stack.stop()

    log("== caches on, as in production")
    stack = Stack(app_env(secret_key, redis_url))
    status, _headers, body = get(stack.url("/readyz"))
    report["readyz"] = f"`{status} {body.strip()[:200]}`" if status != 404 else "absent (404)."
    wrk(stack, {"mix": ["visitor"], "catalogue": sum(pages.values(), [])}, directory, duration=3)
    healthz = dict(HEALTHZ)
    for kind, paths in pages.items():
        people = {"mix": ["visitor"], "catalogue": paths}
        name = f"visitor, caches on: `{kind}`"
        rows.append(measured(stack, directory, name, people, 0.5, healthz))
    reader_rows = [[r["session"], *r["audits"]] for r in readers]
    floor = member_floor(reader_rows)
    history_people = {
        "mix": ["reader"],
        "only": "reader:history",
        "readers": [[history["session"], *history["audits"]]],
    }
    rows.append(
        measured(stack, directory, "member: history, 500 audits", history_people, 0.5, floor)
    )
    for kind in ("history", "result", "compare", "account"):
        people = {"mix": ["reader"], "only": f"reader:{kind}", "readers": reader_rows}
        audits = "10 audits, " if kind == "history" else ""
        name = f"member: {kind} ({audits}each request another member)"
        rows.append(measured(stack, directory, name, people, 0.5, floor))
    log(f"== step POST: {STEP_MEMBERS} members")
    step_people = {"mix": ["stepper"], "steppers": steppers(stack, step_members)}
    name = f"audit step POST, {STEP_MEMBERS} members at once"
    rows.append(measured(stack, directory, name, step_people, 0.5, floor, connections=STEP_MEMBERS))
    if logger := identities.get("bench-logger"):
        entries = f"{CONFIG['log_entries']:,} log entries"
        log(f"== a member with {entries}")
        log_people = {"mix": ["reader"], "only": "reader:log", "readers": [[logger["session"]]]}
        name = f"member: the log page, {entries}"
        rows.append(measured(stack, directory, name, log_people, 0.5, floor))
        start_people = {"mix": ["stepper"], "steppers": [audit_starter(stack, logger)]}
        name = f"member: starting an audit, {entries}"
        rows.append(measured(stack, directory, name, start_people, 0.5, floor))

    log(f"== the mix at {CONFIG['rate']} req/s")
    mix_people = {
        "catalogue": sum(pages.values(), []),
        "readers": reader_rows,
        "walkers": [w["session"] for w in walkers],
        "answers": answer_bodies(),
    }
    report["mix_text"] = (
        "half of the people are visitors opening catalogue pages at random (every second one "
        "revalidating pages seen before with `If-None-Match`), three in ten members opening a "
        "history, a result, a comparison or their account (each request another member), one "
        "in ten members walking an audit (GET /audits/new/, POST it, each step's page and its "
        "POST with the page's CSRF token, the result; each walk another of "
        f"{len(walkers):,} members), one in ten visitors walking one the same way, each walk a "
        "new browser with an address of its own."
    )
    locust(stack, mix_people, directory, CONFIG["rate"], 5)  # warm-up
    mixed = locust(stack, mix_people, directory, CONFIG["rate"], CONFIG["mix_duration"])
    mixed.update(
        name=f"mix at {CONFIG['rate']} req/s (open loop), {CONFIG['mix_duration']} s",
        p95_limit=P95_LIMIT,
        checked=True,
        target_text=f"p95 ≤ {P95_LIMIT} ms, 0 errors",
    )
    judge(mixed)
    log(f"  {mixed['name']}: {mixed['rps']:,.0f} req/s, p95 {mixed['p95'] / 1000:.0f} ms, "
        f"{mixed['errors']} errors, {mixed['walks']} audits walked")  # fmt: skip
    log(f"    the cores {mixed['machine_busy']:.0%} busy; Locust itself used "
        f"{mixed['locust_cpu']:.0%} of a core; p95 as nginx logged it "
        f"{mixed['served_p95']:.0f} ms")  # fmt: skip
    for kind, (requests, p95) in sorted(mixed["kinds"].items(), key=lambda item: -item[1][1]):
        log(f"    {kind}: {requests:,} requests, p95 {p95:,.0f} ms")
    log("== the highest rate within the p95 limit")
    best = highest_rate(stack, mix_people, directory)
    report["highest_rate"] = f"{best} req/s" if best else f"none of {CONFIG['rates']}"

    log("== slow clients")
    stop = threading.Event()
    threads = slow_clients(stack, 4, stop)
    time.sleep(3)
    slow = wrk(stack, HEALTHZ["people"], directory, connections=4, duration=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    slow.update(name="/healthz while 4 slow clients trickle headers", p99_limit=1000, checked=True)
    slow["target_text"] = "p99 ≤ 1 s, 0 errors"
    judge(slow)
    log(f"  p99 {slow['p99'] / 1000:.0f} ms, {slow['result']}")

    log("== Redis hung during the mix")
    suspend = partial(os.kill, redis.proc.pid, signal.SIGSTOP)
    hung, readyz = mix_with_redis_failing(stack, mix_people, directory, "hung", suspend)
    report["readyz_hung"] = f"`/readyz` while hung: {readyz}"
    os.kill(redis.proc.pid, signal.SIGCONT)

    log("== Redis stopped during the mix")
    down, readyz = mix_with_redis_failing(stack, mix_people, directory, "stopped", redis.stop)
    report["readyz"] += f" With Redis stopped: {readyz}"
    report["tracebacks_on"] = stack.stop()
    report["walks"] = (
        f"In the mix, {mixed['walks']:,} audits were walked to their result "
        f"({mixed['visitor_walks']:,} of them by visitors) and {mixed['revalidations']:,} pages "
        f"revalidated; with Redis hung, {hung['walks']:,} walked; with Redis stopped, "
        f"{down['walks']:,}. The app logged {report['tracebacks_off']} tracebacks with every "
        f"cache off and {report['tracebacks_on']} with caches on. During the mix the two cores "
        f"were {mixed['machine_busy']:.0%} busy (Locust itself {mixed['locust_cpu']:.0%} of one "
        f"core), and nginx logged a p95 of {mixed['served_p95']:.0f} ms for its requests (Locust "
        f"measured {mixed['p95'] / 1000:.0f} ms). The mix's slowest kinds of "
        "request, by p95: "
        + "; ".join(
            f"{kind} {p95:,.0f} ms ({requests:,} requests)"
            for kind, (requests, p95) in sorted(mixed["kinds"].items(), key=lambda i: -i[1][1])[:6]
        )
        + "."
    )

    references = [reference_row(r) for r in (healthz, visitor_floor, floor) if r.get("runs")]
    rows = [*references, *rows, mixed, hung, down, slow]
    for row in rows:
        if row.get("discarded"):
            row["name"] += f" ({row['discarded'] + 1} tries)"
    queries_ok = report["queries"]["equal"]
    failures = [row["name"] for row in rows if row["result"] == "FAIL"]
    if not queries_ok:
        failures.append("queries per page, 5 vs 500 audits")
    report["seconds"] = time.monotonic() - started
    report["rows"] = rows
    report["summary"] = (
        f"Queries per page for 5 and 500 audits: {'equal' if queries_ok else 'NOT equal'}. "
        f"Highest mix rate within p95 ≤ {P95_LIMIT} ms: {report['highest_rate']}. "
        f"Missed: {'; '.join(failures) if failures else 'nothing'}."
    )
    log()
    log(table(rows))
    log()
    log(report["summary"])
    if CONFIG["write_docs"]:
        write_doc(report)
        log(f"Wrote {DOC.relative_to(ROOT)}")
    shutil.rmtree(directory, ignore_errors=True)
    return 1 if failures and CONFIG["strict"] else 0


def stop_all(*_args):
    raise SystemExit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_all)
    code = 1
    try:
        code = main()
    finally:
        for process in reversed(list(STARTED)):
            process.stop()
    sys.exit(code)
