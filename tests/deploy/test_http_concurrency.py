"""The scale-out shape under load: two web processes (gunicorn, two workers each) and two
django-q2 clusters on one PostgreSQL database; twenty clients claim, accept and return 200
handoffs over HTTP at once. Every handoff ends with exactly one outcome, no answer is a 5xx, and
every successful action left exactly one HandoffEvent (the lifecycle record)."""

import random
import threading
import time
from collections import Counter
from queue import Empty, SimpleQueue

import pytest
import requests
from django.db.models import Count
from django_q.models import Failure, OrmQ

from accounts.roles import Role
from accounts.services import api_token_create
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome, ReturnReason
from handoff.reasons import seed_default_reasons
from leads.models import Stage, StageChange
from tests.deploy.processes import Processes, database_url, free_port, wait_for, wait_until_up
from tests.factories import UserFactory
from tests.handoff.factories import mql_handoff
from tests.teams.factories import TeamFactory, TeamMemberFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

HANDOFFS = 200
REPS = 10
CLIENTS = 20
# Per handoff: four reps try to claim it, three to accept it and three to return it, in a
# shuffled order, by reps drawn at random; a rep whose claim succeeds then decides it (accept or
# return), as a person would. 2,000 calls, plus one follow-up per successful claim.
CALLS_PER_HANDOFF = ["claim"] * 4 + ["accept"] * 3 + ["return"] * 3
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}
BODIES = {"claim": None, "accept": CHECKS, "return": {"reason": "no_fit"}}
# The calls take about 45 s on two loaded cores (45 calls/s); twice that is a hang, not a load.
DEADLINE = 90
DECISIONS = {"accept": EventKind.ACCEPTED, "return": EventKind.RETURNED}


@pytest.fixture
def servers(tmp_path):
    processes = Processes(tmp_path, database_url())
    yield processes
    processes.stop_all()


@pytest.fixture
def pool_of_handoffs():
    """A pool team of ten reps, each with an API token, and 200 MQLs waiting in its pool."""
    seed_default_reasons(ReturnReason)
    team = TeamFactory(name="Inbound", is_default=True, mode="pool")
    keys = []
    for number in range(REPS):
        rep = UserFactory(username=f"rep{number}", roles=[Role.SDR])
        TeamMemberFactory(team=team, user=rep)
        keys.append(api_token_create(user=rep, name="Load", lifetime_in_days=30).key)
    handoffs = [mql_handoff().pk for _ in range(HANDOFFS)]
    return keys, handoffs


def test_twenty_clients_on_two_web_processes_leave_one_outcome_per_handoff(
    servers, pool_of_handoffs
):
    keys, handoff_ids = pool_of_handoffs
    urls = [servers.gunicorn(f"web{n}", free_port()) for n in (1, 2)]
    for n in (1, 2):
        servers.qcluster(f"worker{n}", Q_WORKERS="1")
    for url in urls:
        wait_until_up(url)

    plan = random.Random(18)
    calls = SimpleQueue()
    for handoff_id in handoff_ids:
        actions = CALLS_PER_HANDOFF[:]
        plan.shuffle(actions)
        for action in actions:
            calls.put((handoff_id, action, plan.randrange(REPS)))
    answers = []  # (handoff id, action, rep, status), one per call
    failures = []

    def client(number: int) -> None:
        session = requests.Session()
        base = urls[number % len(urls)]
        chooser = random.Random(number)

        def post(handoff_id, action, rep):
            response = session.post(
                f"{base}/api/v1/handoffs/{handoff_id}/{action}/",
                json=BODIES[action],
                headers={"Authorization": f"Token {keys[rep]}"},
                timeout=30,
            )
            answers.append((handoff_id, action, rep, response.status_code))
            return response.status_code

        try:
            while True:
                try:
                    handoff_id, action, rep = calls.get_nowait()
                except Empty:
                    return
                if post(handoff_id, action, rep) == 200 and action == "claim":
                    post(handoff_id, chooser.choice(["accept", "return"]), rep)
        except Exception as error:  # a client that died would make the counts lie
            failures.append(error)
        finally:
            session.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, started + DEADLINE - time.monotonic()))
    elapsed = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads), (
        f"calls still running after {DEADLINE} s"
    )

    assert not failures, f"{failures[:3]}\n{servers.output()}"
    statuses = Counter(status for *_call, status in answers)
    assert len(answers) >= HANDOFFS * len(CALLS_PER_HANDOFF)
    assert not [s for s in statuses if s >= 500], f"{statuses}\n{servers.output()}"
    assert set(statuses) <= {200, 409}, statuses  # done, or someone else got there first

    # A claim of what the rep already holds answers 200 and changes nothing (no event): one
    # claim event per (handoff, rep) that won it, at most one per handoff.
    claims = {
        (h, f"rep{rep}") for h, action, rep, status in answers if (action, status) == ("claim", 200)
    }
    claimed = list(
        HandoffEvent.objects.filter(kind=EventKind.CLAIMED).values_list(
            "handoff_id", "actor__username"
        )
    )
    assert sorted(claimed) == sorted(claims)
    assert len({h for h, _rep in claimed}) == len(claimed)
    won = Counter(action for _h, action, _r, status in answers if status == 200)
    decisions = Counter(
        HandoffEvent.objects.filter(kind__in=DECISIONS.values()).values_list("kind", flat=True)
    )
    assert decisions == {EventKind.ACCEPTED: won["accept"], EventKind.RETURNED: won["return"]}
    assert won["accept"] + won["return"] == HANDOFFS

    decided = Handoff.objects.filter(pk__in=handoff_ids)
    assert decided.filter(outcome__in=[Outcome.ACCEPTED, Outcome.RETURNED]).count() == HANDOFFS
    decisions_per_handoff = (
        HandoffEvent.objects.filter(kind__in=DECISIONS.values())
        .values("handoff")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert sorted(set(decisions_per_handoff)) == [1]
    moves_per_lead = (
        StageChange.objects.exclude(to_stage=Stage.MQL)
        .values("lead")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert len(moves_per_lead) == HANDOFFS
    assert set(moves_per_lead) == {1}
    # The decider of each handoff is the rep whose 200 decided it.
    deciders = {
        (handoff_id, rep)
        for handoff_id, action, rep, status in answers
        if status == 200 and action in DECISIONS
    }
    recorded = set(
        HandoffEvent.objects.filter(kind__in=DECISIONS.values()).values_list(
            "handoff_id", "actor__username"
        )
    )
    assert recorded == {(handoff_id, f"rep{rep}") for handoff_id, rep in deciders}

    # The two workers ran what the actions queued (pool refills, notices), none failed.
    wait_for(lambda: not OrmQ.objects.exists(), timeout=30, what="the queue drained")
    assert not Failure.objects.exists(), servers.output()
    print(f"{len(answers)} calls in {elapsed:.1f} s ({len(answers) / elapsed:.0f}/s): {statuses}")
