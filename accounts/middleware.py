"""Account pages are never cached, and GitHub's are a 404 when it is not configured."""

from allauth.socialaccount.models import SocialApp
from django.http import Http404
from django.utils.cache import add_never_cache_headers


class AccountPagesNeverCachedMiddleware:
    """Every page of allauth and accounts is a member's own: Cache-Control private, no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match and match.func.__module__.startswith(("allauth.", "accounts.")):
            add_never_cache_headers(response)
        return response

    def process_exception(self, request, exception):
        # GitHub's pages exist only when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set.
        if isinstance(exception, SocialApp.DoesNotExist):
            raise Http404("Sign-in with GitHub is not configured.")
        return None
