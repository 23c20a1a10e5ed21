"""The rows every test may expect in the database: the seeded catalogue and the Curators group."""

from importlib import import_module

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command


def ensure_catalogue():
    """Load them again if a flush (a live-server test's) emptied the tables."""
    from tracks.models import Track

    if Track.objects.exists():
        return
    call_command("seed_content", verbosity=0)
    # What each app's 0002_curators migration grants. Not its grant(): that one makes missing
    # permissions by flipping the app's models_module, here the live registry's (a flush has
    # already made them again, as after every migrate).
    curators, _ = Group.objects.get_or_create(name="Curators")
    for app in ("tracks", "audits"):
        models = import_module(f"{app}.migrations.0002_curators").CONTENT_MODELS
        curators.permissions.add(
            *Permission.objects.filter(content_type__app_label=app, content_type__model__in=models)
        )
