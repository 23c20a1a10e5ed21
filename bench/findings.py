#!/usr/bin/env python3
"""Rerun the cache and request-size findings against a served copy of careerguide.

    .venv/bin/python bench/findings.py [PROJECT_DIR]

PROJECT_DIR (default: this checkout) is served with gunicorn on 127.0.0.1, production settings,
a SQLite file of its own and a Redis of its own (a private redis-server capped at 8 MB with
noeviction, as the finding was measured). Prints one line per finding. Bounded: a few thousand
requests, about two minutes; stops the servers it started.

Besides the issue's findings, one of its own: a member who signs out while Redis hangs, and
whether that cookie is still signed in once Redis answers again (it must get 302s).
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 - our own gunicorn, manage.py and redis-server
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
PASSWORD = "findings-not-a-secret-2026"  # noqa: S105  # nosec B105


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answers on {HOST}:{port}")


def request(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        content = response.read()
        return response.status, response, content, time.monotonic() - started
    except (TimeoutError, ConnectionError) as error:
        return type(error).__name__, None, b"", time.monotonic() - started
    finally:
        conn.close()


def log_in(port, username):
    status, response, content, _ = request(port, "GET", "/accounts/login/")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
    body = f"login={username}&password={PASSWORD}&csrfmiddlewaretoken={token}"
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://{HOST}:{port}/accounts/login/"}  # fmt: skip
    status, response, _, _ = request(port, "POST", "/accounts/login/", body, headers)
    cookies = [c.split(";")[0] for c in response.msg.get_all("Set-Cookie") or []]
    return status, "; ".join(cookies)


def statuses(port, paths, cookie=""):
    headers = {"Cookie": cookie} if cookie else {}
    return {path: request(port, "GET", path, headers=headers)[0] for path in paths}


def main():
    project = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
    python = project / ".venv" / "bin" / "python"
    work = Path(tempfile.mkdtemp(prefix="careerguide-findings-"))
    redis_port, web_port = free_port(), free_port()
    redis = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(redis_port), "--bind", HOST, "--save", "",
         "--appendonly", "no", "--maxmemory", "8mb", "--maxmemory-policy", "noeviction"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_INSECURE_HTTP": "1",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_RELEASE": "findings",
    }
    env.pop("DJANGO_DEBUG", None)

    def manage(*args, **kwargs):
        subprocess.run([python, "manage.py", *args], cwd=project, env=env, check=True,
                       stdout=subprocess.DEVNULL, **kwargs)  # fmt: skip

    manage("migrate", "--noinput")
    manage("seed_content")
    manage("collectstatic", "--noinput")
    manage("shell", "-c", "from django.contrib.auth.models import User; "
           f"User.objects.create_user('finder', 'finder@example.com', '{PASSWORD}')")  # fmt: skip
    web = subprocess.Popen(
        [project / ".venv" / "bin" / "gunicorn", "careerguide.wsgi", "--bind",
         f"{HOST}:{web_port}", "--workers", "2"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(redis_port), wait_for(web_port)
        pages = ["/", "/tracks/", "/companies/", "/audits/"]
        _, member = log_in(web_port, "finder")
        request(web_port, "GET", "/tracks/")  # in the cache now, if pages are kept
        print(f"project: {project}")
        host = request(web_port, "GET", "/tracks/", headers={"Host": "evil.example"})[0]
        print(f"disallowed Host on a page seen before: {host}")

        junk = [f"/tracks/?q={secrets.token_hex(6)}" for _ in range(200)]
        junk += [f"/companies/?track={secrets.token_hex(6)}" for _ in range(200)]
        counts = {}
        for path in junk:
            status = request(web_port, "GET", path)[0]
            counts[status] = counts.get(status, 0) + 1
        print(f"400 junk catalogue queries, Redis capped at 8 MB (noeviction): {counts}")
        print(f"  then, as a visitor: {statuses(web_port, pages[:3])}")
        print(f"  then, as a member: {statuses(web_port, pages, member)}")

        _, leaver = log_in(web_port, "finder")  # a second session, to sign out while Redis hangs
        page = request(web_port, "GET", "/", headers={"Cookie": leaver})[2]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        redis.send_signal(signal.SIGSTOP)
        hung = {p: request(web_port, "GET", p, headers={"Cookie": member}) for p in pages}
        print("Redis hung (SIGSTOP), member: "
              + ", ".join(f"{p} {r[0]} in {r[3]:.2f} s" for p, r in hung.items()))  # fmt: skip
        headers = {"Cookie": leaver, "Content-Type": "application/x-www-form-urlencoded",
                   "Referer": f"http://{HOST}:{web_port}/"}  # fmt: skip
        out = request(
            web_port, "POST", "/accounts/logout/", f"csrfmiddlewaretoken={token}", headers
        )
        redis.send_signal(signal.SIGCONT)
        time.sleep(6)  # the app servers ask Redis again once their pause (5 s) is over
        after = [
            request(web_port, "GET", "/audits/", headers={"Cookie": leaver})[0] for _ in range(6)
        ]
        print(f"Redis hung, sign-out: {out[0]}; that cookie once Redis answers: {after}")

        redis.terminate(), redis.wait()
        print(f"Redis stopped, visitor: {statuses(web_port, pages[:3])}")
        print(f"Redis stopped, member: {statuses(web_port, pages, member)}")
        status, _ = log_in(web_port, "finder")
        print(f"Redis stopped, log-in POST: {status}")
        status, response, content, _ = request(web_port, "GET", "/readyz")
        print(f"Redis stopped, /healthz: {request(web_port, 'GET', '/healthz')[0]}, "
              f"/readyz: {status} {content[:80]!r}")  # fmt: skip

        size = 200 * 1024 * 1024
        conn = http.client.HTTPConnection(HOST, web_port, timeout=30)
        conn.putrequest("POST", "/accounts/login/")
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        sent, chunk = 0, b"x" * (1024 * 1024)
        try:
            while sent < size:
                conn.send(chunk)
                sent += len(chunk)
        except OSError:
            pass
        try:
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        print(f"200 MiB multipart body to the log-in form: {status} after {sent // 2**20} MiB sent")
    finally:
        web.terminate(), web.wait()
        if redis.poll() is None:
            redis.send_signal(signal.SIGCONT), redis.terminate(), redis.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
