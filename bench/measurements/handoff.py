"""Measurements of the SDR queue: the page an SDR keeps open all day, and accepting under load.

The page is timed through Django's full request handling as a logged-in SDR, for the rep's own
queue and for the team pool. Its baseline is the page's main SQL alone (the query that reads the
rows), executed raw, so the ratio is what the page adds to the database's own work.
"""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.base import Bench, Result, median, p95, page_timings, timed
from bench.load import accept_under_load
from handoff.models import Handoff, Outcome


def _main_sql(client: Client, url: str) -> str:
    """The SQL that reads the queue's rows (the handoffs, with a LIMIT)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in list(queries.captured_queries):
        sql = query["sql"]
        if 'FROM "handoff_handoff"' in sql and "LIMIT" in sql and "COUNT(" not in sql:
            return sql
    raise RuntimeError("the queue page read no handoff rows")


def _raw_timings(sql: str, samples: int) -> list[float]:
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    return [timed(run)[0] for _ in range(samples)]


def _queue(bench: Bench, name: str, view: str) -> Result:
    sdr = get_user_model().objects.get(pk=bench.data.sdr_ids[0])
    client = Client(HTTP_HOST="localhost")
    client.force_login(sdr)
    url = f"{reverse('handoff:queue')}?view={view}"
    samples = max(20, bench.runs * 10)
    timings, queries = page_timings(client, url, samples)
    sql = _main_sql(client, url)
    baseline = _raw_timings(sql, samples)
    open_handoffs = Handoff.objects.filter(outcome=Outcome.OPEN).count()
    return Result(
        name,
        p95(timings) * 1000,
        "ms p95",
        target=50,
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
