"""What every response needs that Django does not do by itself: a cap on request bodies and
the Permissions-Policy header."""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES before anything reads it: Django caps form
    fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but would write any file part to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            # The body is left unread: gunicorn's sync workers close the connection after each
            # response and the development server drains it. (A Connection header of our own
            # would be refused by the development server as hop-by-hop: "A server error".)
            page = loader.get_template("413.html").render({"limit": settings.MAX_REQUEST_BYTES})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
