import pytest
from django.core.management import call_command
from django_q.models import Schedule

from core.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db


def test_setup_schedules_is_idempotent():
    call_command("setup_schedules")
    call_command("setup_schedules")

    assert Schedule.objects.count() == len(PERIODIC_TASKS)
    assert Schedule.objects.filter(func="core.tasks.record_heartbeat").exists()


def test_each_queue_has_its_own_heartbeat():
    call_command("setup_schedules")

    beats = Schedule.objects.filter(func="core.tasks.record_heartbeat")
    assert sorted(beats.values_list("cluster", flat=True), key=str) == [None, "sla"]


def test_a_dropped_schedule_is_removed():
    Schedule.objects.create(name="accord: retired task", func="core.tasks.record_heartbeat")

    call_command("setup_schedules")

    assert not Schedule.objects.filter(name="accord: retired task").exists()


def test_q_cluster_retries_only_after_a_task_timed_out(settings):
    assert settings.Q_CLUSTER["retry"] > settings.Q_CLUSTER["timeout"]
    assert settings.Q_CLUSTER["max_attempts"] >= 1
