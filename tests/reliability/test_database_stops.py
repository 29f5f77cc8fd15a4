"""PostgreSQL stopped under a running web server, then started again.

The test starts its own PostgreSQL cluster (tests/reliability/servers.py: initdb on a free port,
never the suite's server) holding a copy of the migrated test database, and gunicorn on it with
production settings. Four clients keep asking: a signed-in page in Thai, the same page through
htmx, the API, and a rep claiming and accepting handoffs one after another. The cluster is
stopped as abruptly as a crash (`pg_ctl stop -m immediate`), left down a few seconds, and
started again. Meanwhile every answer is either right or Accord's 503 in the caller's shape and
language, never a 500 or a traceback; /healthz says the database is down; once the cluster is
back each kind of request succeeds again without restarting anything; and every handoff is
either accepted with all its records or not at all. The figures printed are the ones
docs/reliability.md quotes.
"""

import json
import threading
import time
from collections import Counter

import pytest
import requests
from django.utils import translation

from tests.deploy.processes import database_url, free_port, wait_until_up
from tests.reliability.servers import (
    PrivatePostgres,
    copy_database,
    outage,
    signed_in,
    web_processes,
)

pytestmark = pytest.mark.postgres_only

HANDOFFS = 40
BEFORE, DOWN = 1.5, 3.0  # seconds of traffic before the stop; how long the cluster stays down
BACK_WITHIN = 30  # seconds for every kind of request to succeed again once the cluster is up
CHECKS = {"meets_mql_spec": True, "can_start_conversation": True, "role_could_buy": True}


@pytest.fixture
def private_postgres(transactional_db):
    """The private cluster, holding a copy of the suite's migrated (and, being transactional,
    committed and empty) test database."""
    server = PrivatePostgres()
    try:
        server.create()
        yield server, copy_database(database_url(), server, "accord")
    finally:
        server.remove()


@pytest.fixture
def web(private_postgres, tmp_path):
    server, url = private_postgres
    data = json.loads(outage("setup", str(HANDOFFS), database=url))
    processes = web_processes(tmp_path, url)
    try:
        base = processes.gunicorn("web", free_port())
        wait_until_up(base)
        yield server, url, base, data, processes
    finally:
        processes.stop_all()


class Answers:
    """Every answer the clients got: (kind, sent, answered, status, headers, body)."""

    def __init__(self):
        self.rows = []
        self.lock = threading.Lock()

    def add(self, kind, sent, response):
        with self.lock:
            self.rows.append(
                (
                    kind,
                    sent,
                    time.monotonic(),
                    response.status_code,
                    response.headers,
                    response.text,
                )
            )

    def of(self, kind):
        return [row for row in self.rows if row[0] == kind]


