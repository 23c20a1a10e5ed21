"""The settings the bench serves with: the site's own, plus the floor page (bench/urls.py), and
with BENCH_CACHE=dummy no cache at all. Nothing in the product imports this module."""

import os

from careerguide.settings import *  # noqa: F403
from careerguide.settings import BASE_DIR, CACHES, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}
