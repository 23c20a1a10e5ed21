"""Whole-page caching of catalogue pages for visitors, invalidated whenever content changes."""

from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .signals import catalogue_version

# Only these query parameters vary a catalogue page; anything else is rendered, not cached.
CACHEABLE_PARAMS = {"q", "track", "answer"}
PAGE_TIMEOUT = 60 * 60 * 24


def cached_for_visitors(view):
    """Serve visitors without a session from the cache; members always get a fresh render.

    A session cookie may carry messages or a CSRF-bearing logout form, so such requests are
    never answered from (or stored in) the shared cache.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method != "GET"
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not set(request.GET) <= CACHEABLE_PARAMS
        ):
            return varies_with_htmx(view(request, *args, **kwargs))
        key = page_key(request)
        cached = cache.get(key)
        if cached is not None:
            content_type, content = cached
            return varies_with_htmx(HttpResponse(content, content_type=content_type))
        response = view(request, *args, **kwargs)
        # Only successful pages: caching every mistyped address would let anyone fill the cache.
        if response.status_code == 200 and not response.cookies:
            cache.set(key, (response["Content-Type"], response.content), PAGE_TIMEOUT)
        return varies_with_htmx(response)

    return wrapped


def page_key(request):
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else "-"
    digest = sha256(f"{target}|{request.get_full_path()}".encode()).hexdigest()
    return f"page:{catalogue_version()}:{digest}"


def varies_with_htmx(response):
    # The same URL answers htmx with a fragment and browsers with a page; caches must not mix them.
    patch_vary_headers(response, ["HX-Request"])
    return response
