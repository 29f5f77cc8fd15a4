"""Real worker processes, killed mid-work: nothing lost, nothing done twice.

Each test makes a private database (a fresh PostgreSQL database on the suite's server when the
suite runs on PostgreSQL, a file when on SQLite) and, for the Redis broker, a private
`redis-server` on a free port; then starts `manage.py worker`, starts a full rescoring run, an
import, a webhook fan-out to a local receiver and an SLA scan, SIGKILLs the whole worker twice
mid-way, starts it again, runs the sweeps and waits until every job is done.

SIZE leads and import rows (2,000 here, to keep the suite bounded; RELIABILITY_SIZE=20000 runs
the issue's full size). The figures printed are the ones docs/reliability.md quotes.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.reliability.servers import Receiver

ROOT = Path(settings.BASE_DIR)
SIZE = int(os.environ.get("RELIABILITY_SIZE", "2000"))
KILLS = 2
DONE_WITHIN = 120  # seconds, after the last restart and sweep
# Short enough that a task killed with the ORM broker comes back within the test.
WORKER_ENV = {"Q_TIMEOUT": "20", "Q_RETRY": "25", "Q_WORKERS": "2", "LOG_LEVEL": "WARNING"}

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory, django_db_setup, django_db_blocker):
    """A private database, migrated once for the module: each test copies it."""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            name = f"accord_reliability_{uuid.uuid4().hex[:10]}"
            create_database(name)
            manage(["migrate", "--no-input", "-v0"], database_url(name))
            yield name
            drop_database(name)
        else:
            path = tmp_path_factory.mktemp("reliability") / "migrated.sqlite3"
            manage(["migrate", "--no-input", "-v0"], f"sqlite:///{path}")
            yield path


@pytest.fixture
def private_database(migrated_database, tmp_path):
    """A fresh copy of the migrated database; its URL."""
    if connection.vendor == "postgresql":
        name = f"accord_reliability_{uuid.uuid4().hex[:10]}"
        create_database(name, template=migrated_database)
        yield database_url(name)
        drop_database(name)
    else:
        path = tmp_path / "reliability.sqlite3"
        shutil.copyfile(migrated_database, path)
        yield f"sqlite:///{path}"


def database_url(name: str) -> str:
    return "postgres://{USER}@{HOST}:{PORT}/".format(**settings.DATABASES["default"]) + name


def create_database(name: str, template: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        )


def drop_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def private_redis(tmp_path):
    port = free_port()
    server = subprocess.Popen(  # nosec B603 B607
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield url
    server.terminate()
    server.wait()


def environment(database_url: str, redis_url: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(WORKER_ENV, DATABASE_URL=database_url, DEBUG="1", WEBHOOKS_ALLOW_LOOPBACK="1")
    # The console e-mail backend's lines reach the log even from a process killed a moment later.
    env["PYTHONUNBUFFERED"] = "1"
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(args, database_url, redis_url=""):
    return subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment(database_url, redis_url), check=True, capture_output=True,
    )  # fmt: skip


def scenario(step, *args, database_url, redis_url="", log: Path | None = None):
    """Run a step of tests/reliability/scenario.py; what it prints (e-mails the console backend
    sent from a sweep run there) is added to the worker's log."""
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "tests.reliability.scenario", step, *map(str, args)],
        cwd=ROOT, env=environment(database_url, redis_url), check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    if log is not None:
        with log.open("a") as out:
            out.write(done.stdout)
    return json.loads(done.stdout.strip().splitlines()[-1]) if step == "check" else None


