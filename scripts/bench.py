#!/usr/bin/env python3
"""Load benchmark on PostgreSQL: throughput per endpoint against /healthz, with pass/fail targets.

    make bench            # or: .venv/bin/python scripts/bench.py

What it does, bounded in time (about 6-8 minutes with the defaults) and only against 127.0.0.1:

1. PostgreSQL database `careerguide_bench` (created if missing), migrate, seed_content,
   collectstatic, then `make_bench_data --reset` (bench members with finished audits, plus
   `bench-history` with 500 audits).
2. gunicorn with production settings (random DJANGO_SECRET_KEY, DJANGO_INSECURE_HTTP=1, no
   DJANGO_DEBUG, one sync worker per core and one more, as `make serve` starts,
   DJANGO_CONN_MAX_AGE=60, REDIS_URL when Redis answers)
   on a free port of 127.0.0.1.
3. wrk from a second process: /healthz, the catalogue as a visitor, member pages (history of 500
   audits, a result, a compare page) with a session cookie from the real login form, POSTs of an
   audit step with their CSRF tokens (20 members at once, each on their own draft; then every
   connection on one draft); then the same pages rendered in full (a query parameter keeps them
   out of the page cache). Then 50 connections for 60 s over a mix of all of them.
4. A hashed static file with Accept-Encoding br and gzip: Cache-Control and Content-Encoding.
5. Two gunicorn instances on one database: an audit begun on A and finished on B shows the same
   recommendation on both (with Redis sessions and with database sessions).
6. Prints the table and writes docs/PERFORMANCE.md (anything below the "kept" marker survives).

Environment (defaults in brackets): BENCH_MEMBERS [2000], BENCH_AUDITS_PER_MEMBER [10],
BENCH_HISTORY_AUDITS [500], BENCH_DURATION [10] seconds per endpoint, BENCH_REFERENCE_DURATION
[5] seconds of /healthz between endpoints, BENCH_THREADS [2],
BENCH_CONNECTIONS [20], BENCH_CONCURRENCY [50], BENCH_CONCURRENCY_DURATION [60], BENCH_WORKERS
[cores + 1], BENCH_DATABASE_URL [postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench],
BENCH_REDIS [auto; 0 for database cache and sessions; or a redis:// URL on 127.0.0.1],
BENCH_LOAD_DATA [1; 0 keeps the data already there], BENCH_TWO_SERVERS [1], BENCH_WRITE_DOCS [1],
BENCH_STRICT [0; 1 exits with status 1 when a target fails], BENCH_STEP_MEMBERS [20],
BENCH_UNSTEADY_PERCENT [15] and BENCH_RETRIES [2]: a row with a target is measured again when
the /healthz runs around it differ by more than that, and the attempt with the steadiest
/healthz around it is kept, whatever its result (the others are listed in the document).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 - runs our own manage.py, gunicorn and wrk
import sys
import tempfile
import time
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from answers import RETRIEVAL_ANSWERS  # noqa: E402  (SIGIR and Glean: Retrieval)

PY = sys.executable
BIN = Path(PY).parent
HOST = "127.0.0.1"
DOC = ROOT / "docs" / "PERFORMANCE.md"
KEEP_MARKER = "<!-- Everything below this line is kept when scripts/bench.py rewrites the file. -->"
BENCH_PASSWORD = "bench-not-a-secret-2026"  # noqa: S105  # nosec B105 - make_bench_data's
HISTORY_MEMBER = "bench-history"
DRAFT_MEMBER = "bench-000001"
TWO_SERVER_MEMBER = "bench-000002"
TYPICAL_MEMBER = "bench-000003"
# Members who each save a step of their own draft at the same time, as members taking the audit
# do: bench-000004 onwards.
STEP_MEMBER_FIRST = 4
STEP_POST_BODY = {"years": "2-3", "tried": "retrieval"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_flag(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


CONFIG = {
    "members": env_int("BENCH_MEMBERS", 2000),
    "per_member": env_int("BENCH_AUDITS_PER_MEMBER", 10),
    "history": env_int("BENCH_HISTORY_AUDITS", 500),
    "duration": env_int("BENCH_DURATION", 10),
    "reference": env_int("BENCH_REFERENCE_DURATION", 5),
    # A row with a target is measured again (up to `retries` times) when the /healthz runs
    # around it differ by more than this share: the machine's speed changed during the row.
    "unsteady": env_int("BENCH_UNSTEADY_PERCENT", 15) / 100,
    "retries": env_int("BENCH_RETRIES", 2),
    "threads": env_int("BENCH_THREADS", 2),
    "connections": env_int("BENCH_CONNECTIONS", 20),
    "concurrency": env_int("BENCH_CONCURRENCY", 50),
    "concurrency_duration": env_int("BENCH_CONCURRENCY_DURATION", 60),
    # As `make serve`: a sync worker waiting on PostgreSQL or Redis leaves its core idle, and one
    # more worker than cores fills that time (scripts/compare_workers.py measures it).
    "workers": env_int("BENCH_WORKERS", (os.cpu_count() or 1) + 1),
    "database_url": os.environ.get(
        "BENCH_DATABASE_URL",
        "postgres://careerguide:careerguide@127.0.0.1:5432/careerguide_bench",
    ),
    "redis": os.environ.get("BENCH_REDIS", "auto").strip() or "auto",
    "load_data": env_flag("BENCH_LOAD_DATA", True),
    "two_servers": env_flag("BENCH_TWO_SERVERS", True),
    "write_docs": env_flag("BENCH_WRITE_DOCS", True),
    "strict": env_flag("BENCH_STRICT", False),
    "step_members": env_int("BENCH_STEP_MEMBERS", 20),
}

SERVERS = []  # every gunicorn we started, stopped in `finally`


def log(message=""):
    print(message, flush=True)


def fail(message):
    raise SystemExit(f"bench: {message}")


def only_localhost(url):
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost"}:
        fail(f"{url} is not on 127.0.0.1: the benchmark only ever targets this machine.")


# --- services --------------------------------------------------------------------------------


def run(args, env=None, timeout=600, quiet=False):
    started = time.monotonic()
    result = subprocess.run(  # nosec B603 - fixed argument lists
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        log(result.stdout[-3000:])
        log(result.stderr[-3000:])
        fail(f"{' '.join(map(str, args))} exited with {result.returncode}")
    if not quiet and result.stdout.strip():
        for line in result.stdout.strip().splitlines():
            log(f"    {line}")
    return result.stdout, time.monotonic() - started


def ensure_database(url):
    """Create the bench database (and, as root, the role) if missing."""
    import psycopg

    parts = urlsplit(url)
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    name = parts.path.lstrip("/")
    admin = {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": user,
        "password": password,
        "dbname": "postgres",
    }
    ready = subprocess.run(["pg_isready", "-h", parts.hostname, "-q"], check=False)  # nosec
    if ready.returncode and os.geteuid() == 0 and shutil.which("pg_ctlcluster"):
        versions = sorted(os.listdir("/etc/postgresql"))
        subprocess.run(  # nosec B603 B607
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
            check=False,
        )
        time.sleep(3)
    try:
        connection = psycopg.connect(**admin, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError:
        if os.geteuid() != 0:
            raise
        sql = f"CREATE ROLE {user} LOGIN PASSWORD '{password}' CREATEDB"  # nosec B608
        subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-c", sql], check=True)  # nosec
        connection = psycopg.connect(**admin, autocommit=True, connect_timeout=10)
    with connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone():
            return False
        try:
            connection.execute(f'CREATE DATABASE "{name}"')
        except psycopg.errors.InsufficientPrivilege:
            subprocess.run(  # nosec B603 B607
                ["runuser", "-u", "postgres", "--", "createdb", "-O", user, name], check=True
            )
    return True


def postgres_version(url):
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def redis_url():
    """The Redis URL to use, or '' for the database cache and sessions."""
    choice = CONFIG["redis"]
    if choice.lower() in {"0", "no", "off", "false"}:
        return ""
    url = "redis://127.0.0.1:6379/1" if choice == "auto" else choice
    only_localhost(url)
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2)
        client.ping()
        CONFIG["redis_version"] = client.info("server").get("redis_version", "?")
        return url
    except Exception as error:
        if choice != "auto":
            fail(f"Redis at {url} does not answer: {error}")
        return ""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def app_env(redis, secret_key):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        {
            "DATABASE_URL": CONFIG["database_url"],
            "DJANGO_SECRET_KEY": secret_key,
            "DJANGO_INSECURE_HTTP": "1",
            "DJANGO_CONN_MAX_AGE": "60",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis:
        env["REDIS_URL"] = redis
    return env


class Server:
    """One gunicorn in its own process group, so stopping it stops its workers too."""

    def __init__(self, name, env):
        self.name, self.env, self.port = name, env, free_port()
        self.proc = None
        self.access_log = str(Path(tempfile.gettempdir()) / f"bench-access-{name}-{self.port}.log")
        self.logfile = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix=f"bench-gunicorn-{name}-", suffix=".log", delete=False
        )

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self):
        args = [
            str(BIN / "gunicorn"),
            "careerguide.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(CONFIG["workers"]),
            "--log-level",
            "warning",
            "--access-logfile",
            self.access_log,
        ]
        self.proc = subprocess.Popen(  # nosec B603
            args,
            cwd=ROOT,
            env=self.env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        SERVERS.append(self)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, _headers, _body = Client(self.port).get("/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        tail = self.log_tail()
        self.stop()
        fail(f"gunicorn {self.name} did not answer /healthz; log:\n{tail}")

    def cpu_seconds(self):
        """User + system CPU of this gunicorn's workers so far (Linux /proc)."""
        if self.proc is None:
            return 0.0
        return sum(seconds for _name, parent, seconds in processes() if parent == self.proc.pid)

    def served(self):
        """Requests answered so far: lines of the access log."""
        try:
            with open(self.access_log, "rb") as log_file:
                return sum(
                    chunk.count(b"\n") for chunk in iter(lambda: log_file.read(1 << 16), b"")
                )
        except OSError:
            return 0

    def wait_idle(self, limit=15.0):
        """Wait until the workers stop using CPU: requests wrk left queued are finished."""
        deadline = time.monotonic() + limit
        last = self.cpu_seconds()
        quiet = 0
        while time.monotonic() < deadline and quiet < 2:
            time.sleep(0.3)
            now = self.cpu_seconds()
            quiet = quiet + 1 if now - last < 0.02 else 0
            last = now

    def log_tail(self, size=3000):
        try:
            return Path(self.logfile.name).read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.proc = None
        if self in SERVERS:
            SERVERS.remove(self)
        self.logfile.close()
        tail = self.log_tail()
        if "Traceback" in tail or "[ERROR]" in tail:
            log(f"  gunicorn {self.name} logged errors:\n{tail}")
        Path(self.access_log).unlink(missing_ok=True)
        Path(self.logfile.name).unlink(missing_ok=True)


