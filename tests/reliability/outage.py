"""The data a fault test's server works on, made and checked as its own process against the
private database the test started (DATABASE_URL in the environment):

    python -m tests.reliability.outage setup HANDOFFS
    python -m tests.reliability.outage check
    python -m tests.reliability.outage sweep

`setup` makes a pool team with one rep (password and API token) and HANDOFFS MQLs waiting in
its pool, and prints the token and the handoff ids as JSON; `check` prints, as JSON, each
handoff's outcome beside the records an accept writes in the same transaction (its event, the
lead's stage and stage change), for the test to judge that none is half-written; `sweep`
queues every periodic task due each minute, on its queue, as the schedules do (with REDIS_URL
set, in Redis).
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django_q.models import Schedule  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

from accounts.roles import Role  # noqa: E402
from accounts.services import api_token_create  # noqa: E402
from core.schedules import PERIODIC_TASKS  # noqa: E402
from handoff.models import EventKind, Handoff, HandoffEvent, ReturnReason  # noqa: E402
from handoff.reasons import seed_default_reasons  # noqa: E402
from leads.models import Stage, StageChange  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from tests.handoff.factories import mql_handoff  # noqa: E402
from tests.teams.factories import TeamFactory, TeamMemberFactory  # noqa: E402

PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's  # nosec B105


def setup(handoffs: int) -> dict:
    seed_default_reasons(ReturnReason)
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    rep = UserFactory(username="rep", roles=[Role.SDR])
    TeamMemberFactory(team=team, user=rep)
    key = api_token_create(user=rep, name="Outage", lifetime_in_days=30).key
    return {
        "username": rep.username,
        "password": PASSWORD,
        "token": key,
        "handoffs": [mql_handoff().pk for _ in range(handoffs)],
    }


def check() -> dict:
    accepted_events = set(
        HandoffEvent.objects.filter(kind=EventKind.ACCEPTED).values_list("handoff_id", flat=True)
    )
    moved_to_sal = set(
        StageChange.objects.filter(to_stage=Stage.SAL).values_list("lead_id", flat=True)
    )
    return {
        str(handoff.pk): {
            "outcome": handoff.outcome or "",
            "accepted_event": handoff.pk in accepted_events,
            "lead_stage": handoff.lead.stage,
            "stage_change_to_sal": handoff.lead_id in moved_to_sal,
        }
        for handoff in Handoff.objects.select_related("lead")
    }


def sweep() -> None:
    for task in PERIODIC_TASKS:
        if task["schedule_type"] == Schedule.MINUTES and task["minutes"] == 1:
            async_task(task["func"], cluster=task.get("cluster"))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        print(json.dumps(setup(int(sys.argv[2]))))
    elif sys.argv[1] == "sweep":
        sweep()
    else:
        print(json.dumps(check()))
