"""The table of the "shared" cache (settings.CACHES) when there is no Redis: web-form rate limits
counted across every web process. Created whatever the cache settings, so a deployment that drops
Redis later finds it there; createcachetable skips a table that exists."""

from django.core.management import call_command
from django.db import migrations

TABLE = "accord_cache"  # settings.SHARED_CACHE_TABLE; tests/intake/test_capture.py checks both


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_move_content_types")]

    operations = [migrations.RunPython(create_table, drop_table)]
