#!/usr/bin/env python3
"""Rerun the findings about the served stack: client addresses, log-in limits, PDFs, headers.

    DATABASE_URL=postgres://…/findings .venv/bin/python bench/served_findings.py [NAME=value…]

Serves this checkout the documented way, `deploy/serve.sh` (nginx on 127.0.0.1:$FINDINGS_PORT,
8291, in front of gunicorn on a unix socket, and a task worker), with production settings over
plain http, on DATABASE_URL: a database of its own, which it empties first (SQLite in a temp
directory when unset). Clients come from 127.0.0.2 and up: every 127.x.y.z is on loopback, so
each looks like another machine. Prints one line per finding; about two minutes; stops the
stack it started.
"""

import contextlib
import os
import re
import secrets
import signal
import statistics
import subprocess  # nosec B404 - our own manage.py and deploy/serve.sh
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from loopback import client_from as client  # noqa: E402  (the tests' loopback clients)

PORT = int(os.environ.get("FINDINGS_PORT", "8291"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "findings-not-a-secret-2026"  # noqa: S105  # nosec B105
PDFS = 20
HEADERS = ("X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options")

SETUP = """
from django.conf import settings
from django.core.cache import caches
from django.contrib.auth import get_user_model
for alias in settings.CACHES:
    caches[alias].clear()  # flush leaves the cache table: no counts from an earlier run
from account_helpers import give_totp
from audit_helpers import audit_until
User = get_user_model()
for name in ("carol", "dave", "erin", "frank", "gina"):
    User.objects.create_user(name, f"{name}@example.test", PASSWORD)
print(give_totp(User.objects.get(username="erin")))
gina = User.objects.get(username="gina")
print(" ".join(str(audit_until(gina, 5).pk) for _ in range(PDFS + 1)))
"""


def csrf(session, path):
    response = session.get(BASE + path, timeout=30)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    page = response.text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def log_in(session, login, password):
    token = csrf(session, "/accounts/login/")
    data = {"login": login, "password": password, "csrfmiddlewaretoken": token}
    return session.post(BASE + "/accounts/login/", data, allow_redirects=False, timeout=30)


def new_visitor_audit(address):
    session = client(address)
    token = csrf(session, "/audits/new/")
    response = session.post(
        BASE + "/audits/new/", {"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30
    )
    return response.status_code


def title(response):
    found = re.search(r"<title>(.*?)</title>", response.text, re.S)
    return found.group(1).strip() if found else None


def headers_of(response):
    return {name: name in response.headers for name in HEADERS}


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main():
    work = Path(tempfile.mkdtemp(prefix="careerguide-served-findings-"))
    work.chmod(0o755)  # nginx workers started by root run as nobody: they must reach the socket
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_INSECURE_HTTP": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_RELEASE": f"findings-{secrets.token_hex(4)}",
        "PORT": str(PORT),
        "RUN_DIR": str(work / "run"),
        "GUNICORN_ACCESS_LOG": str(work / "gunicorn-access.log"),
        # The tests' own helpers make the members, the second factor and the finished audits.
        "PYTHONPATH": str(ROOT / "tests"),
    }
    for name in ("DJANGO_DEBUG", "DJANGO_BEHIND_PROXY", "DJANGO_PROXY_COUNT", "REDIS_URL"):
        env.pop(name, None)
    # Extra settings for the app, e.g. DJANGO_PROXY_COUNT=1, as NAME=value arguments.
    env.update(arg.split("=", 1) for arg in sys.argv[1:])
    python = str(ROOT / ".venv" / "bin" / "python")

    def manage(*args):
        return subprocess.run(
            [python, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
            text=True,
        ).stdout  # fmt: skip

    manage("migrate", "--noinput")
    manage("flush", "--noinput")
    manage("seed_content")
    manage("collectstatic", "--noinput")
    setup = f"PASSWORD = {PASSWORD!r}\nPDFS = {PDFS}\n{SETUP}"
    audits = re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", manage("shell", "-c", setup))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
        check=False,
    ).stdout.strip()  # fmt: skip
    print(f"project: {ROOT} at {commit}")
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    stack = subprocess.Popen(
        [str(ROOT / "deploy" / "serve.sh")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(work / "serve.log", "w"), start_new_session=True,  # noqa: SIM115
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                if requests.get(BASE + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        run_findings(audits)
        run_dir = Path(env["RUN_DIR"])
        print(
            "gunicorn control socket in the run directory:",
            sorted(p.name for p in run_dir.iterdir() if p.name.endswith(".ctl")) or "none",
            "; in ~/.gunicorn:", (Path.home() / ".gunicorn" / "gunicorn.ctl").exists(),
        )  # fmt: skip
        render_times(manage)
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=30)


def run_findings(audits):
    # The member with the PDFs logs in first: on a stack that counts every client as one
    # address, the findings below would shut her out too.
    gina = client("127.0.0.9")
    assert log_in(gina, "gina", PASSWORD).status_code == 302
    carol = [log_in(client("127.0.0.2"), "carol", "wrong").status_code for _ in range(11)]
    owner = log_in(client("127.0.0.3"), "carol", PASSWORD).status_code
    print(f"1. 11 wrong passwords for carol from .2: last {carol[-1]}; carol from .3: {owner}")

    made_up = [log_in(client("127.0.0.2"), f"nobody{n}", "wrong").status_code for n in range(31)]
    dave = log_in(client("127.0.0.4"), "dave", PASSWORD).status_code
    print(f"2. 31 made-up names from .2: last {made_up[-1]}; dave from .4: {dave}")

    visitors = [new_visitor_audit("127.0.0.2") for _ in range(10)]
    other = new_visitor_audit("127.0.0.5")
    print(f"3. 10 visitor audits from .2: {sorted(set(visitors))}; a visitor from .5: {other}")

    frank = [log_in(client("127.0.0.6"), "frank", "wrong").status_code for _ in range(10)]
    spelled = [
        log_in(client("127.0.0.6"), "FRANK@example.test", "wrong").status_code for _ in range(10)
    ]
    owner = log_in(client("127.0.0.8"), "frank", PASSWORD).status_code
    print(
        f"4. 10 failures as frank from .6 (last {frank[-1]}), then as FRANK@example.test: "
        f"{len(spelled) - spelled.count(429)} more refused as wrong, {spelled.count(429)} × 429; "
        f"frank from .8: {owner}"
    )

    erin = client("127.0.0.7")
    stage = log_in(erin, "erin", PASSWORD)
    codes = []
    for _ in range(12):
        token = csrf(erin, "/accounts/2fa/authenticate/")
        response = erin.post(
            BASE + "/accounts/2fa/authenticate/",
            {"code": "000000", "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        codes.append(response.status_code)
    print(f"5. erin's password ({stage.status_code}), then 12 wrong codes: {codes}")

    home = requests.get(BASE + "/", timeout=30).text
    css = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
    static = requests.get(BASE + css, timeout=30)
    print(f"6. {css}: {static.status_code}, headers {headers_of(static)}")
    big = requests.post(BASE + "/accounts/login/", data=b"x" * (2 * 1024 * 1024), timeout=30)
    print(f"7. 2 MiB body: {big.status_code}, headers {headers_of(big)}, title {title(big)!r}")

    pdf_under_load(gina, audits)


def pdf_under_load(gina, audits):
    single, many = audits[0], audits[1:]

    def fetch_until_pdf(audit_id, results):
        started = time.monotonic()
        statuses = []
        while time.monotonic() - started < 300:
            try:
                response = gina.get(f"{BASE}/audits/{audit_id}/export.pdf", timeout=60)
            except requests.RequestException as error:
                statuses.append(type(error).__name__)
                break
            statuses.append(response.status_code)
            if response.headers.get("Content-Type") == "application/pdf":
                break
            if response.status_code >= 400:
                break
            time.sleep(0.5)
        results[audit_id] = (statuses, time.monotonic() - started)

    results = {}
    fetch_until_pdf(single, results)
    statuses, took = results[single]
    print(f"8. one PDF, asked for until it came: {took:.2f} s ({len(statuses)} requests)")

    results, probes, done = {}, [], threading.Event()

    def probe():
        session = client("127.0.0.10")
        while not done.is_set():
            started = time.monotonic()
            with contextlib.suppress(requests.RequestException):
                session.get(BASE + "/healthz", timeout=60)
            probes.append(time.monotonic() - started)
            time.sleep(0.1)

    prober = threading.Thread(target=probe)
    prober.start()
    threads = [threading.Thread(target=fetch_until_pdf, args=(a, results)) for a in many]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    all_done = time.monotonic() - started
    done.set()
    prober.join()
    final = [statuses[-1] for statuses, _ in results.values()]
    first = [statuses[0] for statuses, _ in results.values()]
    print(
        f"9. {PDFS} PDFs at once: first answers {summary(first)}, final {summary(final)}, "
        f"all in {all_done:.1f} s; /healthz meanwhile: {len(probes)} answers, "
        f"p50 {statistics.median(probes) * 1000:.0f} ms, "
        f"p99 {percentile(probes, 0.99) * 1000:.0f} ms, worst {max(probes) * 1000:.0f} ms"
    )


def summary(statuses):
    return {status: statuses.count(status) for status in sorted(set(statuses), key=str)}


def render_times(manage):
    """How long the task worker took per PDF (when the PDFs are made by it)."""
    out = manage(
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult\n"
        "for r in DBTaskResult.objects.filter(task_path__endswith='make_audit_pdf',"
        " finished_at__isnull=False):\n"
        "    print((r.finished_at - r.started_at).total_seconds())",
    )
    times = sorted(float(t) for t in re.findall(r"^[0-9.]+$", out, re.M))
    if times:
        print(
            f"10. the task worker's PDF renders: {len(times)}, "
            f"{times[0]:.2f}–{times[-1]:.2f} s, median {statistics.median(times):.2f} s"
        )


if __name__ == "__main__":
    sys.exit(main())
