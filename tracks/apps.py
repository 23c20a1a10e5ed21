from django.apps import AppConfig


class TracksConfig(AppConfig):
    name = "tracks"
    verbose_name = "Catalogue"

    def ready(self):
        from . import signals  # noqa: F401
