"""The web-form limits moved from Django's database cache (whose `incr` reads, then writes, so two
processes counting at once lose a count) to core.counters; the cache's table goes."""

from django.core.management import call_command
from django.db import migrations

TABLE = "accord_cache"


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("intake", "0003_shared_cache_table")]

    operations = [migrations.RunPython(drop_table, create_table)]
