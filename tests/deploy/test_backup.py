"""Backups as docs/deploy.md tells an operator to take them: `pg_dump -Fc` of a populated
database, `pg_restore` into an empty one, and Accord run on the copy (a separate process, as
after a restore) gives the same report figures as on the original."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from accounts.roles import Role
from tests.deploy.processes import ROOT, database_url
from tests.reports.factories import build_october
from tests.sla import fixtures

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

# The funnel of October and November (tests/reports/factories.py), and the SLA breach report's
# week (tests/sla/fixtures.py), as JSON.
FIGURES = """
import dataclasses, json
from datetime import date
from reports.breaches import BreachFilters, breach_report
from reports.filters import ReportFilters
from reports.selectors import funnel_report
autumn = ReportFilters(date_from=date(2026, 10, 1), date_to=date(2026, 11, 30))
week = BreachFilters(start=date(2026, 11, 16), end=date(2026, 11, 22))
funnel = dataclasses.asdict(funnel_report(filters=autumn))
print(json.dumps({"funnel": funnel, "breaches": breach_report(week)}, default=str))
"""


def figures(database: str) -> dict:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", FIGURES],
        cwd=ROOT,
        env=_env(database),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _env(database: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database, "DEBUG": "1"}
    env.pop("REDIS_URL", None)
    return env


def psql(sql: str) -> None:
    db = connection.settings_dict
    subprocess.run(
        [
            "psql",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            db["USER"] or "postgres",
            "-qc",
            sql,
            "postgres",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )


@pytest.fixture
def populated(make_user):
    build_october(make_user(Role.SDR, username="rep"))
    fixtures.build(
        {"rep1": make_user(Role.SDR, username="rep1"), "rep2": make_user(Role.SDR, username="rep2")}
    )


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')
    yield database_url().rsplit("/", 1)[0] + f"/{name}"
    psql(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_dump_restored_into_an_empty_database_gives_the_same_reports(
    populated, empty_database, tmp_path
):
    dump = tmp_path / "accord.dump"
    original = database_url()
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={original}"],
        check=True,
        timeout=60,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={empty_database}", str(dump)],
        check=True,
        timeout=60,
    )

    # The copy needs no migration, and the reports read the same figures from it.
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env=_env(empty_database),
        check=True,
        capture_output=True,
        timeout=60,
    )
    before, after = figures(original), figures(empty_database)
    assert after == before
    assert before["funnel"]["total"]["counts"]["mql"] > 0
    assert before["breaches"]["totals"]["breached"] > 0