# --- a tiny browser: cookies, CSRF tokens, no redirects followed -------------------------------


class Client:
    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=60)
        sent = {"Host": f"{HOST}:{self.port}", "User-Agent": "careerguide-bench"}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for header in response.msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            lowered = {key.lower(): value for key, value in response.getheaders()}
            return response.status, lowered, content
        finally:
            connection.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data):
        return self.request("POST", path, data=data)

    def text(self, path, expect=200):
        status, headers, content = self.get(path)
        if status != expect:
            fail(f"GET {path} answered {status} (expected {expect}) {headers.get('location', '')}")
        return content.decode()

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))


def csrf_token(page):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        fail("no CSRF token on the page")
    return match.group(1)


def login(port, username, password=BENCH_PASSWORD):
    client = Client(port)
    token = csrf_token(client.text("/accounts/login/"))
    status, headers, _ = client.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": username, "password": password},
    )
    if status != 302 or "sessionid" not in client.cookies:
        fail(f"logging in as {username} answered {status}: is the bench data loaded?")
    client.text(headers["location"])  # shows (and so consumes) the welcome message
    return client


def post_step(client, audit_id, step, answers):
    path = f"/audits/{audit_id}/step/{step}/"
    token = csrf_token(client.text(path))
    status, headers, _ = client.post(path, {"csrfmiddlewaretoken": token, **answers})
    if status != 302:
        fail(f"POST {path} answered {status}")
    return headers["location"]