def test_a_stopped_database_answers_503s_and_the_app_recovers_by_itself(web):
    server, url, base, data, processes = web
    browser = signed_in(base, data["username"], data["password"])
    api = requests.Session()
    api.headers["Authorization"] = f"Token {data['token']}"
    answers = Answers()
    finished = threading.Event()
    failures = []

    def keep_asking(kind, ask):
        try:
            while not finished.is_set():
                sent = time.monotonic()
                answers.add(kind, sent, ask())
                time.sleep(0.05)
        except Exception as error:  # a client that died would make the counts lie
            failures.append((kind, error))

    pages = {
        "page": lambda: browser.get(
            f"{base}/handoff/queue/",
            headers={"Accept-Language": "th"},
            allow_redirects=False,
            timeout=10,
        ),
        "htmx": lambda: browser.get(
            f"{base}/handoff/queue/",
            headers={"HX-Request": "true"},
            allow_redirects=False,
            timeout=10,
        ),
        "api": lambda: api.get(f"{base}/api/v1/leads/", timeout=10),
    }
    accepted = []  # handoff ids whose accept answered 200

    def rep_works_the_pool():
        try:
            for handoff in data["handoffs"]:
                if finished.is_set():
                    return
                sent = time.monotonic()
                claim = api.post(f"{base}/api/v1/handoffs/{handoff}/claim/", timeout=10)
                answers.add("write", sent, claim)
                if claim.status_code == 200:
                    sent = time.monotonic()
                    accept = api.post(
                        f"{base}/api/v1/handoffs/{handoff}/accept/", json=CHECKS, timeout=10
                    )
                    answers.add("write", sent, accept)
                    if accept.status_code == 200:
                        accepted.append(handoff)
                time.sleep(0.1)
        except Exception as error:
            failures.append(("write", error))

    clients = [threading.Thread(target=keep_asking, args=item) for item in pages.items()]
    clients.append(threading.Thread(target=rep_works_the_pool))
    for client in clients:
        client.start()
    try:
        time.sleep(BEFORE)
        stopped_at = time.monotonic()
        server.stop()
        time.sleep(DOWN / 2)
        health = requests.get(f"{base}/healthz", timeout=10)
        time.sleep(DOWN / 2)
        server.start()
        restarted_at = time.monotonic()
        deadline = restarted_at + BACK_WITHIN
        while time.monotonic() < deadline and not all(
            any(row[1] >= restarted_at and row[3] < 400 for row in answers.of(kind))
            for kind in (*pages, "write")
        ):
            time.sleep(0.2)
        time.sleep(1)  # a little traffic after the recovery
    finally:
        finished.set()
        for client in clients:
            client.join(timeout=20)

    assert not failures, f"{failures[:3]}\n{processes.output()}"
    assert all(process.poll() is None for _name, process in processes.started)  # no restart
    statuses = Counter((row[0], row[3]) for row in answers.rows)
    assert not [key for key in statuses if key[1] >= 500 and key[1] != 503], (
        f"{statuses}\n{processes.output()}"
    )

    # /healthz during the stop: 503, naming the database.
    assert health.status_code == 503
    assert health.json()["database"]["status"].startswith("error: ")

    # Each kind was refused with the 503 in its own shape while the cluster was down.
    with translation.override("th"):
        thai_back_link = translation.gettext("Back to your start page")
    refused = {kind: [row for row in answers.of(kind) if row[3] == 503] for kind in pages}
    assert all(refused.values()), statuses
    for *_row, _headers, body in refused["page"]:
        assert '<html lang="th"' in body
        assert thai_back_link in body
        assert "Traceback" not in body
    for *_row, headers, body in refused["htmx"]:
        assert headers["HX-Retarget"] == "#messages"
        assert "<html" not in body
    for *_row, headers, body in refused["api"]:
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["detail"]

    # Recovered by itself: every kind succeeded again after the cluster came back.
    back_in = {}
    for kind in (*pages, "write"):
        after = [row[2] for row in answers.of(kind) if row[1] >= restarted_at and row[3] < 400]
        assert after, f"{kind} never succeeded after the restart: {statuses}"
        back_in[kind] = round(min(after) - restarted_at, 2)

    # Nothing half-written: each handoff is accepted with all its records, or not at all.
    handoffs = json.loads(outage("check", database=url))
    for handoff, state in handoffs.items():
        parts = (
            state["outcome"] == "accepted",
            state["accepted_event"],
            state["lead_stage"] == "sal",
            state["stage_change_to_sal"],
        )
        assert len(set(parts)) == 1, (handoff, state)
    assert all(handoffs[str(handoff)]["outcome"] == "accepted" for handoff in accepted)

    first_503 = {
        kind: round(min(row[2] for row in rows) - stopped_at, 2) for kind, rows in refused.items()
    }
    figures = {
        "answers": sum(statuses.values()),
        "by_kind_and_status": {
            f"{kind} {status}": n for (kind, status), n in sorted(statuses.items())
        },
        "first_503_after_stop_seconds": first_503,
        "back_after_start_seconds": back_in,
        "writes_refused_with_503": statuses[("write", 503)],
        "handoffs_accepted": sum(state["outcome"] == "accepted" for state in handoffs.values()),
        "other_5xx": sum(
            n for (_kind, status), n in statuses.items() if status >= 500 and status != 503
        ),
    }
    print(f"\ndatabase stopped: {json.dumps(figures)}")
