"""A curator's change to any catalogue content gives the catalogue a new version."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalChanges

from .cache import renew_catalogue_version

# History rows, the seed's own records and the version itself are not content.
NOT_CONTENT = {"SeedRecord", "CatalogueVersion"}
for model in apps.get_app_config("tracks").get_models():
    if model.__name__ not in NOT_CONTENT and not issubclass(model, HistoricalChanges):
        uid = f"catalogue-{model._meta.label}"
        post_save.connect(renew_catalogue_version, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(renew_catalogue_version, sender=model, dispatch_uid=f"{uid}-deleted")
