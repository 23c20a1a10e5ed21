"""The apps' dependencies go one way, accounts -> reminders -> logbook -> audits -> tracks: no app
imports careerguide or an app before it in that line."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FORBIDDEN = {
    "tracks": {"careerguide", "audits", "logbook", "reminders", "accounts"},
    "audits": {"careerguide", "logbook", "reminders", "accounts"},
    "logbook": {"careerguide", "reminders", "accounts"},
    "reminders": {"careerguide", "accounts"},
    "accounts": {"careerguide"},
}


def imported_packages(path):
    packages = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_only_what_it_may(app):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[app])
        for path in (ROOT / app).rglob("*.py")
        if imported_packages(path) & FORBIDDEN[app]
    }
    assert offenders == {}
