"""Whole pages answered from the shared cache, before the view and most middleware run.

A view opts in with ``@cached_page``. An entry belongs to whoever asked: visitors without a
session share one, and each member's session has its own (keyed by the member, the session's
password hash and the CSRF secret the page's forms carry). Each entry records the versions it
was rendered at, the catalogue's and, for a member, the member's own. A curator's save, a change
to a member's audits or account, gives a new random version, so an entry rendered before it is
never served again and simply expires.

Only a page without cookies to set and without messages waiting is stored; anything else is
rendered as usual.
"""

import secrets
from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers, set_response_etag

CATALOGUE_VERSION = "version:catalogue"
VISITOR_TIMEOUT = 60 * 60 * 24
MEMBER_TIMEOUT = 60 * 60


def member_version_key(member_id):
    return f"version:member:{member_id}"


def bump_catalogue(**kwargs):
    if kwargs.get("raw"):  # fixtures being loaded: seed_content bumps once at the end
        return
    new_version(CATALOGUE_VERSION)


def account_version_key(member_id):
    return f"version:account:{member_id}"


def bump_member(member_id, account=False):
    """A change to the member's audits, or with `account`, to their account itself."""
    new_version(member_version_key(member_id))
    if account:
        new_version(account_version_key(member_id))


def watch_catalogue(models):
    """Give the catalogue a new version whenever one of these models is saved or deleted."""
    for model in models:
        uid = f"catalogue-{model._meta.label}"
        post_save.connect(bump_catalogue, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(bump_catalogue, sender=model, dispatch_uid=f"{uid}-deleted")


def version_timeout(key):
    # Members' pages and accounts live an hour in the cache, so their versions need not outlive
    # them.
    return None if key == CATALOGUE_VERSION else MEMBER_TIMEOUT


def new_version(key):
    def change():
        cache.set(key, secrets.token_hex(8), timeout=version_timeout(key))

    change()
    if transaction.get_connection().in_atomic_block:
        # The first change is all that a transaction that never commits sees (a test's). A page
        # rendered before the commit read the old data under that version, so once the change is
        # visible to everyone, move on to yet another one.
        transaction.on_commit(change)


def start_version(key):
    """Give a key that has no version (a cold or emptied cache) its first one."""
    cache.add(key, secrets.token_hex(8), timeout=version_timeout(key))


# This process's copies of catalogue data: name -> (the catalogue version they belong to, value).
LOCAL_CATALOGUE = {}


def catalogue_data(name, build, version=None):
    """What `build()` returns, read from the cache until the catalogue changes.

    For catalogue rows that other pages need (the choices of an audit step): one cache round
    trip instead of one or two queries. A request that has already read the catalogue's current
    `version` (see account_data) gets this process's copy from memory, without a round trip.
    """
    if version is not None:
        local = LOCAL_CATALOGUE.get(name)
        if local is not None and local[0] == version:
            return local[1]
    key = f"data:{name}"
    found = cache.get_many([CATALOGUE_VERSION, key])
    value = versioned_value(found, CATALOGUE_VERSION, key, build, VISITOR_TIMEOUT)
    if found.get(CATALOGUE_VERSION) is not None:
        LOCAL_CATALOGUE[name] = (found[CATALOGUE_VERSION], value)
    return value


def account_data(member_id, build):
    """(what `build()` returns, the catalogue's version): the member's account row, read from the
    cache until the account changes (unlike the member's pages, it stays valid while they save
    audit steps), and in the same round trip the catalogue's version for catalogue_data."""
    version_key, key = account_version_key(member_id), f"data:account:{member_id}"
    found = cache.get_many([version_key, key, CATALOGUE_VERSION])
    return versioned_value(found, version_key, key, build, MEMBER_TIMEOUT), found.get(
        CATALOGUE_VERSION
    )


def versioned_value(found, version_key, key, build, timeout):
    """The entry at `key` among the values `found` if it was stored at the current version,
    else what `build()` returns, stored for the next time."""
    version, entry = found.get(version_key), found.get(key)
    if version is not None and entry is not None and entry[0] == version:
        return entry[1]
    value = build()
    if version is None:
        # As for pages: keep nothing built before the key's first version existed.
        start_version(version_key)
    else:
        cache.set(key, (version, value), timeout=timeout)
    return value


def cached_page(view=None, *, params=()):
    """Let the page cache keep this view's 200 responses for GETs with only `params` in the query.

    The view may also refuse one response by setting ``response.cacheable_page = False``.
    """
    allowed = frozenset(params)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            # The same URL answers htmx with a fragment and browsers with a page.
            patch_vary_headers(response, ["HX-Request"])
            response.cacheable_page = getattr(response, "cacheable_page", True) and (
                set(request.GET) <= allowed
            )
            return response

        wrapped.page_cache = True  # outer decorators copy it on with functools.wraps
        return wrapped

    return decorator(view) if view else decorator


class PageCacheMiddleware:
    """Serve and store pages of ``@cached_page`` views; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owner = self.owner(request) if self.cached_view(request) else None
        if owner is None:
            return self.get_response(request)
        member_id, identity = owner
        version_keys = [CATALOGUE_VERSION]
        if member_id is not None:
            version_keys.append(member_version_key(member_id))
        key = page_key(identity, request)
        found = cache.get_many([*version_keys, key])
        versions = tuple(found.get(k) for k in version_keys)
        entry = found.get(key)
        if entry is not None and entry[0] == versions and None not in versions:
            return replay(entry)

        response = self.get_response(request)
        if None in versions:
            # Store from the next request on, so that a change saved while this page rendered
            # can never hide behind a version made after it.
            for version_key, version in zip(version_keys, versions, strict=True):
                if version is None:
                    start_version(version_key)
        elif self.storable(request, response, member_id):
            if not response.has_header("ETag") and "no-store" not in response.get(
                "Cache-Control", ""
            ):
                set_response_etag(response)
            headers = [(name, value) for name, value in response.items()]
            entry = (versions, response.status_code, headers, response.content)
            cache.set(key, entry, timeout=VISITOR_TIMEOUT if member_id is None else MEMBER_TIMEOUT)
        return response

    @staticmethod
    def cached_view(request):
        if request.method != "GET":
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "page_cache", False)

    @staticmethod
    def owner(request):
        """(member id or None, identity) for a request that may use the cache, else None."""
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None, "visitor"
        session = request.session
        member_id = session.get(SESSION_KEY)
        csrf_secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
        if member_id is None or not csrf_secret or SessionStorage.session_key in session:
            return None
        return member_id, f"member:{member_id}:{session.get(HASH_SESSION_KEY)}:{csrf_secret}"

    @staticmethod
    def storable(request, response, member_id):
        if (
            not getattr(response, "cacheable_page", False)
            or response.status_code != 200
            or response.streaming
            or any(
                # Django renews the CSRF cookie on each page with a form; that one may repeat.
                name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name)
                for name, morsel in response.cookies.items()
            )
        ):
            return False
        user = request.user
        if member_id is None:
            return not user.is_authenticated
        return user.is_authenticated and str(user.pk) == str(member_id)


def page_key(identity, request):
    htmx = "|".join(
        request.headers.get(name, "")
        for name in ("HX-Request", "HX-Target", "HX-History-Restore-Request")
    )
    digest = sha256(f"{identity}|{htmx}|{request.get_full_path()}".encode()).hexdigest()
    return f"page:{digest}"


def replay(entry):
    _versions, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response
