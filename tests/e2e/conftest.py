"""Fixtures for the browser tests.

Every e2e test runs against pytest-django's `live_server` (a transactional database, flushed
after each test); the `catalogue` fixture (tests/conftest.py) loads the catalogue again before
the next test that uses the database.
The helpers that drive pages live in browser_helpers.py. A failing test leaves a full-page
screenshot in tests/e2e/artifacts/ (pytest-playwright's --screenshot, set in pyproject.toml).
"""

import pytest
from audit_helpers import PASSWORD


@pytest.fixture(scope="session")
def password():
    return PASSWORD
