"""Create the database cache table with the schema, so every deployment has it after migrate."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("tracks", "0002_seed_record")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