def start_draft(client):
    token = csrf_token(client.text("/audits/new/"))
    status, headers, _ = client.post("/audits/new/", {"csrfmiddlewaretoken": token})
    match = re.search(r"/audits/([0-9a-f-]{36})/step/0/", headers.get("location", ""))
    if status != 302 or not match:
        fail(f"starting an audit answered {status}")
    client.text(headers["location"])  # consume the "has started" message
    return match.group(1)


def recommendation(page):
    match = re.search(r'<p id="recommendation"[^>]*>(.*?)</p>', page, re.S)
    if not match:
        return ""
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return re.sub(r"\s+", " ", text).strip()


# --- wrk -------------------------------------------------------------------------------------

LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"connect\":%d,\"read\":%d," ..
    "\"write\":%d,\"status\":%d,\"timeout\":%d,\"p50\":%d,\"p95\":%d,\"p99\":%d,\"max\":%d}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max))
end
"""


def lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_lua(directory, name, body):
    path = Path(directory) / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.lua"
    path.write_text(body + LUA_DONE)
    return path


def wrk(
    server,
    name,
    path,
    directory,
    *,
    cookie="",
    method="GET",
    body="",
    headers=None,
    connections=None,
    duration=None,
    script=None,
):
    only_localhost(server.url)
    connections = connections or CONFIG["connections"]
    duration = duration or CONFIG["duration"]
    if script is None:
        lua = ""
        if method != "GET":
            lua += f"wrk.method = {lua_string(method)}\n"
            lua += f"wrk.body = {lua_string(body)}\n"
            lua += 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        script = write_lua(directory, name, lua)
    args = [
        "wrk",
        f"-t{min(CONFIG['threads'], connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(script),
    ]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    args.append(server.url + (path if path.startswith("/") else "/"))
    server.wait_idle()
    cpu_before, served_before = server.cpu_seconds(), server.served()
    idle_before = idle_ticks()
    result = subprocess.run(  # nosec B603 B607
        args, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    idle_after = idle_ticks()
    # Requests wrk left queued are still answered: count them, and their CPU, before moving on.
    server.wait_idle()
    cpu, served = server.cpu_seconds() - cpu_before, server.served() - served_before
    match = re.search(r"^BENCHJSON (.*)$", result.stdout, re.M)
    if result.returncode != 0 or not match:
        fail(f"wrk failed for {name}: {result.stdout}\n{result.stderr}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    data["cpu_ms"] = cpu * 1000 / served if served else 0.0
    data["served"] = served
    # Cores idle while wrk ran: under load, a sign of workers waiting on PostgreSQL or Redis.
    data["idle"] = (idle_after[0] - idle_before[0]) / max(idle_after[1] - idle_before[1], 1)
    data.update(
        {
            "name": name,
            "path": path,
            "method": method,
            "connections": connections,
            "duration": duration,
        }
    )
    return data


def processes():
    """(name, parent pid, user + system CPU seconds so far) of every process (Linux /proc)."""
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process has ended
            continue
        name, _, rest = text[text.index("(") + 1 :].rpartition(")")
        fields = rest.split()
        yield name, int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks_per_second


def idle_ticks():
    """(idle and iowait ticks, all ticks) of the machine's cores so far (Linux /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    return int(fields[3]) + int(fields[4]), sum(int(value) for value in fields)


