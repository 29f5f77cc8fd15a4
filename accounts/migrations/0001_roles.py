from django.db import migrations

from accounts.permissions import ROLE_PERMISSIONS, sync_roles


def create_roles(apps, schema_editor):
    sync_roles(apps, create_missing_permissions=True)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("leads", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
