"""Reports read through the `reports` database alias when REPORTS_DATABASE_URL names a replica,
and from the primary without it (core/databases.py)."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from core.databases import ReportsRouter, reading_reports, report_connection
from leads.models import Lead
from reports.breaches import BreachFilters, breach_report
from reports.filters import ReportFilters
from reports.selectors import funnel_report
from tests.reports.factories import build_october

AUTUMN = ReportFilters(date_from=date(2026, 10, 1), date_to=date(2026, 11, 30))
WEEK = BreachFilters(start=date(2026, 11, 16), end=date(2026, 11, 22))
PRINT_DATABASES = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'reports': s.REPORTS_DATABASE, 'aliases': sorted(s.DATABASES), "
    "'replica': s.DATABASES.get('reports', {}).get('NAME'), "
    "'mirror': s.DATABASES.get('reports', {}).get('TEST', {}).get('MIRROR')}))"
)


def databases_with(**env) -> dict:
    environ = {k: v for k, v in os.environ.items() if k != "REPORTS_DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASES],
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_without_a_replica_reports_read_the_default_database():
    assert databases_with() == {
        "reports": "default",
        "aliases": ["default"],
        "replica": None,
        "mirror": None,
    }


def test_reports_database_url_adds_the_reports_alias():
    assert databases_with(REPORTS_DATABASE_URL="postgres://reader@replica:5432/accord") == {
        "reports": "reports",
        "aliases": ["default", "reports"],
        "replica": "accord",
        "mirror": "default",
    }


def test_only_reads_inside_a_report_are_routed():
    router = ReportsRouter()
    assert router.db_for_read(Lead) is None
    with reading_reports():
        assert router.db_for_read(Lead) == "default"
        assert router.db_for_write(Lead) is None
    assert router.allow_migrate("reports", "leads") is False
    assert router.allow_migrate("default", "leads") is None


@pytest.fixture
def replica(transactional_db):
    """A second connection to the test database, standing for a replica: made by hand rather
    than from DATABASES, which Django's test case would refuse to connect to. The test's rows
    are committed (a transactional test), so it sees them."""
    primary = connections.settings["default"]
    replica = load_backend(primary["ENGINE"]).DatabaseWrapper({**primary}, "reports")
    connections["reports"] = replica
    yield replica
    replica.close()
    del connections["reports"]


def test_reports_read_through_the_replica_alias(make_user, replica, settings):
    build_october(make_user(Role.SDR, username="rep"))
    with CaptureQueriesContext(connection) as on_default:
        expected = funnel_report(filters=AUTUMN), breach_report(WEEK)

    settings.REPORTS_DATABASE = "reports"

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connection) as on_primary,
    ):
        figures = funnel_report(filters=AUTUMN), breach_report(WEEK)
        assert report_connection() is connections["default"]  # outside a report, the primary

    assert figures == expected
    assert len(on_replica) == len(on_default) > 0
    assert len(on_primary) == 0
