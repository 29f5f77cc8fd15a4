"""Real server processes for the scale-out tests: gunicorn and qcluster on the test database.

Each process starts in its own session (process group), so stopping it reaches its children too
(gunicorn's and qcluster's workers): SIGTERM, then SIGKILL after a few seconds, never left behind.
Their output goes to a file in pytest's tmp_path, printed when a test fails.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import requests
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]
STOP_GRACE = 8


def database_url(alias: str = "default") -> str:
    """The test database as a DATABASE_URL the child processes can read."""
    db = connections[alias].settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Processes:
    """Started processes, stopped together by `stop_all` (a fixture's teardown)."""

    def __init__(self, logs: Path, database: str):
        self.logs = logs
        self.env = {
            **os.environ,
            "DATABASE_URL": database,
            # Production settings, as deployed, except that the test speaks plain HTTP.
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
        # The ORM broker: the test needs nothing but its database.
        self.env.pop("REDIS_URL", None)
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, *argv: str, **env: str) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, process))
        return process

    def gunicorn(self, name: str, port: int, workers: int = 2) -> str:
        self.start(
            name,
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "config.wsgi",
            PORT=str(port),
            WEB_CONCURRENCY=str(workers),
            GUNICORN_LOG_LEVEL="warning",
        )
        return f"http://127.0.0.1:{port}"

    def qcluster(self, name: str, **env: str) -> subprocess.Popen:
        return self.start(name, sys.executable, "manage.py", "qcluster", **env)

    def stop_all(self) -> None:
        for _name, process in self.started:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for _name, process in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)  # the group's stragglers, if any
            process.wait()

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def output(self) -> str:
        """The end of each process's log, for a failing assertion's message."""
        return "\n".join(f"--- {name} ---\n{self.log(name)[-4000:]}" for name, _ in self.started)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_until_up(base_url: str, timeout: float = 30) -> None:
    """Until the web process answers at all (/healthz may say 503: no worker has beaten yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(f"{base_url}/healthz", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{base_url} did not answer within {timeout} s")


def wait_for(condition, *, timeout: float, poll: float = 0.5, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"not within {timeout} s: {what}")
