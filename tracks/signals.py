"""Bump the catalogue's cache version whenever a curator changes content."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

CATALOGUE_VERSION_KEY = "catalogue-version"


def catalogue_version():
    version = cache.get(CATALOGUE_VERSION_KEY)
    if version is None:
        cache.add(CATALOGUE_VERSION_KEY, 1, timeout=None)
        version = cache.get(CATALOGUE_VERSION_KEY, 1)
    return version


def bump_catalogue_version(**kwargs):
    if kwargs.get("raw"):
        return
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 2, timeout=None)


def connect():
    from django.apps import apps

    for model in apps.get_app_config("tracks").get_models():
        if model.__name__ == "SeedRecord":
            continue
        post_save.connect(
            bump_catalogue_version, sender=model, dispatch_uid=f"bump-{model.__name__}"
        )
        post_delete.connect(
            bump_catalogue_version, sender=model, dispatch_uid=f"bump-del-{model.__name__}"
        )


connect()
