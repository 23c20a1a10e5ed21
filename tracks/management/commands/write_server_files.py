"""The files nginx serves on its own, made from the site's settings and templates: the security
headers it adds to static files and to its own error pages, and those pages (413, 502, 504)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import loader
from django.utils.csp import build_policy

ERROR_PAGES = {413: {"limit": settings.MAX_REQUEST_BYTES}, 502: {}, 504: {}}


def security_headers():
    """The headers every response of the app carries (SecurityMiddleware, the CSP and
    clickjacking middleware, careerguide.middleware), as nginx should send them too."""
    headers = {
        "Content-Security-Policy": build_policy(settings.SECURE_CSP),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
    }
    if getattr(settings, "SECURE_HSTS_SECONDS", 0):
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers["Strict-Transport-Security"] = hsts
    return headers


class Command(BaseCommand):
    help = (
        "Write DIR/security-headers.conf (nginx add_header lines) and DIR/errors/413.html, "
        "502.html, 504.html (the site's error pages for nginx); run after collectstatic."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        (directory / "errors").mkdir(parents=True, exist_ok=True)
        lines = [
            f'add_header {name} "{value}" always;' for name, value in security_headers().items()
        ]
        (directory / "security-headers.conf").write_text("\n".join(lines) + "\n")
        for status, context in ERROR_PAGES.items():
            try:
                page = loader.get_template(f"{status}.html").render(context)
            except ValueError as error:  # the manifest's names are unknown before collectstatic
                raise CommandError(f"{error}: run `manage.py collectstatic` first.") from error
            (directory / "errors" / f"{status}.html").write_text(page)
        self.stdout.write(
            f"Wrote the security headers and {len(ERROR_PAGES)} error pages in {directory}."
        )
