from django.db import migrations

from handoff.reasons import DEFAULT_REASONS, seed_default_reasons


def seed_reasons(apps, schema_editor):
    seed_default_reasons(apps.get_model("handoff", "ReturnReason"))


def remove_reasons(apps, schema_editor):
    apps.get_model("handoff", "ReturnReason").objects.filter(
        code__in=[code for code, _ in DEFAULT_REASONS], handoffs__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("handoff", "0001_initial")]

    operations = [migrations.RunPython(seed_reasons, remove_reasons)]
