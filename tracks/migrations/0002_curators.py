"""The "Curators" group may edit the catalogue, and nothing about members."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = [
    "track", "skill", "background", "company", "companytrack", "conference",
    "conferencetrack", "project", "projecttrack", "guidesection", "quickcheckquestion",
    "quickcheckoption",
]


def curator_permissions(apps):
    app_config = apps.get_app_config("tracks")
    app_config.models_module = True  # permissions are otherwise created after every migration
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="tracks", content_type__model__in=CONTENT_MODELS
    )


def grant(apps, schema_editor):
    curators, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Curators")
    curators.permissions.add(*curator_permissions(apps))


def revoke(apps, schema_editor):
    for curators in apps.get_model("auth", "Group").objects.filter(name="Curators"):
        curators.permissions.remove(*curator_permissions(apps))
        if not curators.permissions.exists():
            curators.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
