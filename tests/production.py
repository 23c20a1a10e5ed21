"""Production settings as a process started with a given environment reads them, in-process."""

import os
import runpy
import secrets
from pathlib import Path

SETTINGS = Path(__file__).resolve().parent.parent / "careerguide" / "settings.py"
# Read by Django, not by the settings, and kept while this process reads them: a browser test on
# the same worker has Playwright's event loop running and needs DJANGO_ALLOW_ASYNC_UNSAFE.
IN_PROCESS = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(**extra):
    """The environment of a production process: no debug, a real key, a real host name."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_"))
        and key not in {"DEFAULT_FROM_EMAIL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="careerguide.example",
        # Behind nginx, as the README's production set-up (and deploy/serve.sh) has it.
        DJANGO_PROXY_COUNT="1",
        DJANGO_SITE_URL="https://careerguide.example",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def production_settings(monkeypatch, **extra):
    """careerguide/settings.py read afresh under production_env(**extra): its names and values."""
    env = production_env(**extra)
    for key in set(os.environ) - set(env) - IN_PROCESS:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(SETTINGS))
