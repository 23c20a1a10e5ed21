"""Fixtures for the browser tests: the member password and screenshots.

Every e2e test runs against pytest-django's `live_server` (a transactional database, flushed
after each test), so each test also requests the `content` fixture to get the catalogue back.
The helpers that drive pages live in browser_helpers.py.
"""

import re
from pathlib import Path

import pytest
from audit_helpers import PASSWORD
from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def password():
    return PASSWORD


@pytest.fixture
def shot(request):
    """shot(page) saves tests/e2e/artifacts/<test-name>.png; shot(page, "x") adds "-x"."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.\[\]-]+", "_", request.node.name)

    def take(page: Page, suffix: str = ""):
        path = ARTIFACTS / f"{name}{'-' + suffix if suffix else ''}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
