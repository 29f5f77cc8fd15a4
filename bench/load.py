"""`manage.py bench --only accept_under_load`: SDRs accepting handoffs over HTTP, all at once.

A real server (gunicorn, in a subprocess) answers on the bench database while 20 clients post
accepts over keep-alive connections. Each rep works from two clients (a second tab, a double
click) that both try every one of the rep's handoffs in the same order: the permissions let both
through, so only the row lock in `accept_handoff` keeps a handoff from being accepted twice.
One of each pair must get 200 and the other a clean 409.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice, zip_longest
from typing import IO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from accounts.services import api_token_create
from bench.base import Bench, Result, median, p95
from handoff.models import EventKind, Handoff, HandoffEvent, Outcome
from handoff.services import claim_handoff
from handoff.services.handoffs import ACCEPTANCE_CHECKS
from leads.models import Stage, StageChange
from teams.models import TeamMember

CLIENTS = 20
CLIENTS_PER_REP = 2
ACCEPTS = 2000
# Two worker processes for two cores; four threads each overlap a request's database waits
# with another's Python work. gthread keeps connections alive, the default sync worker does not.
SERVER_OPTIONS = ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]
KEEP_ALIVE_SECONDS = 60
STARTUP_SECONDS = 60
REQUEST_SECONDS = 30
# The clients send nothing more after this long, so a stuck server cannot hold the run forever.
RUN_SECONDS = 600
ANSWERED = (200, 409)


@dataclass(frozen=True)
class Reply:
    status: int | None  # None: no HTTP answer (refused, reset, timed out) or never sent
    # What the server's Server-Timing header said it spent (core.middleware), in milliseconds.
    server_ms: float | None = None
    cpu_ms: float | None = None


@dataclass(frozen=True)
class Answer:
    handoff_id: int
    reply: Reply
    seconds: float  # as the client waited, queueing included

    @property
    def status(self) -> int | None:
        return self.reply.status


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # with {} for the handoff's id
    body: str | None = None


ACCEPT = Request(
    "POST", "/api/v1/handoffs/{}/accept/", json.dumps(dict.fromkeys(ACCEPTANCE_CHECKS, True))
)
READ = Request("GET", "/api/v1/handoffs/{}/")


def accept_under_load(bench: Bench) -> Result:
    """The median time the server spends on a successful accept, as its Server-Timing header
    says (from the first middleware to the answer: what a request costs once a worker runs it,
    without the time it queued for one). The baseline is the same for the same clients reading
    the same handoffs first (HTTP, token, one row), under the same offered load: the ratio is
    what an accept costs over a plain read. The clients' own p95 and the CPU per request are in
    the notes."""
    work = prepare(bench)
    handoff_ids = list(chain.from_iterable(work.values()))
    tokens = api_keys(work)
    clients = [(tokens[rep], pks) for rep, pks in work.items() for _ in range(CLIENTS_PER_REP)]
    bench.log(
        f"{len(handoff_ids):,} handoffs of {len(work)} reps, each tried by {CLIENTS_PER_REP} "
        f"of {len(clients)} clients"
    )
    with http_server(bench.database_url) as server:
        reads, _seconds = run_clients(server.port, clients, READ)
        since = timezone.now()
        answers, seconds = run_clients(server.port, clients, ACCEPT)
        statuses = Counter(answer.status for answer in answers)
        unexpected = Counter(answer.status for answer in reads if answer.status != 200)
        unexpected.update({s: n for s, n in statuses.items() if s not in ANSWERED})
        if unexpected:
            bench.log(f"unexpected answers: {dict(unexpected)}; the server said:\n{server.log()}")
    read = [answer for answer in reads if answer.status == 200]
    accepted_ok = [answer for answer in answers if answer.status == 200]
    latencies = [answer.seconds for answer in accepted_ok]
    server, read_server = in_server(accepted_ok, "server_ms"), in_server(read, "server_ms")
    cpu, read_cpu = in_server(accepted_ok, "cpu_ms"), in_server(read, "cpu_ms")
    wins = Counter(answer.handoff_id for answer in answers if answer.status == 200)
    doubles = double_accepts(handoff_ids, since) | {pk for pk, n in wins.items() if n > 1}
    accepted = Handoff.objects.filter(pk__in=handoff_ids, outcome=Outcome.ACCEPTED).count()
    throughput = round(len(latencies) / seconds, 1) if seconds else None
    return Result(
        name="accept_under_load",
        value=rounded(median, server),
        unit="ms in server",
        target=1.5 * median(read_server) if read_server else None,
        better="lower",
        baseline=rounded(median, read_server),
        baseline_label="reading the handoff, in server",
        notes=(
            f"{len(clients)} clients ({len(work)} reps, {CLIENTS_PER_REP} each), gunicorn "
            f"{' '.join(SERVER_OPTIONS)}; medians in the server: CPU {rounded(median, cpu)} "
            f"ms per accept, {rounded(median, read_cpu)} ms per read; as the clients waited: "
            f"p95 {milliseconds(p95, latencies)} ms, median {milliseconds(median, latencies)} "
            f"ms; {statuses[409]:,} clean 409s, {throughput} accepts/s"
        ),
        extra={
            "errors": sum(unexpected.values()),
            "double_accepts": len(doubles),
            "accepts": len(latencies),
            "cpu_ms": rounded(median, cpu),
            "read_cpu_ms": rounded(median, read_cpu),
            "client_p95_ms": milliseconds(p95, latencies),
            "throughput_per_s": throughput,
            "conflicts": statuses[409],
            "accepted_in_database": accepted,
        },
    )


# Accepting moves handoffs out of the queue: the command runs it after the measurements that
# only read.
accept_under_load.changes_data = 1


def api_keys(work: dict[int, list[int]]) -> dict[int, str]:
    """A new API key for each rep: Accord keeps only digests, so no run can reuse an earlier
    run's keys."""
    reps = get_user_model().objects.in_bulk(list(work))
    return {
        pk: api_token_create(user=rep, name="Benchmark", lifetime_in_days=30).key
        for pk, rep in reps.items()
    }


