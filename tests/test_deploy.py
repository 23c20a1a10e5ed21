"""`make serve`'s stack: deploy/serve.sh fills in deploy/nginx.conf, and says how to get nginx."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from loopback import client_from
from ports import free_port

ROOT = Path(__file__).resolve().parent.parent
SERVE = ROOT / "deploy" / "serve.sh"
NGINX = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def serve(tmp_path, **env):
    return subprocess.run(
        [str(SERVE)],
        env={**os.environ, "RUN_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_without_nginx_serve_says_how_to_install_it_and_fails(tmp_path):
    result = serve(tmp_path, NGINX=str(tmp_path / "no-nginx-here"))

    assert result.returncode == 1
    assert "apt-get install -y nginx" in result.stderr


@pytest.mark.skipif(not NGINX and not os.environ.get("CI"), reason="nginx is not installed")
def test_the_nginx_configuration_is_valid_and_filled_in(tmp_path):
    # Development settings: the error pages link the stylesheet without collectstatic's manifest.
    result = serve(tmp_path, CHECK_ONLY="1", PORT="8123", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
    config = (tmp_path / "nginx.conf").read_text()
    directives = "\n".join(
        line for line in config.splitlines() if not line.lstrip().startswith("#")
    )
    assert not re.search(r"@[A-Z_]+@", directives)  # every @NAME@ filled in
    assert "listen 127.0.0.1:8123;" in config
    assert f"server unix:{tmp_path}/gunicorn.sock" in config
    assert f"alias {ROOT}/staticfiles/;" in config
    for directive in (
        "client_max_body_size 1m;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "send_timeout 10s;",
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "immutable",
    ):
        assert directive in config, directive


# The stack as `make serve` runs it: nginx on 127.0.0.1, gunicorn on a unix socket ---------------

needs_nginx = pytest.mark.skipif(not NGINX and not os.environ.get("CI"), reason="no nginx")
PASSWORD = "served-stack-not-a-secret-1"  # noqa: S105  # nosec B105
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)


@pytest.fixture(scope="module")
def served():
    """deploy/serve.sh on a free port with production settings over plain http, on a SQLite
    file of its own with one member, carol; yields (base URL, run directory)."""
    work = Path(tempfile.mkdtemp(prefix="careerguide-served-"))
    work.chmod(0o755)  # nginx workers started by root run as nobody: they must reach the socket
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": "served-stack-test-key-" + "x" * 40,
        "DJANGO_INSECURE_HTTP": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PORT": str(port),
        "RUN_DIR": str(work / "run"),
        "TASK_WORKER": "0",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": str(work / "access.log"),
    }
    for name in ("DJANGO_DEBUG", "DJANGO_PROXY_COUNT", "DJANGO_BEHIND_PROXY", "REDIS_URL"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    for args in (
        ["migrate", "--noinput", "-v", "0"],
        ["collectstatic", "--noinput", "-v", "0"],
        ["shell", "-c", "from django.contrib.auth.models import User; "
         f"User.objects.create_user('carol', 'carol@example.test', '{PASSWORD}')"],
    ):  # fmt: skip
        subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, timeout=120)
    stack = subprocess.Popen(
        [str(SERVE)], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=(work / "serve.log").open("w"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(requests.RequestException):
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            time.sleep(0.1)
        else:
            pytest.fail((work / "serve.log").read_text())
        yield base, work / "run"
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def log_in(session, base, login, password):
    page = session.get(base + "/accounts/login/", timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"login": login, "password": password, "csrfmiddlewaretoken": token}
    return session.post(base + "/accounts/login/", data, allow_redirects=False, timeout=30)


@pytest.mark.nginx
@needs_nginx
def test_behind_the_shipped_nginx_each_client_is_counted_by_its_own_address(served):
    """Before: gunicorn on the unix socket saw every client as one empty address: 11 wrong
    passwords for carol from 127.0.0.2, and carol from 127.0.0.3 got 429 too."""
    base, _run_dir = served
    attacker = [log_in(client_from("127.0.0.2"), base, "carol", "wrong") for _ in range(11)]
    assert attacker[-1].status_code == 429

    assert log_in(client_from("127.0.0.3"), base, "carol", PASSWORD).status_code == 302


@pytest.mark.nginx
@needs_nginx
def test_static_files_carry_the_apps_security_headers(served):
    """Before: nginx served /static/ with none of them."""
    base, _run_dir = served
    page = requests.get(base + "/", timeout=30)
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page.text).group(1)
    static = requests.get(base + stylesheet, timeout=30)

    assert static.status_code == 200
    for name in SECURITY_HEADERS:
        assert static.headers.get(name) == page.headers[name], name
    assert "immutable" in static.headers["Cache-Control"]


@pytest.mark.nginx
@needs_nginx
def test_nginx_refuses_a_large_body_with_the_sites_own_413_page_and_headers(served):
    """Before: nginx's 413 was a line of plain text without a title or any security header."""
    base, _run_dir = served
    response = requests.post(base + "/accounts/login/", data=b"x" * (2 * 1024 * 1024), timeout=30)

    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<title>Too much at once · careerguide</title>" in response.content.decode()
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', response.text)
    for name in SECURITY_HEADERS:
        assert name in response.headers, name


@pytest.mark.nginx
@needs_nginx
def test_with_gunicorn_gone_nginx_answers_the_sites_502_page(served):
    base, run_dir = served
    socket_path = run_dir / "gunicorn.sock"
    socket_path.rename(run_dir / "gunicorn.sock.away")
    try:
        response = requests.get(base + "/tracks/", timeout=30)
    finally:
        (run_dir / "gunicorn.sock.away").rename(socket_path)

    assert response.status_code == 502
    assert "· careerguide</title>" in response.content.decode()
    for name in SECURITY_HEADERS:
        assert name in response.headers, name


@pytest.mark.nginx
@needs_nginx
def test_the_stack_keeps_its_control_socket_in_its_run_directory(served):
    """Before: every gunicorn on the machine used ~/.gunicorn/gunicorn.ctl."""
    _base, run_dir = served
    assert (run_dir / "gunicorn.ctl").is_socket()


@pytest.mark.django_db
def test_the_development_server_answers_a_large_body_with_the_413_page(live_server):
    """Before: `make run` (Django's development server, as live_server runs it) answered "A
    server error occurred": the page set a Connection header, which that server refuses."""
    response = requests.post(
        live_server.url + "/accounts/login/", data=b"x" * (2 * 1024 * 1024), timeout=30
    )

    assert response.status_code == 413
    assert "<title>Too much at once · careerguide</title>" in response.content.decode()