def mixed_script(directory, port, requests, name="mixed"):
    """A wrk script cycling through (method, path, cookie, body) requests."""
    entries = []
    for method, path, cookie, body in requests:
        headers = [f'["Host"] = "{HOST}:{port}"']
        if cookie:
            headers.append(f'["Cookie"] = {lua_string(cookie)}')
        if body:
            headers.append('["Content-Type"] = "application/x-www-form-urlencoded"')
        entries.append(
            f"  {{{lua_string(method)}, {lua_string(path)}, {{{', '.join(headers)}}}, "
            f"{lua_string(body) if body else 'nil'}}}"
        )
    lua = (
        "local specs = {\n" + ",\n".join(entries) + "\n}\n"
        "local prepared = {}\n"
        "local counter = 0\n"
        "init = function(args)\n"
        "  for i, s in ipairs(specs) do prepared[i] = wrk.format(s[1], s[2], s[3], s[4]) end\n"
        "  counter = math.random(#prepared) - 1\n"
        "end\n"
        "request = function()\n"
        "  counter = counter % #prepared + 1\n"
        "  return prepared[counter]\n"
        "end\n"
    )
    return write_lua(directory, name, lua)


# --- checks ----------------------------------------------------------------------------------


def static_check(server):
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    paths = manifest["paths"]
    ours = [k for k in sorted(paths) if not k.startswith("admin/")] or sorted(paths)
    css = [k for k in ours if k.endswith(".css")] or ours
    # The largest of our stylesheets: the one every page loads, compressed both ways.
    name = max(css, key=lambda k: (ROOT / "staticfiles" / paths[k]).stat().st_size)
    url = f"/static/{paths[name]}"
    client = Client(server.port)
    rows = []
    for encoding in ("br", "gzip"):
        status, headers, content = client.get(url, headers={"Accept-Encoding": encoding})
        cache_control = headers.get("cache-control", "")
        max_age = re.search(r"max-age=(\d+)", cache_control)
        far_future = bool(max_age) and int(max_age.group(1)) >= 365 * 24 * 3600
        ok = (
            status == 200
            and headers.get("content-encoding") == encoding
            and far_future
            and "immutable" in cache_control
        )
        rows.append(
            {
                "asset": url,
                "accept": encoding,
                "status": status,
                "content_encoding": headers.get("content-encoding", "(none)"),
                "cache_control": cache_control or "(none)",
                "bytes": len(content),
                "pass": ok,
            }
        )
    return rows


def two_server_check(redis, secret_key, label):
    """Begin an audit on A, finish it on B, and read the same recommendation on both."""
    env = app_env(redis, secret_key)
    first = Server(f"A-{label}", env).start()
    second = Server(f"B-{label}", env).start()
    try:
        client = login(first.port, TWO_SERVER_MEMBER)
        audit_id = start_draft(client)
        for step in range(3):
            post_step(client, audit_id, step, RETRIEVAL_ANSWERS[step])
        client.port = second.port  # the same cookies, the other server
        location = ""
        for step in range(3, 6):
            location = post_step(client, audit_id, step, RETRIEVAL_ANSWERS[step])
        result_path = f"/audits/{audit_id}/result/"
        on_b = recommendation(client.text(result_path))
        client.port = first.port
        on_a = recommendation(client.text(result_path))
        ok = bool(on_a) and on_a == on_b and "Retrieval" in on_a and location.endswith(result_path)
        return {
            "label": label,
            "ports": f"{first.port} → {second.port}",
            "on_a": on_a,
            "on_b": on_b,
            "pass": ok,
        }
    finally:
        second.stop()
        first.stop()


# --- reporting -------------------------------------------------------------------------------


