"""Measurements of the SDR queue: the page an SDR keeps open all day, and accepting under load.

The page is timed through Django's full request handling as a logged-in SDR, for the rep's own
queue and for the team pool. Its baseline is the page's main SQL alone (the query that reads the
rows), executed raw, so the ratio is what the page adds to the database's own work.
"""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bench.base import Bench, Result, main_sql, median, p95, page_timings, raw_timings
from bench.load import accept_under_load
from handoff.models import Handoff, Outcome


def _queue(bench: Bench, name: str, view: str) -> Result:
    sdr = get_user_model().objects.get(pk=bench.data.sdr_ids[0])
    client = Client(HTTP_HOST="localhost")
    client.force_login(sdr)
    url = f"{reverse('handoff:queue')}?view={view}"
    samples = max(20, bench.runs * 10)
    timings, queries = page_timings(client, url, samples)
    baseline = raw_timings(main_sql(client, url, 'FROM "handoff_handoff"'), samples)
    open_handoffs = Handoff.objects.filter(outcome=Outcome.OPEN).count()
    return Result(
        name,
        p95(timings) * 1000,
        "ms p95",
        target=25,
        better="lower",
        baseline=p95(baseline) * 1000,
        baseline_label="main SQL alone",
        notes=f"{open_handoffs:,} open handoffs, {queries} queries, "
        f"median {median(timings) * 1000:.1f} ms",
        extra={"queries": queries, "open_handoffs": open_handoffs},
    )


def queue_page(bench: Bench) -> Result:
    """The SDR's own queue (the page's default view)."""
    return _queue(bench, "queue_page", "mine")


def queue_page_pool(bench: Bench) -> Result:
    """The team pool the SDR claims from."""
    return _queue(bench, "queue_page_pool", "pool")


MEASUREMENTS = [queue_page, queue_page_pool, accept_under_load]
