"""A deploy check: mail the worker sends links to the site's real address."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register


def is_local(host):
    if host in {"", "localhost"} or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(deploy=True)
def site_url_check(app_configs=None, **kwargs):
    """The worker has no request to read the host from: reminder links and their one-click
    unsubscribe header use SITE_URL, which a production deploy must set."""
    url = urlsplit(settings.SITE_URL)
    if is_local(url.hostname or ""):
        return [
            Error(
                f"DJANGO_SITE_URL is not set: links in reminder mail would point at "
                f"{settings.SITE_URL}, an address only this machine reaches.",
                hint="Set DJANGO_SITE_URL to the address the site is served at, e.g. "
                "https://careerguide.example.",
                id="reminders.E001",
            )
        ]
    if url.scheme != "https" and getattr(settings, "SECURE_SSL_REDIRECT", False):
        return [
            Error(
                f"DJANGO_SITE_URL ({settings.SITE_URL}) is not https, but the site redirects "
                "to https: every link in reminder mail would take a redirect first.",
                hint="Give DJANGO_SITE_URL with https://.",
                id="reminders.E002",
            )
        ]
    return []
