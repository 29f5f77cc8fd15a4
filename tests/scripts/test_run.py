import io
import os
import queue
import socket
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from honcho.printer import Message

from core.models import WorkerHeartbeat
from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS
from scripts.run import (
    BANNER,
    Console,
    announce_when_up,
    banner,
    listen_address,
    web_answers,
    worker_env,
    worker_ran_since,
)


def test_development_listens_on_this_machine_only():
    assert listen_address(debug=True, host=None, port="8000") == "127.0.0.1:8000"


@pytest.mark.parametrize("debug", [True, False])
def test_a_given_host_wins(debug):
    assert listen_address(debug=debug, host="0.0.0.0", port="8000") == "0.0.0.0:8000"


def test_without_debug_it_listens_on_every_interface():
    assert listen_address(debug=False, host=None, port="9000") == "0.0.0.0:9000"


def test_an_empty_host_counts_as_none():
    assert listen_address(debug=True, host="  ", port="8000") == "127.0.0.1:8000"


def test_an_ipv6_host_is_bracketed():
    assert listen_address(debug=True, host="::1", port="8000") == "[::1]:8000"


def test_the_banner_says_starting_then_up_with_every_demo_login():
    starting = banner("127.0.0.1:8000", up=False)
    up = banner("127.0.0.1:8000", up=True)

    assert "Accord is starting on http://127.0.0.1:8000/" in starting
    assert "Accord is up on http://127.0.0.1:8000/" in up
    assert all(f"    {username} " in up for username in DEMO_USERS)
    assert DEMO_PASSWORD in up


def test_the_worker_logs_warnings_only_unless_worker_log_asks():
    quiet = worker_env({"LOG_LEVEL": "DEBUG", "PATH": "/bin"}, worker_log=False)
    loud = worker_env({"LOG_LEVEL": "DEBUG", "PATH": "/bin"}, worker_log=True)

    assert quiet["LOG_LEVEL"] == "WARNING"
    assert loud["LOG_LEVEL"] == "DEBUG"
    assert quiet["PATH"] == loud["PATH"] == "/bin"


# A stand-in for the worker: Accord's settings, then what django-q2 logs of a routine task and
# of a failed one.
FAKE_WORKER = (
    "import logging, django; django.setup(); "
    "logging.getLogger('django-q').info('Processed core.tasks.record_heartbeat'); "
    "logging.getLogger('django-q').error('Failed webhooks.tasks.send_due_deliveries')"
)


@pytest.mark.parametrize("worker_log", [False, True])
def test_a_quiet_worker_prints_its_failures_but_not_its_routine(worker_log):
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-c", FAKE_WORKER],
        env=worker_env(environ, worker_log=worker_log),
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )

    assert "Failed webhooks.tasks.send_due_deliveries" in result.stderr
    assert ("Processed core.tasks.record_heartbeat" in result.stderr) is worker_log


def test_the_banner_is_announced_once_every_check_passes():
    events = queue.Queue()
    answers = iter([False, False, True])

    checks = [lambda: True, lambda: next(answers)]

    up = announce_when_up(events, "BANNER", checks, timeout=5, poll=0)

    assert up
    assert events.get_nowait().data == "BANNER"
    assert events.empty()


def test_a_process_that_never_comes_up_is_announced_instead():
    events = queue.Queue()
    ticks = iter(range(100))

    up = announce_when_up(
        events, "BANNER", [lambda: False], timeout=3, poll=0, clock=lambda: next(ticks)
    )

    assert not up
    assert "not up after 3 seconds" in events.get_nowait().data
    assert events.empty()


def test_the_console_prints_the_banner_as_it_is_and_other_lines_prefixed():
    output = io.StringIO()
    console = Console(output)
    console.width = 6
    at = datetime(2026, 11, 25, 10, 30)

    console.write(Message(type="line", data="  Accord is up", time=at, name=BANNER, colour=None))
    console.write(Message(type="line", data="ready\n", time=at, name="web", colour=None))

    assert output.getvalue() == "  Accord is up\n10:30:00 web    | ready\n"


def test_the_web_server_answers_once_something_listens():
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        port = listening.getsockname()[1]
        assert not web_answers(f"127.0.0.1:{port}")
        listening.listen()
        assert web_answers(f"127.0.0.1:{port}")
        assert web_answers(f"0.0.0.0:{port}")


@pytest.mark.django_db
def test_the_worker_is_up_once_it_has_beaten_since_the_launch():
    launched = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        pk=1, defaults={"beat_at": launched - timedelta(minutes=1)}
    )
    assert not worker_ran_since(launched)

    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": timezone.now()})

    assert worker_ran_since(launched)
