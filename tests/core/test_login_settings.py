"""Session length and login throttling are read from the environment (config/settings.py)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'age': s.SESSION_COOKIE_AGE, "
    "'browser_close': s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
    "'failure_limit': s.AXES_FAILURE_LIMIT, "
    "'cooloff_seconds': s.AXES_COOLOFF_TIME.total_seconds()}))"
)


def run(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SESSION_", "AXES_"))}
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def settings_with(**env):
    result = run(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_keep_a_login_two_weeks_and_lock_out_after_five_failures_for_15_minutes():
    assert settings_with() == {
        "age": 14 * 24 * 3600,
        "browser_close": False,
        "failure_limit": 5,
        "cooloff_seconds": 15 * 60,
    }


def test_the_environment_sets_session_length_and_throttling():
    found = settings_with(
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="yes",
        AXES_FAILURE_LIMIT="10",
        AXES_COOLOFF_MINUTES="60",
    )

    assert found == {
        "age": 3600,
        "browser_close": True,
        "failure_limit": 10,
        "cooloff_seconds": 3600,
    }


@pytest.mark.parametrize("variable", ["AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES"])
def test_throttling_cannot_be_turned_off_by_a_zero(variable):
    result = run(**{variable: "0"})

    assert result.returncode != 0
    assert "must be at least 1" in result.stderr