def start_worker(database_url, redis_url, log: Path) -> subprocess.Popen:
    env = environment(database_url, redis_url)
    env["RELIABILITY_RUN"] = uuid.uuid4().hex  # marks every process of this worker
    worker = subprocess.Popen(  # nosec B603
        [sys.executable, "manage.py", "worker", "--grace", "5"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker.mark = f"RELIABILITY_RUN={env['RELIABILITY_RUN']}".encode()
    return worker


def kill_worker(worker: subprocess.Popen) -> float:
    """SIGKILL the supervisor (its clusters notice and SIGKILL their own process groups);
    returns how long until no worker process is left."""
    started = time.monotonic()
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    while time.monotonic() - started < 10 and any_worker_of(worker):
        time.sleep(0.1)
    return time.monotonic() - started


def any_worker_of(worker: subprocess.Popen) -> bool:
    """Whether a process started by this worker is still running."""
    return bool(processes_of(worker))


def processes_of(worker: subprocess.Popen) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if worker.mark in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def kill_leftovers(worker: subprocess.Popen) -> None:
    """A failing test leaves no process of its worker behind."""
    for pid in processes_of(worker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def run_with_kills(database_url, redis_url, tmp_path, capsys) -> dict:
    receiver = Receiver()
    log = tmp_path / "worker.log"
    scenario("setup", SIZE, receiver.url, database_url=database_url, redis_url=redis_url, log=log)
    stopped_in = []
    for _kill in range(KILLS):
        worker = start_worker(database_url, redis_url, log)
        time.sleep(4)  # mid-way: the rescoring, the import and the fan-out are all under way
        stopped_in.append(kill_worker(worker))
    # No worker runs now, so every lease the killed ones held may be treated as over.
    started = time.monotonic()
    scenario("sweep", "--leases-over", database_url=database_url, redis_url=redis_url, log=log)
    worker = start_worker(database_url, redis_url, log)
    try:
        while True:
            result = scenario("check", database_url=database_url, redis_url=redis_url)
            with (tmp_path / "progress.jsonl").open("a") as progress:
                progress.write(f"{time.monotonic() - started:.1f} {json.dumps(result)}\n")
            done = (
                result["rescore_status"] == "done"
                and result["import_status"] == "done"
                and result["deliveries_pending"] == 0
                and result["emails_unsent"] == 0
                and result["escalated_clocks"] == result["breached_clocks"] > 0
            )
            if done or time.monotonic() - started > DONE_WITHIN:
                break
            scenario("sweep", database_url=database_url, redis_url=redis_url, log=log)
            time.sleep(1)
        result["recovered_in_seconds"] = round(time.monotonic() - started, 1)
        stop_started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        result["sigterm_stop_seconds"] = round(time.monotonic() - stop_started, 1)
    finally:
        kill_leftovers(worker)
    receiver.server.shutdown()
    result.update(
        kills=KILLS,
        kill_cleanup_seconds=[round(s, 1) for s in stopped_in],
        webhook_requests=receiver.requests,
        webhook_distinct_ids=len(receiver.ids),
        webhook_most_requests_for_one_id=max(receiver.ids.values(), default=0),
        emails_printed=log.read_text().count("Subject: "),
    )
    with capsys.disabled():
        print(f"\nreliability ({connection.vendor}, {'redis' if redis_url else 'orm'} broker, "
              f"size {SIZE}): {json.dumps(result)}")  # fmt: skip
    return result


def assert_nothing_lost_or_doubled(result):
    assert result["rescore_status"] == "done"
    assert result["leads_not_rescored"] == 0
    assert result["import_status"] == "done"
    assert result["rows_imported"] == SIZE
    assert result["escalated_clocks"] == result["breached_clocks"] > 0
    assert result["breach_deliveries"] == result["breached_clocks"]  # each escalation once
    assert result["breach_notifications"] == result["breached_clocks_held"]  # each rep told once
    assert result["deliveries_pending"] == 0
    assert result["webhook_distinct_ids"] == result["deliveries"]  # every delivery arrived
    # A delivery killed between sending and marking is sent once more, never more.
    assert result["webhook_most_requests_for_one_id"] <= 2
    assert result["emails_unsent"] == 0
    assert result["emails_wanted"] <= result["emails_printed"] <= 2 * result["emails_wanted"]
    assert result["sigterm_stop_seconds"] < 10


def test_killed_workers_lose_nothing_with_the_database_broker(private_database, tmp_path, capsys):
    assert_nothing_lost_or_doubled(run_with_kills(private_database, "", tmp_path, capsys))


def test_killed_workers_lose_nothing_with_the_redis_broker(
    private_database, private_redis, tmp_path, capsys
):
    assert_nothing_lost_or_doubled(
        run_with_kills(private_database, private_redis, tmp_path, capsys)
    )


def test_a_worker_whose_parent_died_stops_by_itself(private_database, tmp_path):
    """What started the worker (a shell, a terminal, make) is killed: the worker and its
    clusters go too, instead of running on as orphans."""
    env = environment(private_database)
    env["RELIABILITY_RUN"] = uuid.uuid4().hex
    log = tmp_path / "worker.log"
    parent = subprocess.Popen(  # nosec B603 B607
        ["sh", "-c", f"{sys.executable} manage.py worker >>{log} 2>&1 & wait"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    parent.mark = f"RELIABILITY_RUN={env['RELIABILITY_RUN']}".encode()
    deadline = time.monotonic() + 60
    while (
        "started" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    time.sleep(2)  # the clusters' sentinels and workers are up
    assert any_worker_of(parent)

    started = time.monotonic()
    os.kill(parent.pid, signal.SIGKILL)  # the shell only, not its process group
    parent.wait()
    while any_worker_of(parent) and time.monotonic() - started < 15:
        time.sleep(0.1)
    stopped_in = time.monotonic() - started
    left = processes_of(parent)
    kill_leftovers(parent)

    assert left == []
    assert stopped_in < 5
