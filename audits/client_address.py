"""Where a request came from: the one address every per-address limit counts.

Behind settings.PROXY_COUNT proxies (DJANGO_PROXY_COUNT: nginx, plus each load balancer in front
of it) it is the address the outermost of them saw, read from the right of X-Forwarded-For, where
each proxy appends the address it was reached from; never a hop the client wrote itself. Without
proxies it is REMOTE_ADDR. A request without a usable address is refused, never counted: every
such client would share one bucket (gunicorn on a unix socket, as deploy/serve.sh runs it, gives
every request an empty REMOTE_ADDR).
"""

import ipaddress
import logging

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.exceptions import PermissionDenied

logger = logging.getLogger(__name__)

SETTING_HINT = (
    "set DJANGO_PROXY_COUNT to the number of proxies in front of the app "
    "(1 behind deploy/serve.sh's nginx, which sets it itself; 2 with a load balancer before nginx)"
)


class UnknownClientAddress(PermissionDenied):
    """No address to count this request by."""


def client_address(request):
    """The client's address as a normalised IP string; UnknownClientAddress (a 403) without one."""
    if settings.PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        address = hops[-settings.PROXY_COUNT] if len(hops) >= settings.PROXY_COUNT else ""
    else:
        address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        logger.error(
            "Refused a request with no usable client address (REMOTE_ADDR %r, X-Forwarded-For "
            "%r, DJANGO_PROXY_COUNT %s): %s.",
            request.META.get("REMOTE_ADDR"),
            request.META.get("HTTP_X_FORWARDED_FOR"),
            settings.PROXY_COUNT,
            SETTING_HINT,
        )
        raise UnknownClientAddress("The client's address is unknown.") from None


@register(Tags.security, deploy=True)
def check_proxy_count(app_configs, **kwargs):
    if settings.PROXY_COUNT:
        return []
    return [
        Warning(
            "DJANGO_PROXY_COUNT is not set: the client's address is taken from REMOTE_ADDR. "
            "Behind nginx or a load balancer that is the proxy's address (every client shares "
            "one rate limit), and on a unix socket it is empty (every log-in is refused).",
            hint=SETTING_HINT[0].upper() + SETTING_HINT[1:] + ".",
            id="careerguide.W001",
        )
    ]
