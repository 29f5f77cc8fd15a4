"""DRF's authtoken app left Accord in 0003 (tokens became hashed, named ApiTokens), but an install
upgraded from it still holds its content types and their permissions: roles that once held "Can
view token" would list a permission that names nothing, and the admin's history would point at a
model that no longer exists. Deleting the content types removes their permissions and unlinks
the admin history (Django's own `remove_stale_contenttypes` does the same, for every app)."""

from django.db import migrations

GONE_APPS = ["authtoken"]


def forget_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.using(schema_editor.connection.alias).filter(
        app_label__in=GONE_APPS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_preferences_language_zone"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forget_content_types, migrations.RunPython.noop)]
