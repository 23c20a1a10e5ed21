"""A curator's change to any catalogue content gives the catalogue a new cache version."""

from django.apps import apps

from careerguide.pagecache import watch_catalogue

watch_catalogue(
    model for model in apps.get_app_config("tracks").get_models() if model.__name__ != "SeedRecord"
)
