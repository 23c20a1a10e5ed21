"""The "Curators" group: exactly the permissions to edit content, nothing about members."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "tracks": [
        "track", "skill", "background", "company", "companytrack", "conference",
        "conferencetrack", "project", "projecttrack", "guidesection",
        "quickcheckquestion", "quickcheckoption",
    ],
    "audits": ["question", "option", "optionweight"],
}


def create_curators(apps, schema_editor):
    for label in ("tracks", "audits"):
        # Permissions are normally created after all migrations; this group needs them now.
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators, _ = Group.objects.get_or_create(name="Curators")
    permissions = Permission.objects.filter(
        content_type__app_label__in=CONTENT_MODELS.keys()
    ).select_related("content_type")
    curators.permissions.set(
        [p for p in permissions if p.content_type.model in CONTENT_MODELS[p.content_type.app_label]]
    )


def remove_curators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0001_initial"),
        ("tracks", "0002_seed_record"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators, remove_curators)]
