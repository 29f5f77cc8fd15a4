"""A fresh install has the starter agreement as published version 1 (installed without sign-offs;
see scoring.starter.install_starter_agreement)."""

from django.db import migrations


def install(apps, schema_editor):
    from scoring.starter import install_starter_agreement

    install_starter_agreement(apps)


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
