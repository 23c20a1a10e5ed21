"""The address a request came from, as the visitor limit and the log-in rate limit see it."""

from django.conf import settings


def client_address(request):
    """The address a request came from: behind settings.PROXY_COUNT proxies, the one the
    outermost of them saw (each appends to X-Forwarded-For), never a hop the client wrote."""
    if settings.PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= settings.PROXY_COUNT:
            return hops[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
