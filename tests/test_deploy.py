"""`make serve`'s stack: deploy/serve.sh fills in deploy/nginx.conf, and says how to get nginx."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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
    result = serve(tmp_path, CHECK_ONLY="1", PORT="8123")

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
