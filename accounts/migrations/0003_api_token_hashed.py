"""API tokens get a model of their own: named, expiring, revocable, and hashed at rest.

Tokens DRF's authtoken app issued before become "Token created before names": the same key keeps
working (Accord stores its digest), for a year from this migration, the longest lifetime anyone
can choose. DRF's table, which holds the keys in plain text, is then dropped. The app itself has
left INSTALLED_APPS, so its table is read through a stand-in model of this migration, and only
where it exists: a database created since never had it.

Going back drops the hashed tokens and cannot bring DRF's table back (a digest does not give the
key back): every token must then be made again.
"""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from accounts.tokens import LEGACY_LIFETIME, digest_of, prefix_of

DRF_TABLE = "authtoken_token"
LEGACY_NAME = "Token created before names"


def hash_drf_tokens(apps, schema_editor):
    if DRF_TABLE not in schema_editor.connection.introspection.table_names():
        return
    database = schema_editor.connection.alias
    DrfToken = apps.get_model("accounts", "DrfToken")
    ApiToken = apps.get_model("accounts", "ApiToken")
    expires_at = timezone.now() + LEGACY_LIFETIME
    ApiToken.objects.using(database).bulk_create(
        ApiToken(
            user_id=drf_token.user_id,
            name=LEGACY_NAME,
            prefix=prefix_of(drf_token.key),
            digest=digest_of(drf_token.key),
            created_at=drf_token.created,
            expires_at=expires_at,
        )
        for drf_token in DrfToken.objects.using(database).iterator()
    )
    schema_editor.delete_model(DrfToken)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("prefix", models.CharField(max_length=12, verbose_name="prefix")),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(verbose_name="created")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used"),
                ),
                ("revoked_at", models.DateTimeField(blank=True, null=True, verbose_name="revoked")),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["-created_at", "-id"],
                "permissions": [("revoke_apitoken", "Can revoke API tokens")],
                "default_permissions": ("view",),
                "indexes": [
                    models.Index(fields=["user", "-created_at"], name="apitoken_user_created")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True),
                        name="apitoken_name_not_empty",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(
                            django.db.models.functions.text.Length("digest"), 64
                        ),
                        name="apitoken_digest_is_sha256_hex",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("created_at"))),
                        name="apitoken_expires_after_creation",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("revoked_at__gte", models.F("created_at")),
                            ("revoked_at", None),
                            _connector="OR",
                        ),
                        name="apitoken_revoked_after_creation",
                    ),
                ],
            },
        ),
        # DRF's table as it was; unmanaged, so only hash_drf_tokens touches the database.
        migrations.CreateModel(
            name="DrfToken",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("created", models.DateTimeField()),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"db_table": DRF_TABLE, "managed": False},
        ),
        migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop),
        migrations.DeleteModel(name="DrfToken"),
    ]
