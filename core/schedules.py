"""Every periodic task Accord runs, declared in one place; `manage.py setup_schedules` applies it.

Each entry: a unique name, the dotted task path, and the django-q2 schedule type and interval.
"""

from django_q.models import Schedule

PERIODIC_TASKS = [
    {
        "name": "worker heartbeat",
        "func": "core.tasks.record_heartbeat",
        "schedule_type": Schedule.MINUTES,
        "minutes": 1,
    },
]
