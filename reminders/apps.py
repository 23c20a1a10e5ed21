"""The reminders app: a member's retake reminder, sent by mail in the background."""

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Retake reminders"

    def ready(self):
        from . import checks  # noqa: F401  registers the deploy check of DJANGO_SITE_URL
