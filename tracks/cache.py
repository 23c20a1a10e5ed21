"""The catalogue's cache: whole pages for visitors, `{% cache %}` fragments and the rows that
track and company pages are found by, all under the catalogue's version, which a curator's save
renews.

The cache's KEY_PREFIX carries the release (settings.RELEASE), so a deploy starts afresh too. A
cache that is down or full is a miss: pages are rendered from the database, never an error.
"""

import secrets
from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers

VERSION_KEY = "catalogue-version"
PAGE_TIMEOUT = 60 * 60


def catalogue_version(request):
    """The current version, or a new one if the cache has none (emptied, restarted, restored),
    read once per request: the page's key and its fragments agree, and a cache that is down or
    slow is asked once.

    When the cache cannot keep one, a version of this request alone: nothing stored under it is
    ever read back.
    """
    if not hasattr(request, "catalogue_version"):
        version = cache.get(VERSION_KEY)
        if version is None:
            version = secrets.token_hex(8)
            if cache.add(VERSION_KEY, version, timeout=None) is False:  # another request's first
                version = cache.get(VERSION_KEY) or version
        request.catalogue_version = version
    return request.catalogue_version


def renew_catalogue_version(**kwargs):
    """Receiver for content saves and deletions: what was cached is never served again."""
    if kwargs.get("raw"):  # fixtures being loaded: seed_content renews once at the end
        return

    def renew():
        cache.delete(VERSION_KEY)  # the next request starts a new one (catalogue_version)

    renew()
    # A page rendered between the save and the commit read the old rows under the new version:
    # once the change is visible to everyone, move on once more.
    transaction.on_commit(renew)


def catalogue_row(request, name, queryset, slug, timeout=PAGE_TIMEOUT):
    """The row of `queryset` at `slug` as the catalogue's current version has it: a track's or a
    company's page needs it before its fragment, so it is read from the database once per version.
    Only rows that exist are kept (an unknown slug is a 404 and leaves nothing behind); `name`
    tells the querysets apart (a curator's preview of unpublished tracks from the public ones)."""
    if len(slug) > queryset.model._meta.get_field("slug").max_length:
        raise Http404("No such page.")  # no row has it: neither the cache nor the table is asked
    key = f"row:{catalogue_version(request)}:{name}:{slug}"
    row = cache.get(key)
    if row is None:
        row = get_object_or_404(queryset, slug=slug)
        cache.set(key, row, timeout=timeout)
    return row


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
    return f"page:{catalogue_version(request)}:{address}"
