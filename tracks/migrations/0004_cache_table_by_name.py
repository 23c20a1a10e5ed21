"""Create the database cache table by its name, whatever cache settings migrate ran with.

0003 asked `createcachetable` to read CACHES, which names no table when REDIS_URL is set: a
database migrated with Redis had no cache table, and the same site started without REDIS_URL
answered 500. Creating a table that exists already does nothing.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable",
        settings.DATABASE_CACHE_TABLE,
        database=schema_editor.connection.alias,
        verbosity=0,
    )


class Migration(migrations.Migration):
    dependencies = [("tracks", "0003_cache_table")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
