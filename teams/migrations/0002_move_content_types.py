from django.db import migrations

MOVED = ["team", "teammember"]


def move_content_types(apps, schema_editor):
    """Permissions and admin history hang on the content type: rename it, keep its rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="handoff", model__in=MOVED).update(app_label="teams")


def move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="teams", model__in=MOVED).update(app_label="handoff")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("teams", "0001_initial"),
        ("handoff", "0004_teams_move_out"),
    ]

    operations = [migrations.RunPython(move_content_types, move_back)]
