from django.db import migrations, models


class Migration(migrations.Migration):
    """The heartbeat row there was (pk 1) is the main queue's: its cluster is named "accord"."""

    dependencies = [
        ("core", "0002_window_counter"),
    ]

    operations = [
        migrations.AddField(
            model_name="workerheartbeat",
            name="queue",
            field=models.CharField(
                default="accord", max_length=100, unique=True, verbose_name="queue"
            ),
            preserve_default=False,
        ),
    ]
