"""Notifications keep their kind and parameters, worded when read or sent. A row from before
was stored worded, in its sender's language, and its parameters were never kept, so it cannot
be worded again: its text moves into the parameters as {"text": ...} and is shown as it is."""

from django.db import migrations, models

BATCH = 2000


def _rewrite(model, rows, field: str, change) -> None:
    """Update `field` of `rows` (an iterator) in batches, never all of them in memory."""
    batch = []
    for row in rows:
        change(row)
        batch.append(row)
        if len(batch) == BATCH:
            model.objects.bulk_update(batch, [field])
            batch = []
    if batch:
        model.objects.bulk_update(batch, [field])


def text_into_params(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.only("pk", "text").iterator(chunk_size=BATCH)
    _rewrite(Notification, rows, "params", lambda row: setattr(row, "params", {"text": row.text}))


def params_into_text(apps, schema_editor):
    """Back to worded rows; those made since are worded in the site's language."""
    from django.conf import settings
    from django.utils import translation

    from notifications.wording import word

    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.only("pk", "kind", "params").iterator(chunk_size=BATCH)
    with translation.override(settings.LANGUAGE_CODE):
        _rewrite(
            Notification, rows, "text", lambda row: setattr(row, "text", word(row.kind, row.params))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_rep_alerts"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="text",
            field=models.TextField(blank=True, default="", verbose_name="text"),
        ),
        migrations.RunPython(text_into_params, params_into_text),
        migrations.RemoveField(
            model_name="notification",
            name="text",
        ),
    ]
