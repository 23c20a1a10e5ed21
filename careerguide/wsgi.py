"""WSGI entry point, served by gunicorn in production."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerguide.settings")
if not os.environ.get("DJANGO_SECRET_KEY") and os.environ.get("DJANGO_DEBUG", "") not in {
    "1",
    "true",
}:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY before serving careerguide.")
application = get_wsgi_application()
