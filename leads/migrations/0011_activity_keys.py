from django.db import migrations, models

# Every stored event's key, while the unique constraint this replaces still vouches that each
# is there once; one statement on either engine.
KEYS_OF_STORED_EVENTS = """
INSERT INTO leads_activitykey (source, external_id)
SELECT source, external_id FROM leads_activity WHERE external_id IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("leads", "0010_consent_suppression_and_erasure"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityKey",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "source",
                        "external_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("source", models.CharField(max_length=50, verbose_name="source system")),
                ("external_id", models.CharField(max_length=200, verbose_name="external id")),
            ],
            options={
                "verbose_name": "activity key",
                "verbose_name_plural": "activity keys",
            },
        ),
        migrations.RunSQL(KEYS_OF_STORED_EVENTS, migrations.RunSQL.noop),
        migrations.RemoveConstraint(
            model_name="activity",
            name="activity_external_id_unique_per_source",
        ),
    ]
