import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': s.DATABASES['default']['NAME'], 'cache': s.CACHES['default']['BACKEND'], "
    "'redis': s.Q_CLUSTER.get('redis'), 'orm': s.Q_CLUSTER.get('orm'), "
    "'options': s.DATABASES['default'].get('OPTIONS', {})}))"
)


def settings_with(**env):
    """The settings a fresh process builds from this environment (no code change)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_default_is_sqlite_with_the_database_as_broker():
    found = settings_with()

    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"].endswith("db.sqlite3")
    assert found["orm"] == "default" and found["redis"] is None
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_database_url_and_redis_url_switch_to_the_production_path():
    found = settings_with(
        DATABASE_URL="postgres://accord@db.example:5432/accord",
        REDIS_URL="redis://cache.example:6379/0",
    )

    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "accord"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["redis"] == "redis://cache.example:6379/0" and found["orm"] is None
    # Short statements are not worth PostgreSQL's JIT compilation.
    assert "-c jit=off" in found["options"]["options"]


def test_secret_key_is_required_when_debug_is_off():
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def manage(*args, **env):
    """`manage.py …` in a fresh process with this environment (production unless it says)."""
    # The test run's own development switches (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE) are left out.
    dropped = ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    production = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "accord.example.com"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **production, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_a_production_deployment_passes_djangos_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_proxy_ssl_header_needs_a_header_and_a_value():
    result = manage("check", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER takes a header and a value" in result.stderr


def test_collectstatic_builds_the_production_manifest(settings, tmp_path):
    """With DEBUG off static files are fingerprinted; a vendored script naming a source map
    that is not shipped must not stop the deploy."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
    }

    call_command("collectstatic", "--no-input", "--verbosity", "0")

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert manifest["vendor/chart-4.6.1.umd.min.js"] != "vendor/chart-4.6.1.umd.min.js"
    assert (tmp_path / manifest["js/accord.js"]).with_suffix(".js.gz").exists()


def test_q_scheduler_turns_a_clusters_scheduler_off():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.Q_CLUSTER['scheduler'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}

    def scheduler(**extra):
        run = subprocess.run(
            [sys.executable, "-c", show], env={**env, **extra}, capture_output=True, text=True
        )
        return run.stdout.strip()

    assert scheduler() == "True"
    assert scheduler(Q_SCHEDULER="0") == "False"
