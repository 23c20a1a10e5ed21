"""The catalogue's cache: whole pages for visitors, and the tracks' newest changes members' pages
list, kept under the catalogue's version.

The version is a row in the database (CatalogueVersion), renewed in the same transaction as a
curator's save, so once the save is visible the pages kept under the older version are never
read again. Pages go to the "pages" cache (Redis, or the database without it), whose key prefix
carries the release. A cache that is down, hung or full is a miss: the page is rendered.
"""

from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .models import CatalogueVersion

PAGE_TIMEOUT = 60 * 60 * 24


def renew_catalogue_version(**kwargs):
    """Receiver for content saves and deletions, inside their transaction."""
    if kwargs.get("raw"):  # fixtures being loaded: seed_content renews once at the end
        return
    CatalogueVersion.renew()


def visitor_page(view=None, *, params=()):
    """Keep a catalogue view's pages for visitors: GETs from browsers without a session, with at
    most the query `params`, one value each. Only 200 responses that set no cookie are stored,
    so an unknown value (the view answers 400 or 404) is never kept.
    """
    allowed = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = page_key(request, allowed)
            cache = caches["pages"]
            if key is None:
                response = view(request, *args, **kwargs)
            elif (entry := cache.get(key)) is not None:
                response = HttpResponse(entry["content"], content_type=entry["content_type"])
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.cookies:
                    entry = {"content": response.content, "content_type": response["Content-Type"]}
                    cache.set(key, entry, timeout=PAGE_TIMEOUT)
            # The header names a member or a visitor; htmx gets a fragment of the same URL.
            patch_vary_headers(response, ["Cookie", "HX-Request"])
            return response

        return wrapped

    return decorator(view) if view else decorator


def page_key(request, allowed):
    """The key of a request's page in the cache, or None for a request the cache must not take."""
    if (
        not settings.PAGE_CACHE
        or request.method != "GET"
        or request.htmx
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or not set(request.GET) <= allowed
        or any(len(values) > 1 for _name, values in request.GET.lists())
    ):
        return None
    query = "&".join(f"{name}={request.GET[name]}" for name in sorted(request.GET))
    address = sha256(f"{request.get_host()}{request.path}?{query}".encode()).hexdigest()
    return f"page:{CatalogueVersion.current()}:{address}"


def kept_under_version(name, token, compute):
    """`compute()`, kept in the "pages" cache under the catalogue's version `token`: what is kept
    is read only while no change to the catalogue has been saved."""
    cache = caches["pages"]
    key = f"{name}:{token}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=PAGE_TIMEOUT)
    return value
