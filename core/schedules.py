"""Every periodic task Accord runs, declared in one place; `manage.py setup_schedules` applies it.

Each entry: a unique name, the dotted task path, and the django-q2 schedule type and interval;
optionally the cluster (queue) that runs it. Every job is recoverable from database state by one
of these sweeps, not only by django-q2's redelivery (docs/reliability.md says why).
"""

from django.conf import settings
from django_q.models import Schedule

PERIODIC_TASKS = [
    {
        "name": "webhook deliveries due",
        "func": "webhooks.tasks.send_due_deliveries",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "resume stalled imports",
        "func": "intake.imports.tasks.resume_stalled_imports",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "worker heartbeat",
        "func": "core.tasks.record_heartbeat",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "forget ended rate windows",
        "func": "core.tasks.forget_ended_rate_windows",
        "schedule_type": Schedule.HOURLY,
    },
    {
        "name": "SLA clock scan",
        "func": "sla.tasks.scan_clocks",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
        # Its own cluster schedules and runs it (config.settings.SLA_QUEUE).
        "cluster": settings.SLA_QUEUE or None,
    },
    {
        "name": "resume stalled rescoring",
        "func": "scoring.tasks.resume_stalled_rescoring",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "notification e-mails waiting",
        "func": "notifications.tasks.send_waiting_emails",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
    {
        "name": "assign waiting handoffs",
        "func": "handoff.tasks.assign_all_waiting_handoffs",
        "schedule_type": Schedule.MINUTES,
        "minutes": 5,
    },
    {
        "name": "delete expired import files",
        "func": "intake.imports.tasks.delete_expired_import_files",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": "activity partitions ahead",
        "func": "leads.tasks.prepare_activity_partitions",
        "schedule_type": Schedule.DAILY,
    },
    {
        "name": "engagement decay",
        "func": "scoring.tasks.decay_engagement",
        "schedule_type": Schedule.DAILY,
    },
]
if settings.SLA_QUEUE:
    # The SLA queue's cluster beats too, so /healthz sees it stop although the main one runs.
    PERIODIC_TASKS.append(
        {
            "name": "SLA worker heartbeat",
            "func": "core.tasks.record_heartbeat",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "cluster": settings.SLA_QUEUE,
        }
    )
