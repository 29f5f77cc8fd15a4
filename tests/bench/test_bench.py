"""`manage.py bench` end to end at the smoke size: it completes and every measurement gives a
figure. Timings are not asserted here (docs/performance.md has them); the data set's shape and
the report's are."""

import io
import json

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Min, Q

from bench import dataset
from bench.base import Result, p95
from bench.management.commands.bench import table
from handoff.models import Handoff, Outcome
from leads.models import Activity, Lead
from scoring.services import rescore_leads
from scoring.starter import install_starter_agreement
from sla.models import RUNNING_STATES, Clock
from sla.services import OPENING_STEPS as OPENING

MEASURED = {
    "lead_page",
    "queue_page",
    "queue_page_pool",
    "sla_scan",
    "breach_report_12_months",
    "breach_report_by_team",
    "breach_report_by_channel",
    "returns_report_12_months",
    "funnel_report_12_months",
    "draft_preview",
    "accept_under_load",
    "ingest_activities",
    "import_csv",
    "full_rescore",
}


@pytest.mark.django_db(transaction=True)
def test_a_small_run_completes_with_a_number_for_every_measurement(tmp_path):
    # A transactional test before this one on the same worker may have flushed the starter
    # agreement its data migration installs; the benchmark measures under it.
    install_starter_agreement(django_apps)
    path = tmp_path / "bench.json"
    earlier = tmp_path / "earlier.json"
    # An earlier run where the scan took no time at all: this one is flagged against it.
    earlier.write_text(json.dumps({"results": [{"name": "sla_scan", "value": 1e-9}]}))
    output = io.StringIO()

    call_command(
        "bench",
        *("--leads", "2000", "--runs", "1", "--no-scratch"),
        *("--json", str(path), "--compare", str(earlier)),
        stdout=output,
    )

    report = json.loads(path.read_text())
    compared = output.getvalue().split(f"Compared with {earlier}:")[1]
    assert "1 regression(s)" in compared
    assert all(name in compared for name in MEASURED)
    assert report["leads"] == 2000
    assert {"cpus", "cpu", "python", "django", "database"} <= set(report["machine"])
    assert {result["name"] for result in report["results"]} == MEASURED
    for result in report["results"]:
        assert isinstance(result["value"], int | float) and result["value"] > 0, result
        assert result["target"] is not None, result
        assert result["met"] in (True, False), result
        assert {"name", "value", "unit", "target", "baseline", "ratio"} <= set(result)


@pytest.mark.django_db
def test_the_data_set_has_the_documented_shape():
    data = dataset.build(2000, write=lambda message: None)

    assert data.leads == Lead.objects.count() == 2000
    assert dataset.load().busy_lead_id == data.busy_lead_id
    assert Activity.objects.filter(lead_id=data.busy_lead_id).count() == 200
    assert 8 <= Activity.objects.count() / 2000 <= 12
    # A fifth of the leads, and the busy lead (the last one) too.
    assert Handoff.objects.count() == 400 + 1
    assert Handoff.objects.filter(outcome=Outcome.OPEN).count() == 100 + 1
    running = Clock.objects.filter(state__in=RUNNING_STATES, stopped_at=None).count()
    assert 170 <= running <= 230
    assert len(data.sdr_ids) == 40
    spread = Lead.objects.order_by("created_at").values_list("created_at", flat=True)
    assert (spread.last() - spread.first()).days >= 300
    # The generated stages are the history: scoring everyone again moves nobody to MQL.
    assert rescore_leads(list(Lead.objects.values_list("pk", flat=True))).moved_to_mql == []
    # Open handoffs are due when their earliest running clock is, as sla.services keeps it.
    earliest = Min("clocks__due_at", filter=Q(clocks__stopped_at=None, clocks__step__in=OPENING))
    open_handoffs = Handoff.objects.filter(outcome=Outcome.OPEN).annotate(earliest=earliest)
    assert all(h.sla_due_at == h.earliest for h in open_handoffs)


def test_a_measurement_meets_its_target_in_the_right_direction():
    assert Result("rate", 12_000, "events/s", target=10_000).met is True
    assert Result("rate", 9_000, "events/s", target=10_000).met is False
    assert Result("page", 40, "ms", target=50, better="lower").met is True
    assert Result("page", 60, "ms", target=50, better="lower").met is False
    assert Result("load", 40, "ms", target=50, better="lower", extra={"errors": 1}).met is False
    assert Result("rate", 10, "x", baseline=40).ratio == 0.25
    assert p95(list(range(1, 101))) == 95


def test_the_table_shows_target_baseline_ratio_and_verdict():
    text = table(
        [
            Result("ingest", 11_000, "events/s", 10_000, baseline=44_000, baseline_label="COPY"),
            Result("page", 61.5, "ms p95", 50, better="lower", notes="12 queries"),
        ]
    )

    assert "≥ 10,000" in text and "44,000 (COPY)" in text and "0.25" in text
    assert "≤ 50.00" in text and "NO" in text and "page: 12 queries" in text


def test_the_command_refuses_a_tiny_or_unknown_run():
    with pytest.raises(CommandError):
        call_command("bench", "--leads", "10")
    with pytest.raises(CommandError):
        call_command("bench", "--only", "no_such_measurement", "--no-scratch")
