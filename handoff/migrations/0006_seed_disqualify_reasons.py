from django.db import migrations

# The disqualification reasons as this migration first wrote them; positions follow the
# seven return reasons of 0002.
REASONS = [
    ("junk", "Junk or fake details"),
    ("competitor", "Competitor"),
    ("student", "Student"),
    ("duplicate", "Duplicate of another lead"),
    ("other", "Other"),
]


def seed_reasons(apps, schema_editor):
    ReturnReason = apps.get_model("handoff", "ReturnReason")
    for position, (code, label) in enumerate(REASONS, start=7):
        ReturnReason.objects.get_or_create(
            kind="disqualify", code=code, defaults={"label": label, "position": position}
        )


def remove_reasons(apps, schema_editor):
    apps.get_model("handoff", "ReturnReason").objects.filter(
        kind="disqualify", code__in=[code for code, _ in REASONS], handoffs__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("handoff", "0005_disqualify_reasons_and_outcome")]

    operations = [migrations.RunPython(seed_reasons, remove_reasons)]
