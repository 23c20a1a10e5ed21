"""Site-wide views: the health checks and the styled error pages."""

import secrets

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness, for load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """For operators: the database and the cache, each on its own. A cache that is down slows
    the site without stopping it, so only the database decides the status code."""
    status = {"database": database_status(), "cache": cache_status()}
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def cache_status():
    probe = secrets.token_hex(8)
    try:
        caches["pages"].set("readyz", probe, timeout=10)
        return "ok" if caches["pages"].get("readyz") == probe else "unavailable"
    except Exception:  # the database cache raises what its database raises
        return "unavailable"


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database: the error may come from either.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