def milliseconds(statistic, samples: list[float]) -> float | None:
    return round(statistic(samples) * 1000, 1) if samples else None


def rounded(statistic, samples: list[float]) -> float | None:
    return round(statistic(samples), 2) if samples else None


def in_server(answers: list[Answer], field: str) -> list[float]:
    """What the server said it spent on these answers (Reply.server_ms or cpu_ms)."""
    values = (getattr(answer.reply, field) for answer in answers)
    return [value for value in values if value is not None]


def prepare(bench: Bench) -> dict[int, list[int]]:
    """Up to ACCEPTS open MQL handoffs, dealt evenly to the reps with the most of them, most
    urgent first. When the reps' own queues hold too few, they claim from their teams' pools
    first, as a rep would before accepting."""
    open_mqls = Handoff.objects.filter(outcome=Outcome.OPEN, lead__stage=Stage.MQL)
    loads = dict(
        open_mqls.filter(assignee__in=bench.data.sdr_ids)
        .values("assignee")
        .annotate(n=Count("id"))
        .values_list("assignee", "n")
    )
    reps = sorted(bench.data.sdr_ids, key=lambda rep: (-loads.get(rep, 0), rep))
    queues = {
        rep: list(
            open_mqls.filter(assignee=rep)
            .order_by("sla_due_at", "id")
            .values_list("id", flat=True)[:ACCEPTS]
        )
        for rep in reps[: CLIENTS // CLIENTS_PER_REP]
    }
    missing = ACCEPTS - sum(len(pks) for pks in queues.values())
    if missing > 0:
        claim_from_pools(queues, open_mqls, missing)
    return deal(queues, ACCEPTS)


def claim_from_pools(queues: dict[int, list[int]], open_mqls, limit: int) -> None:
    """Each pooled handoff goes, through the claim service, to the rep of its team with the
    shortest queue."""
    teams: dict[int, list[int]] = {}
    for team_id, rep in TeamMember.objects.filter(user__in=queues).values_list("team", "user"):
        teams.setdefault(team_id, []).append(rep)
    users = get_user_model().objects.in_bulk(list(queues))
    pooled = open_mqls.filter(assignee=None, team__in=teams).order_by("sla_due_at", "id")
    for handoff in pooled[:limit]:
        rep = min(teams[handoff.team_id], key=lambda rep: len(queues[rep]))
        claim_handoff(handoff=handoff, user=users[rep])
        queues[rep].append(handoff.pk)


def deal(queues: dict[int, list[int]], limit: int) -> dict[int, list[int]]:
    """At most `limit` handoffs in all, taken from the reps' queues in turn."""
    dealt: dict[int, list[int]] = {rep: [] for rep in queues}
    turns = zip_longest(*([(rep, pk) for pk in pks] for rep, pks in queues.items()))
    for rep, pk in islice(filter(None, chain.from_iterable(turns)), limit):
        dealt[rep].append(pk)
    return dealt


def run_clients(
    port: int, clients: list[tuple[str, list[int]]], request: Request
) -> tuple[list[Answer], float]:
    """Every client's answers, and the seconds from the common start until the last finished."""
    answers: list[Answer] = []
    start = threading.Barrier(len(clients) + 1)
    deadline = time.monotonic() + RUN_SECONDS
    threads = [
        threading.Thread(target=client, args=(port, token, pks, request, start, deadline, answers))
        for token, pks in clients
    ]
    for thread in threads:
        thread.start()
    start.wait(timeout=STARTUP_SECONDS)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return answers, time.perf_counter() - started


def client(
    port: int,
    token: str,
    handoff_ids: list[int],
    request: Request,
    start: threading.Barrier,
    deadline: float,
    answers: list[Answer],
) -> None:
    """One rep's browser tab: a warm-up read (its connection open), then one request per
    handoff, one after another."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    try:
        if handoff_ids:
            send(connection, READ.method, READ.path.format(handoff_ids[0]), None, headers)
        start.wait(timeout=STARTUP_SECONDS)
        for pk in handoff_ids:
            if time.monotonic() > deadline:
                answers.append(Answer(pk, Reply(None), 0.0))
                continue
            started = time.perf_counter()
            path = request.path.format(pk)
            reply = send(connection, request.method, path, request.body, headers)
            answers.append(Answer(pk, reply, time.perf_counter() - started))
    finally:
        connection.close()


def send(connection: http.client.HTTPConnection, method, path, body, headers) -> Reply:
    """The answer's status and the server's timing, or no status when there was no answer (the
    connection is then reopened)."""
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        connection.close()
        return Reply(None)
    timing = server_timing(response.getheader("Server-Timing", ""))
    return Reply(response.status, timing.get("app"), timing.get("cpu"))


def server_timing(header: str) -> dict[str, float]:
    """{name: milliseconds} from a Server-Timing header such as "app;dur=4.2, cpu;dur=3.1"."""
    found = {}
    for metric in filter(None, (part.strip() for part in header.split(","))):
        name, *params = (param.strip() for param in metric.split(";"))
        for param in params:
            key, _equals, value = param.partition("=")
            if key == "dur":
                found[name] = float(value)
    return found


def double_accepts(handoff_ids: list[int], since: datetime) -> set[int]:
    """The handoffs recorded as accepted more than once, or whose lead entered SAL twice."""
    twice = set(
        HandoffEvent.objects.filter(handoff__in=handoff_ids, kind=EventKind.ACCEPTED)
        .values("handoff")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("handoff", flat=True)
    )
    leads = dict(Handoff.objects.filter(pk__in=handoff_ids).values_list("lead", "id"))
    moved_twice = (
        StageChange.objects.filter(lead__in=leads, to_stage=Stage.SAL, created_at__gte=since)
        .values("lead")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("lead", flat=True)
    )
    return twice | {leads[lead] for lead in moved_twice}


@dataclass(frozen=True)
class Server:
    port: int
    output: IO[bytes]

    def log(self, chars: int = 3000) -> str:
        """The end of what the server printed (errors and tracebacks)."""
        self.output.seek(0)
        return self.output.read().decode(errors="replace")[-chars:]


@contextmanager
def http_server(database_url: str) -> Iterator[Server]:
    """gunicorn serving Accord (DEBUG off) on a free local port; the server and its workers
    are stopped when the block ends, however it ends."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=128)
    command = [
        sys.executable,
        *("-m", "gunicorn", "config.wsgi:application"),
        *("--bind", f"fd://{listener.fileno()}", "--no-control-socket", "--preload"),
        *("--keep-alive", str(KEEP_ALIVE_SECONDS), *SERVER_OPTIONS),
    ]
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback, as behind a TLS-terminating proxy.
        "SECURE_SSL_REDIRECT": "0",
        # Errors only: the expected 409s would bury them.
        "LOG_LEVEL": "ERROR",
        # What each request cost in the server (core.middleware.ServerTimingMiddleware).
        "SERVER_TIMING": "1",
    }
    with tempfile.TemporaryFile() as output:
        server = Server(listener.getsockname()[1], output)
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
            start_new_session=True,
        )
        listener.close()
        try:
            wait_until_answering(process, server)
            yield server
        finally:
            stop(process)


def wait_until_answering(process: subprocess.Popen, server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=STARTUP_SECONDS)
        reply = send(connection, "GET", "/healthz", None, {})
        connection.close()
        if reply.status is not None:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{server.log()}")


def stop(process: subprocess.Popen) -> None:
    """Stop the server's whole process group: the master and every worker it forked."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
