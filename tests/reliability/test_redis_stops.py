"""Redis stopped under a running web server and worker, then started again.

gunicorn and a django-q2 cluster run with REDIS_URL on a private redis-server (the broker, the
cache and the rate counters). With Redis stopped: pages and the throttled API still answer (the
counters count in the database meanwhile), /healthz names the cache and the broker, and leads
that become MQLs through the API are recorded with their webhook deliveries and notification
e-mails, though no task can be queued. Once Redis is back, the periodic sweeps, queued as their
schedules queue them, hand that work to the queue and the worker does it.
"""

import json
import sys
import time

import pytest
import requests
from django.apps import apps
from django.utils import timezone

from accounts.roles import Role
from accounts.services import api_token_create
from core.models import WorkerHeartbeat
from leads.models import Lead, Stage
from notifications.models import Notification
from scoring.starter import install_starter_agreement
from tests.deploy.processes import database_url, free_port, wait_for, wait_until_up
from tests.factories import LeadFactory, UserFactory
from tests.reliability.outage import PASSWORD
from tests.reliability.servers import PrivateRedis, Receiver, outage, signed_in, web_processes
from tests.teams.factories import TeamFactory, TeamMemberFactory
from webhooks.models import Delivery, Subscription

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

LEADS = 5
DONE_WITHIN = 40  # seconds after Redis is back and the sweeps are queued


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """Passwords hashed as the server checks them: the test signs in through its login form."""


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def accord(tmp_path, private_redis):
    """The starter agreement, a team whose rep is told of new MQLs (by e-mail too), a webhook
    subscription to a receiver in the test, a marketer's API token, and leads one demo request
    away from MQL; gunicorn and a cluster on the test database and the private Redis."""
    install_starter_agreement(apps)
    team = TeamFactory(is_default=True)
    TeamMemberFactory(team=team, user=UserFactory(username="rep", roles=[Role.SDR]))
    marketer = UserFactory(username="maya", roles=[Role.MARKETER])
    key = api_token_create(user=marketer, name="Outage", lifetime_in_days=30).key
    receiver = Receiver()
    Subscription.objects.create(name="receiver", url=receiver.url, events=["lead.mql"])
    leads = [LeadFactory().pk for _ in range(LEADS)]
    processes = web_processes(
        tmp_path,
        database_url(),
        REDIS_URL=private_redis.url,
        WEBHOOKS_ALLOW_HTTP="1",
        WEBHOOKS_ALLOW_LOOPBACK="1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    try:
        base = processes.gunicorn("web", free_port(), workers=1)
        start_worker(processes, "worker")
        wait_until_up(base)
        # The worker runs: it did the heartbeat the sweeps queue.
        queue_the_sweeps(processes)
        try:
            wait_for(WorkerHeartbeat.objects.exists, timeout=30, what="the worker's first task")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{processes.output()}") from None
        yield base, key, leads, receiver, processes
    finally:
        processes.stop_all()
        receiver.server.shutdown()


def queue_the_sweeps(processes):
    """What the schedules queue every minute, queued now in the servers' Redis."""
    outage(
        "sweep",
        database=database_url(),
        REDIS_URL=processes.env["REDIS_URL"],
        SECRET_KEY=processes.env["SECRET_KEY"],
    )


def start_worker(processes, name):
    """`manage.py worker` as deployed, with the main queue only (SLA_QUEUE empty) to stay lean."""
    return processes.start(
        name, sys.executable, "manage.py", "worker", "--grace", "3", Q_WORKERS="1", SLA_QUEUE=""
    )


def test_with_redis_stopped_pages_answer_and_the_work_is_done_once_it_returns(
    accord, private_redis
):
    base, key, leads, receiver, processes = accord
    api = requests.Session()
    api.headers["Authorization"] = f"Token {key}"
    up = requests.get(f"{base}/healthz", timeout=10).json()
    assert (up["cache"]["status"], up["broker"]["status"]) == ("ok", "ok")

    private_redis.stop()

    health = requests.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 503
    assert health.json()["database"] == {"status": "ok"}
    assert health.json()["cache"] == {"status": "error: ConnectionError"}
    assert health.json()["broker"] == {"status": "error: ConnectionError"}
    browser = signed_in(base, "maya", PASSWORD)
    pages = {
        path: browser.get(f"{base}{path}", timeout=10).status_code for path in ("/", "/leads/")
    }
    assert pages == {"/": 200, "/leads/": 200}, processes.output()
    assert api.get(f"{base}/api/v1/leads/", timeout=10).status_code == 200  # throttled
    demos = [
        {"external_id": f"demo-{pk}", "lead": pk, "kind": "demo_request",
         "occurred_at": timezone.now().isoformat()}
        for pk in leads
    ]  # fmt: skip
    ingested = api.post(f"{base}/api/v1/activities/", json=demos, timeout=30)
    assert ingested.status_code == 200, f"{ingested.text[:500]}\n{processes.output()}"

    # Recorded in the database, though nothing could be queued.
    assert Lead.objects.filter(pk__in=leads, stage=Stage.MQL).count() == LEADS
    deliveries = Delivery.objects.filter(event="lead.mql")
    assert deliveries.count() == LEADS
    assert not deliveries.filter(status="succeeded").exists()
    emails = Notification.objects.filter(email_wanted=True)
    assert emails.count() >= 1
    assert not emails.filter(emailed_at__isnull=False).exists()
    assert receiver.requests == 0

    private_redis.start()
    back = time.monotonic()
    # django-q2's cluster stops when it loses Redis; `manage.py worker` then exits 1 and its
    # systemd unit (Restart=always) starts it again, as the test does.
    worker = dict(processes.started)["worker"]
    worker_stopped = worker.poll() is not None
    if worker_stopped:
        start_worker(processes, "worker again")
    queue_the_sweeps(processes)
    wait_for(
        lambda: (
            len(receiver.ids) == LEADS
            and not deliveries.exclude(status="succeeded").exists()
            and not emails.filter(emailed_at__isnull=True).exists()
        ),
        timeout=DONE_WITHIN,
        what=f"the deliveries and e-mails done\n{processes.output()}",
    )
    done_in = time.monotonic() - back

    sent = [processes.log(name).count("Subject: ") for name, _process in processes.started]
    assert sum(sent) == emails.count()
    health = requests.get(f"{base}/healthz", timeout=10).json()
    assert (health["cache"]["status"], health["broker"]["status"]) == ("ok", "ok")
    assert "Internal Server Error" not in processes.log("web")
    print(
        f"\nredis stopped: {json.dumps({'done_after_redis_returned_seconds': round(done_in, 1),
        'deliveries': len(receiver.ids), 'emails': emails.count(),
        'worker_stopped_with_redis': worker_stopped})}"
    )  # fmt: skip