def machine():
    info = {"nproc": os.cpu_count()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
        info["ram"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["ram"] = "?"
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = found.group(1).strip() if found else "?"
    except OSError:
        info["cpu"] = "?"
    info["python"] = sys.version.split()[0]
    import django

    info["django"] = django.get_version()
    info["postgresql"] = postgres_version(CONFIG["database_url"])
    info["redis"] = CONFIG.get("redis_version", "")
    gunicorn = subprocess.run(  # nosec B603
        [str(BIN / "gunicorn"), "--version"], capture_output=True, text=True, check=False
    )
    info["gunicorn"] = (gunicorn.stdout or gunicorn.stderr).strip().split()[-1].strip("()")
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)  # nosec
    info["wrk"] = (wrk_version.stdout + wrk_version.stderr).split()[1]
    revision = subprocess.run(  # nosec B603 B607
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(  # nosec B603 B607
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    info["revision"] = revision + (" with uncommitted changes" if dirty else "")
    return info


def loadavg():
    try:
        return Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return ["?"] * 3


def summary_of(runs):
    """One /healthz row from all its runs: mean req/s and CPU, the latencies of the median run."""
    middle = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
    row = dict(middle)
    row["rps"] = sum(r["rps"] for r in runs) / len(runs)
    row["cpu_ms"] = sum(r["cpu_ms"] for r in runs) / len(runs)
    row["idle"] = sum(r["idle"] for r in runs) / len(runs)
    row["errors"] = sum(r["errors"] for r in runs)
    row["reference_rps"], row["reference_cpu_ms"] = row["rps"], row["cpu_ms"]
    low, high = min(r["rps"] for r in runs), max(r["rps"] for r in runs)
    row["name"] = f"/healthz (mean of {len(runs)} runs, {low:,.0f}–{high:,.0f} req/s)"
    row["target"] = None
    return row


def unsteadiness(around):
    """How far apart the two /healthz runs around a row are, as a share of the faster one."""
    low, high = sorted(run["rps"] for run in around)
    return (high - low) / high if high else 0.0


def verdict(row):
    row["ratio"] = row["rps"] / row["reference_rps"] if row["reference_rps"] else 0.0
    row["cpu_ratio"] = row["reference_cpu_ms"] / row["cpu_ms"] if row["cpu_ms"] else 0.0
    target = row.get("target")
    if row.get("target_text"):
        row["result"] = "PASS" if row["errors"] == 0 else "FAIL"
    elif target is None:
        row["result"] = "—"
    else:
        row["result"] = "PASS" if row["ratio"] >= target and row["errors"] == 0 else "FAIL"


def shown_ratio(row):
    """Two decimals, or three where two would round a ratio across its target (0.296: 0.30)."""
    ratio, target = row["ratio"], row.get("target")
    if isinstance(target, int | float) and abs(ratio - target) < 0.005:
        return f"{ratio:.3f}"
    return f"{ratio:.2f}"


def table(rows):
    lines = [
        "| scenario | request | req/s | × /healthz | p50 ms | p95 ms | p99 ms | errors "
        "| app CPU ms/req | /healthz CPU ÷ this | idle cores | target | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        if row.get("target_text"):
            target = row["target_text"]
        elif row.get("target") is not None:
            target = f"≥ {row['target']:.1f} × /healthz"
        else:
            target = "reference" if row["path"] == "/healthz" else "(information)"
        lines.append(
            f"| {row['name']} | `{row['method']} {row['path']}` | {row['rps']:,.0f} | "
            f"{shown_ratio(row)} | {row['p50'] / 1000:.1f} | {row['p95'] / 1000:.1f} | "
            f"{row['p99'] / 1000:.1f} | {row['errors']} | {row['cpu_ms']:.2f} | "
            f"{row['cpu_ratio']:.2f} | {row['idle']:.0%} | {target} | {row['result']} |"
        )
    return "\n".join(lines)


def remeasured_text(rows, c):
    limit = f"{c['unsteady']:.0%}"
    intro = (
        f"A row with a target is measured again, up to {c['retries']} more times, when the two "
        f"`/healthz` runs around it differ by more than {limit}: the machine's speed changed "
        "during the row. The attempt with the steadiest `/healthz` around it is kept, whatever "
        "its result."
    )
    lines = []
    for row in rows:
        for attempt in row.get("discarded", []):
            lines.append(
                f"- {row['name']}: set aside an attempt at {attempt['rps']:,.0f} req/s "
                f"({attempt['ratio']:.2f} × `/healthz`, {attempt['result']}), with the `/healthz` "
                f"runs around it {attempt['unsteady']:.0%} apart ({row['unsteady']:.0%} around "
                "the kept one)."
            )
    if not lines:
        return intro + " In this run no row needed it."
    return intro + " In this run:\n\n" + "\n".join(lines)


def write_doc(report):
    kept = ""
    if DOC.exists():
        old = DOC.read_text()
        if KEEP_MARKER in old:
            kept = old.split(KEEP_MARKER, 1)[1]
    m, c = report["machine"], CONFIG
    static_lines = "\n".join(
        f"| `{r['asset']}` | {r['accept']} | {r['status']} | {r['content_encoding']} | "
        f"`{r['cache_control']}` | {r['bytes']:,} | {'PASS' if r['pass'] else 'FAIL'} |"
        for r in report["static"]
    )
    two_lines = (
        "\n".join(
            f"| {r['label']} | {r['ports']} | {r['on_a']} | {r['on_b']} | "
            f"{'PASS' if r['pass'] else 'FAIL'} |"
            for r in report["two_servers"]
        )
        or "| (not run) | | | | |"
    )
    load = report["load"]
    machine_line = (
        f"{m['nproc']} cores ({m['cpu']}), {m['ram']} RAM; load average "
        f"{' '.join(report['load_before'])} before the run and {' '.join(report['load_after'])} "
        "after (other work on this machine shares the cores)."
    )
    redis_text = f"Redis {m['redis']}" if m["redis"] else "no Redis"
    versions_line = (
        f"Python {m['python']}, Django {m['django']}, PostgreSQL {m['postgresql']}, "
        f"{redis_text}, gunicorn {m['gunicorn']}, wrk {m['wrk']}; code at {m['revision']}."
    )
    wrk_flags = f"`-t{c['threads']} -c{c['connections']} -d{c['duration']}s`"
    text = f"""# Performance

Measured by `scripts/bench.py` on {report["date"]}. Regenerate with:

```
{report["command"]}
```

## Machine and setup

- {machine_line}
- {versions_line}
- Server: gunicorn, {c["workers"]} sync workers, DEBUG off, DJANGO_INSECURE_HTTP=1,
  DJANGO_CONN_MAX_AGE=60, cache and sessions: {report["backend"]}.
- Load generator: wrk on the same machine, {wrk_flags} per row; it shares the cores with the
  server, so compare ratios to `/healthz` from this run, not absolute numbers across runs.
- Data: {load["summary"]}

## Throughput and latency

{table(report["rows"])}

`/healthz` runs for {c["reference"]} s before the first row and after every row; each row's
ratio divides its req/s by the mean of the two `/healthz` runs around it, because other work on
this machine changes how much CPU the server gets. "App CPU ms/req" is the user+system CPU of the
gunicorn workers during the row (from /proc; PostgreSQL's and Redis's own CPU not included)
divided by the requests they answered (from the access log). It moves less with the machine's
other load than req/s does, though it moves too; "/healthz CPU ÷ this" is the throughput ratio
the row would reach if the workers' CPU were the only limit. "Idle cores" is the share of the
machine's CPU time left idle while wrk ran (from /proc/stat): with every worker busy or waiting,
idle cores mean the workers were waiting on PostgreSQL or Redis. Errors are non-2xx/3xx responses
plus socket errors (connect, read, write, timeout at 5 s). Member pages use a session cookie
from the real login form; a step POST sends the CSRF token and expects 302. The step POST with
the target comes from {c["step_members"]} members at once, each saving the first step of their
own draft, as members taking the audit do; the "one draft" row has every connection save the
same step of one draft, so that all of them update the same two rows.

{remeasured_text(report["rows"], c)}

Each row asks for one URL again and again, so after its first request a page comes from the page
cache (`careerguide/pagecache.py`), as it does for anyone who opens a page twice before it
changes. A "full render" row adds a query parameter that the cache never stores: every one of
its requests runs the view and the templates, as the first view of a page does.

## {c["concurrency"]} concurrent connections for {c["concurrency_duration"]} s

{table([report["concurrency"]])}

Mix, cycled per connection: {report["mix"]}.

## Static files

| asset | Accept-Encoding | status | Content-Encoding | Cache-Control | bytes | result |
|---|---|---:|---|---|---:|---|
{static_lines}

## Two app servers, one database

An audit is started on server A (log in, start, steps 1–3), continued on server B with the same
cookies (steps 4–6), and its result page must show the same `#recommendation` on B and on A.

| sessions and cache | ports A → B | #recommendation on A | on B | result |
|---|---|---|---|---|
{two_lines}

## Summary

{report["summary"]}

{KEEP_MARKER}{kept if kept else chr(10)}"""
    DOC.write_text(text)


# --- the run ---------------------------------------------------------------------------------


def main():
    started = time.monotonic()
    only_localhost(CONFIG["database_url"])
    needed = STEP_MEMBER_FIRST + CONFIG["step_members"] - 1
    if CONFIG["members"] < needed:
        fail(f"BENCH_MEMBERS must be at least {needed} for BENCH_STEP_MEMBERS")
    if not shutil.which("wrk"):
        fail("wrk is not installed (apt-get install wrk)")
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": loadavg(),
    }
    overrides = " ".join(
        f"{key}={os.environ[key]}" for key in sorted(os.environ) if key.startswith("BENCH_")
    )
    report["command"] = (overrides + " " if overrides else "") + "make bench  # scripts/bench.py"

    log("== PostgreSQL")
    created = ensure_database(CONFIG["database_url"])
    log(f"  {CONFIG['database_url'].rsplit('/', 1)[-1]}: {'created' if created else 'exists'}")
    redis = redis_url()
    report["backend"] = (
        f"Redis ({redis}; sessions cached_db)" if redis else "database cache, database sessions"
    )
    log(f"  cache and sessions: {report['backend']}")
    secret_key = secrets.token_urlsafe(50)
    env = app_env(redis, secret_key)
    manage = [PY, "manage.py"]
    log("== migrate, seed_content, collectstatic")
    run(manage + ["migrate", "--noinput", "-v", "0"], env=env)
    run(manage + ["seed_content"], env=env)
    run(manage + ["collectstatic", "--noinput", "-v", "0"], env=env)

    load = {}
    if CONFIG["load_data"]:
        log("== make_bench_data")
        args = manage + [
            "make_bench_data",
            "--reset",
            "--members",
            str(CONFIG["members"]),
            "--audits-per-member",
            str(CONFIG["per_member"]),
            "--history-member",
            HISTORY_MEMBER,
            "--history-audits",
            str(CONFIG["history"]),
        ]
        _out, seconds = run(args, env=env, timeout=1800)
        load["summary"] = (
            f"{CONFIG['members']:,} bench members × {CONFIG['per_member']} finished audits "
            f"(6 step answers each) plus `{HISTORY_MEMBER}` with {CONFIG['history']} audits, "
            f"loaded by `make_bench_data` in {seconds:.0f} s (including scoring the answer pool "
            "and hashing the shared password)."
        )
    else:
        load["summary"] = "the bench data already in the database (BENCH_LOAD_DATA=0)."
    report["load"] = load

    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as directory:
        log("== gunicorn")
        server = Server("main", env).start()
        log(f"  {server.url}, {CONFIG['workers']} workers")

        log("== sessions")
        history = login(server.port, HISTORY_MEMBER)
        page = history.text("/audits/")
        ids = list(dict.fromkeys(re.findall(r'name="audit" value="([0-9a-f-]{36})"', page)))
        pages = re.search(r"Page 1 of (\d+)", page)
        if len(ids) < 2 or not pages:
            fail("the history member has too few finished audits")
        middle = max(int(pages.group(1)) // 2, 1)
        result_path = f"/audits/{ids[0]}/result/"
        compare_path = f"/audits/compare/?audit={ids[0]}&audit={ids[1]}"
        if 'id="recommendation"' not in history.text(result_path):
            fail("the result page has no #recommendation")
        if "recommendation" not in history.text(compare_path):
            fail("the compare page does not compare")
        history.text(f"/audits/?page={middle}")
        drafter = login(server.port, DRAFT_MEMBER)
        draft = start_draft(drafter)
        token = csrf_token(drafter.text(f"/audits/{draft}/step/0/"))
        step_body = urlencode({"csrfmiddlewaretoken": token, **STEP_POST_BODY})
        status, headers, _ = drafter.request(
            "POST",
            f"/audits/{draft}/step/0/",
            data={"csrfmiddlewaretoken": token, **STEP_POST_BODY},
        )
        if status != 302 or not headers.get("location", "").endswith("/step/1/"):
            fail(f"the step POST answered {status}, not 302 to step 2")
        member_cookie, draft_cookie = history.cookie_header(), drafter.cookie_header()
        step_posts = []
        for number in range(STEP_MEMBER_FIRST, STEP_MEMBER_FIRST + CONFIG["step_members"]):
            stepper = login(server.port, f"bench-{number:06d}")
            audit = start_draft(stepper)
            token = csrf_token(stepper.text(f"/audits/{audit}/step/0/"))
            body = urlencode({"csrfmiddlewaretoken": token, **STEP_POST_BODY})
            step_posts.append(("POST", f"/audits/{audit}/step/0/", stepper.cookie_header(), body))
        typical_cookie = login(server.port, TYPICAL_MEMBER).cookie_header()
        visitor = Client(server.port)
        catalogue = [
            ("home", "/"),
            ("track list", "/tracks/"),
            ("track detail", "/tracks/retrieval/"),
            ("company list", "/companies/"),
            ("company detail", "/companies/anthropic/"),
        ]
        for _name, path in catalogue:
            status, headers, _ = visitor.get(path)
            if status != 200 or "set-cookie" in headers:
                fail(f"visitor GET {path}: {status}, Set-Cookie {headers.get('set-cookie')}")

        log("== warm-up (not measured)")
        warm = [("GET", "/healthz", "", "")] + [("GET", p, "", "") for _n, p in catalogue]
        warm += [("GET", result_path, member_cookie, "")]
        wrk(
            server,
            "warm-up",
            "/",
            directory,
            duration=3,
            script=mixed_script(directory, server.port, warm),
        )

        plan = [dict(name=f"visitor: {name}", path=path, target=0.8) for name, path in catalogue]
        plan += [
            dict(
                name=f"member: history ({CONFIG['history']} audits)",
                path="/audits/",
                cookie=member_cookie,
                target=0.5,
            ),
            dict(
                name=f"member: history page {middle}",
                path=f"/audits/?page={middle}",
                cookie=member_cookie,
                target=0.5,
            ),
            dict(name="member: result", path=result_path, cookie=member_cookie, target=0.5),
            dict(name="member: compare", path=compare_path, cookie=member_cookie, target=0.5),
            dict(
                name=f"member: audit step POST ({len(step_posts)} members)",
                path=step_posts[0][1],  # the script sends each member's own
                shown="/audits/(each member's draft)/step/0/",
                method="POST",
                script=mixed_script(directory, server.port, step_posts, name="step-posts"),
                target=0.3,
            ),
            # Every connection saving the same step of the same draft: one row updated by all.
            dict(
                name="member: audit step POST, one draft",
                path=f"/audits/{draft}/step/0/",
                cookie=draft_cookie,
                method="POST",
                body=step_body,
            ),
            dict(
                name=f"member: history ({CONFIG['per_member']} audits)",
                path="/audits/",
                cookie=typical_cookie,
            ),
            dict(name="member: track detail", path="/tracks/retrieval/", cookie=member_cookie),
            # An unknown query parameter is never stored: every request renders in full.
            dict(name="visitor: track detail, full render", path="/tracks/retrieval/?render=1"),
            dict(
                name=f"member: history ({CONFIG['history']} audits), full render",
                path="/audits/?render=1",
                cookie=member_cookie,
            ),
            dict(
                name="member: result, full render",
                path=f"{result_path}?render=1",
                cookie=member_cookie,
            ),
            dict(
                name="member: compare, full render",
                path=f"{compare_path}&render=1",
                cookie=member_cookie,
            ),
        ]

        # /healthz runs before the first row and after every row; each row is compared with the
        # mean of the two around it, so other work on the machine skews no ratio for long.
        def reference_run():
            run = wrk(server, "/healthz", "/healthz", directory, duration=CONFIG["reference"])
            log(f"  /healthz {run['rps']:,.0f} req/s, {run['cpu_ms']:.2f} ms CPU/request")
            return run

        references = [reference_run()]
        rows = []
        for item in plan:
            attempts = []
            while True:
                log(f"== wrk {item['name']}")
                row = wrk(
                    server,
                    item["name"],
                    item["path"],
                    directory,
                    cookie=item.get("cookie", ""),
                    method=item.get("method", "GET"),
                    body=item.get("body", ""),
                    script=item.get("script"),
                )
                row["target"] = item.get("target")
                row["path"] = item.get("shown", row["path"])
                log(
                    f"  {row['rps']:,.0f} req/s, p50 {row['p50'] / 1000:.1f} ms, "
                    f"p99 {row['p99'] / 1000:.1f} ms, {row['errors']} errors, "
                    f"{row['cpu_ms']:.2f} ms CPU/request"
                )
                references.append(reference_run())
                around = references[-2:]
                row["reference_rps"] = sum(r["rps"] for r in around) / 2
                row["reference_cpu_ms"] = sum(r["cpu_ms"] for r in around) / 2
                row["unsteady"] = unsteadiness(around)
                verdict(row)
                attempts.append(row)
                if (
                    row["target"] is None
                    or row["unsteady"] <= CONFIG["unsteady"]
                    or len(attempts) > CONFIG["retries"]
                ):
                    break
                log(
                    f"  /healthz went from {around[0]['rps']:,.0f} to {around[1]['rps']:,.0f} "
                    "req/s around this row: the machine's other work changed; measuring it again"
                )
            # The attempt with the steadiest /healthz around it, whatever its result.
            row = min(attempts, key=lambda attempt: attempt["unsteady"])
            row["discarded"] = [attempt for attempt in attempts if attempt is not row]
            rows.append(row)
        healthz = summary_of(references)
        verdict(healthz)
        rows.insert(0, healthz)
        report["references"] = references

        # Still logged in after all that? A 302 to the login page would have looked like success.
        history.text(result_path)
        drafter.text(f"/audits/{draft}/step/1/")

        log(f"== {CONFIG['concurrency']} connections for {CONFIG['concurrency_duration']} s")
        mix = [("GET", "/healthz", "", "")]
        mix += [("GET", path, "", "") for _name, path in catalogue]
        mix += [
            ("GET", "/audits/", member_cookie, ""),
            ("GET", result_path, member_cookie, ""),
            ("GET", compare_path, member_cookie, ""),
            ("POST", f"/audits/{draft}/step/0/", draft_cookie, step_body),
        ]
        concurrency = wrk(
            server,
            f"mixed, {CONFIG['concurrency']} connections",
            "(mix)",
            directory,
            connections=CONFIG["concurrency"],
            duration=CONFIG["concurrency_duration"],
            script=mixed_script(directory, server.port, mix),
        )
        concurrency["method"] = "mix"
        concurrency["reference_rps"] = healthz["rps"]
        concurrency["reference_cpu_ms"] = healthz["cpu_ms"]
        concurrency["target_text"] = "0 errors"
        verdict(concurrency)
        report["mix"] = ", ".join(f"`{m} {p}`" for m, p, _c, _b in mix)
        report["concurrency"] = concurrency
        log(
            f"  {concurrency['rps']:,.0f} req/s, p99 {concurrency['p99'] / 1000:.1f} ms, "
            f"{concurrency['errors']} errors"
        )

        log("== static files")
        report["static"] = static_check(server)
        for row in report["static"]:
            log(
                f"  {row['accept']}: {row['status']} Content-Encoding {row['content_encoding']}, "
                f"Cache-Control {row['cache_control']}"
            )
        server.stop()

    report["two_servers"] = []
    if CONFIG["two_servers"]:
        modes = ([("Redis", redis)] if redis else []) + [("database", "")]
        for label, url in modes:
            log(f"== two servers, {label} sessions")
            outcome = two_server_check(url, secret_key, label)
            report["two_servers"].append(outcome)
            log(f"  A: {outcome['on_a']!r}  B: {outcome['on_b']!r}  {outcome['pass']}")

    report["rows"] = rows
    report["load_after"] = loadavg()
    report["machine"] = machine()
    checks = [(row["name"], row["result"] == "PASS") for row in rows if row["result"] != "—"]
    checks.append(("0 errors at 50 connections", concurrency["result"] == "PASS"))
    checks += [(f"static {r['accept']}", r["pass"]) for r in report["static"]]
    checks += [(f"two servers ({r['label']})", r["pass"]) for r in report["two_servers"]]
    passed = [name for name, ok in checks if ok]
    failures = [name for name, ok in checks if not ok]
    report["summary"] = (
        f"PASS: {', '.join(passed) or 'none'}.\n\n"
        f"Below target: {', '.join(failures) or 'none'}.\n\n"
        f"The run took {time.monotonic() - started:.0f} s."
    )

    log()
    log(table(rows))
    log()
    log(table([concurrency]))
    log()
    for row in report["static"]:
        log(
            f"static {row['asset']} Accept-Encoding {row['accept']}: Content-Encoding "
            f"{row['content_encoding']}, Cache-Control {row['cache_control']} "
            f"{'PASS' if row['pass'] else 'FAIL'}"
        )
    for row in report["two_servers"]:
        log(f"two servers, {row['label']} sessions: {'PASS' if row['pass'] else 'FAIL'}")
    log(report["summary"])
    if CONFIG["write_docs"]:
        write_doc(report)
        log(f"Wrote {DOC.relative_to(ROOT)}")
    return 1 if failures and CONFIG["strict"] else 0


def stop_all(*_args):
    raise SystemExit(130)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_all)
    try:
        code = main()
    finally:
        for running in list(SERVERS):
            running.stop()
    sys.exit(code)
