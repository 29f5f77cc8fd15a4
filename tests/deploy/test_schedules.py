"""Two worker clusters, one database: each due schedule runs once per period.

Every qcluster runs django-q2's scheduler in its guard loop (django_q/cluster.py, about every 30
seconds), so with two workers two schedulers look at the same due schedules at about the same
moment. django-q2 1.11 takes them with `select_for_update()` inside one transaction
(django_q/scheduler.py), without skip_locked: the second scheduler waits on the first's row
locks, and PostgreSQL then re-reads each row and drops the ones whose `next_run` moved past now.
This test starts both clusters together, so their first passes race, and counts the tasks."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Success

from tests.deploy.processes import Processes, database_url, wait_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

SCHEDULES = 30
PERIOD = timedelta(minutes=1)
# A cluster's first scheduler pass comes about 30 s after it starts guarding.
FIRST_PASS = 30
CREATED = re.compile(r"created task \S+ from schedule \[every minute \d+\]")


def test_each_due_schedule_runs_once_with_two_clusters(tmp_path):
    due = timezone.now().replace(microsecond=0) - timedelta(seconds=5)
    names = [f"every minute {n}" for n in range(SCHEDULES)]
    for name in names:
        Schedule.objects.create(
            name=name,
            func="core.tasks.record_heartbeat",
            schedule_type=Schedule.MINUTES,
            minutes=1,
            next_run=due,
        )
    clusters = Processes(tmp_path, database_url())
    try:
        started = time.monotonic()
        for n in (1, 2):
            clusters.qcluster(f"worker{n}", Q_WORKERS="1", LOG_LEVEL="INFO")
        wait_for(
            lambda: Success.objects.filter(group__in=names).count() >= SCHEDULES,
            timeout=FIRST_PASS + 30,
            what="each schedule ran",
        )
        # Both clusters' first passes are over (each had its 30 s and the queue is empty), and
        # the next period is not due yet: a second task now would be a duplicate.
        time.sleep(max(0.0, started + FIRST_PASS + 8 - time.monotonic()))
        wait_for(lambda: not OrmQ.objects.exists(), timeout=20, what="the queue drained")
        assert timezone.now() < due + PERIOD
        runs = {name: Success.objects.filter(group=name).count() for name in names}
        assert set(runs.values()) == {1}, runs
        next_runs = set(Schedule.objects.filter(name__in=names).values_list("next_run", flat=True))
        assert next_runs == {due + PERIOD}
        logs = [clusters.log(f"worker{n}") for n in (1, 2)]
        created = [len(CREATED.findall(log)) for log in logs]
        assert sum(created) == SCHEDULES, clusters.output()
        assert all("running." in log for log in logs)  # both clusters were up and guarding
        print(f"tasks created from {SCHEDULES} due schedules by each cluster: {created}")
    finally:
        clusters.stop_all()
