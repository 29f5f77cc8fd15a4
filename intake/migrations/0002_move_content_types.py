from django.db import migrations

MOVED = ["importmapping", "importjob", "importrejection", "formkey"]


def move_content_types(apps, schema_editor):
    """Permissions hang on the content type: rename it, keep its rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="leads", model__in=MOVED).update(app_label="intake")


def move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="intake", model__in=MOVED).update(app_label="leads")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(move_content_types, move_back)]
