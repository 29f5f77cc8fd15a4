from django.db import migrations

# The reasons as this migration first wrote them (handoff.reasons has grown since).
REASONS = [
    ("not_reachable", "Not reachable"),
    ("wrong_person", "Wrong person / no authority"),
    ("no_fit", "No fit"),
    ("bad_timing", "Bad timing"),
    ("duplicate", "Duplicate"),
    ("student_or_competitor", "Student or competitor"),
    ("other", "Other"),
]


def seed_reasons(apps, schema_editor):
    ReturnReason = apps.get_model("handoff", "ReturnReason")
    for position, (code, label) in enumerate(REASONS):
        ReturnReason.objects.get_or_create(
            code=code, defaults={"label": label, "position": position}
        )


def remove_reasons(apps, schema_editor):
    apps.get_model("handoff", "ReturnReason").objects.filter(
        code__in=[code for code, _ in REASONS], handoffs__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("handoff", "0001_initial")]

    operations = [migrations.RunPython(seed_reasons, remove_reasons)]
