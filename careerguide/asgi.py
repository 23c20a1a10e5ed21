"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings")
if not os.environ.get("DJANGO_SECRET_KEY") and os.environ.get("DJANGO_DEBUG", "") not in {
    "1",
    "true",
}:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY before serving careerguide.")
application = get_asgi_application()
