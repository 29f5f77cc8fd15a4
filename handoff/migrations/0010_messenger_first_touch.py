"""First touches by LINE, WeChat, WhatsApp and Telegram."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("handoff", "0009_currency_iso"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="handoffevent",
            name="handoffevent_first_touch_channel",
        ),
        migrations.AlterField(
            model_name="handoffevent",
            name="channel",
            field=models.CharField(
                blank=True,
                choices=[
                    ("call", "Call"),
                    ("email", "Email"),
                    ("social", "Social"),
                    ("meeting", "Meeting"),
                    ("line", "LINE"),
                    ("wechat", "WeChat"),
                    ("whatsapp", "WhatsApp"),
                    ("telegram", "Telegram"),
                ],
                max_length=20,
                verbose_name="channel",
            ),
        ),
        migrations.AddConstraint(
            model_name="handoffevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "first_touch"), _negated=True),
                    (
                        "channel__in",
                        [
                            "call",
                            "email",
                            "social",
                            "meeting",
                            "line",
                            "wechat",
                            "whatsapp",
                            "telegram",
                        ],
                    ),
                    _connector="OR",
                ),
                name="handoffevent_first_touch_channel",
            ),
        ),
    ]
