"""`make run`: the web server and the django-q2 worker together, stopped together by Ctrl-C.

honcho starts each in its own process group, sends SIGTERM to both on Ctrl-C and SIGKILL after
five seconds. The worker is `manage.py worker`, which stops its django-q2 clusters (the main queue
and the SLA queue) within its grace period and kills their process groups, so no qcluster stuck
in "stopping" outlives the command.

The console stays readable: the worker logs only its warnings and errors there (not every
scheduled task it queues and processes, several a minute) unless WORKER_LOG=1, and the banner
with the address and the demo logins is printed again once the web server answers and the worker
has run a task, below the lines both print while starting.
"""

import logging
import os
import socket
import sys
import threading
import time
from datetime import datetime

from honcho.manager import Manager
from honcho.printer import Message, Printer

PORT = os.environ.get("PORT", "8000")
PYTHON = sys.executable
# The name the banner goes by on honcho's event queue (printed as it is, without a prefix).
BANNER = "banner"
# How long the web server and the worker have to come up before the console says so.
READY_TIMEOUT = 120


def listen_address(*, debug: bool, host: str | None, port: str) -> str:
    """Where runserver listens: HOST if given, else this machine only in development (DEBUG on
    is no server to expose to the network), else every interface."""
    host = (host or "").strip() or ("127.0.0.1" if debug else "0.0.0.0")  # nosec B104
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def banner(address: str, *, up: bool) -> str:
    from pages.demo.leads import DEMO_PASSWORD, DEMO_USERS

    lines = [
        "",
        f"  Accord is {'up' if up else 'starting'} on http://{address}/",
        f"  Demo logins (password for all: {DEMO_PASSWORD}):",
    ]
    for username, (_first, _last, roles) in DEMO_USERS.items():
        lines.append(f"    {username:<10} {', '.join(roles)}")
    lines += ["  Press Ctrl-C to stop the web server and the worker.", ""]
    return "\n".join(lines)


def worker_env(environ: dict[str, str], *, worker_log: bool) -> dict[str, str]:
    """The worker's environment: with `worker_log` off, its log level (LOG_LEVEL, which
    config.settings gives the root logger, and so django-q2's) is WARNING."""
    env = {**environ, "PYTHONUNBUFFERED": "1"}
    if not worker_log:
        env["LOG_LEVEL"] = "WARNING"
    return env


def web_answers(address: str) -> bool:
    """Whether something accepts connections at runserver's address (an address listening on
    every interface is reached on this machine's loopback)."""
    host, _colon, port = address.rpartition(":")
    host = {"0.0.0.0": "127.0.0.1", "[::]": "::1"}.get(host, host).strip("[]")  # nosec B104
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def worker_ran_since(moment: datetime) -> bool:
    """Whether the worker has run a task since `moment`: its heartbeat, as /healthz reads it."""
    from django.db import DatabaseError

    from core.models import WorkerHeartbeat

    try:
        return WorkerHeartbeat.objects.filter(beat_at__gte=moment).exists()
    except DatabaseError:  # SQLite busy with the worker's write: ask again at the next poll
        return False


def announce_when_up(
    events, text: str, checks, *, timeout: float, poll: float = 0.5, clock=time.monotonic
) -> bool:
    """Put `text` on honcho's event queue once every check passes; after `timeout` seconds
    without that, a line saying so instead. Returns whether everything came up."""
    deadline = clock() + timeout
    while clock() < deadline:
        if all(check() for check in checks):
            events.put(_banner_line(text))
            return True
        time.sleep(poll)
    events.put(
        _banner_line(f"  The web server or the worker is not up after {timeout:.0f} seconds.")
    )
    return False


def _banner_line(text: str) -> Message:
    return Message(type="line", data=text, time=datetime.now(), name=BANNER, colour=None)


class Console(Printer):
    """honcho's printer, except that the banner is printed as it is, without the time and
    process name each line of the web server and the worker starts with."""

    def write(self, message):
        if message.name == BANNER:
            print(message.data, file=self.output, flush=True)
        else:
            super().write(message)


def main():
    sys.path.insert(0, os.getcwd())
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.utils import timezone
    from django_q.tasks import async_task

    from config.env import env_bool

    address = listen_address(debug=env_bool("DEBUG"), host=os.environ.get("HOST"), port=PORT)
    print(banner(address, up=False), flush=True)
    manager = Manager(printer=Console(sys.stdout))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    manager.add_process("web", f"{PYTHON} manage.py runserver {address}", env=env)
    worker = worker_env(dict(os.environ), worker_log=env_bool("WORKER_LOG"))
    manager.add_process("worker", f"{PYTHON} manage.py worker --grace 4", env=worker)
    # A heartbeat for the worker to run as soon as it starts, rather than at its first
    # scheduled one up to a minute later; queuing it is no news for this console.
    logging.getLogger("django-q").setLevel(logging.WARNING)
    launched = timezone.now()
    async_task("core.tasks.record_heartbeat")
    threading.Thread(target=_announce, args=(manager, address, launched), daemon=True).start()
    manager.loop()
    sys.exit(manager.returncode)


def _announce(manager: Manager, address: str, launched: datetime) -> None:
    from django.db import connections

    try:
        announce_when_up(
            manager.events,
            banner(address, up=True),
            [lambda: web_answers(address), lambda: worker_ran_since(launched)],
            timeout=READY_TIMEOUT,
        )
    finally:
        connections.close_all()


if __name__ == "__main__":
    main()
