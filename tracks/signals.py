"""A curator's change to any catalogue content gives the catalogue a new cache version."""

from django.db.models.signals import post_delete, post_save

from careerguide.pagecache import bump_catalogue


def connect():
    from django.apps import apps

    for model in apps.get_app_config("tracks").get_models():
        if model.__name__ == "SeedRecord":
            continue
        post_save.connect(bump_catalogue, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(bump_catalogue, sender=model, dispatch_uid=f"bump-del-{model.__name__}")


connect()
