from django.db import migrations

from sla.defaults import DEFAULT_POLICIES, add_default_policies


def add(apps, schema_editor):
    add_default_policies(apps)


def remove(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    SlaPolicy.objects.filter(
        name__in=[policy["name"] for policy in DEFAULT_POLICIES], clocks__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
