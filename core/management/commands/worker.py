"""`manage.py worker`: django-q2's clusters under a supervisor that stops them in bounded time.

django-q2 1.11's `qcluster` stops gracefully or not at all: on SIGTERM it waits for every task in
hand, with no bound, and a second SIGTERM only starts that wait again; when whatever started it
dies, nothing tells it (docs/reliability.md, "Stopping"). This command runs one `qcluster` per
queue, each in its own process group, and

- on SIGTERM or SIGINT asks each to stop, then after `--grace` seconds kills what is left of its
  process group: a stop takes at most the grace period and leaves no process behind;
- stops the same way when its own parent dies (Linux tells it by PR_SET_PDEATHSIG; elsewhere it
  notices by polling), and each cluster kills its own group if this supervisor is killed;
- stops everything, and exits non-zero, when one cluster dies, for the process manager to restart.

An interrupted task is not lost: every job is recoverable from the database by its sweep.
"""

import argparse
import contextlib
import ctypes
import os
import signal

# Runs this same manage.py with fixed arguments, never input.
import subprocess  # nosec B404
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django_q.cluster import Cluster

GRACE = 10  # seconds
POLL = 0.5  # seconds
PR_SET_PDEATHSIG = 1
SUPERVISOR = "ACCORD_WORKER_SUPERVISOR"  # the environment variable giving a cluster its supervisor


def default_queues() -> list[str]:
    """The main queue, and the SLA scan's own one unless it runs on the main queue."""
    return [settings.Q_CLUSTER["name"], *([settings.SLA_QUEUE] if settings.SLA_QUEUE else [])]


def signal_on_parent_death(signum: int) -> bool:
    """Ask Linux to send `signum` to this process when its parent dies; False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


class Command(BaseCommand):
    help = "Run django-q2's clusters (the main queue and the SLA queue), stopped in bounded time."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            help="A queue (cluster name) to work; repeat for several. Default: all of Accord's.",
        )
        parser.add_argument(
            "--grace",
            type=float,
            default=GRACE,
            help="Seconds the clusters get to finish their tasks on stop before being killed.",
        )
        # Internal: run one cluster in this process, dying with the supervisor that started it.
        parser.add_argument("--cluster-child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, queues=None, grace=GRACE, cluster_child=False, **options):
        if cluster_child:
            return self.run_cluster()
        return self.supervise(queues or default_queues(), grace=grace)

    def run_cluster(self):
        """One cluster in this process (its process group holds its sentinel and workers), kept
        while the sentinel lives; as soon as the supervisor is gone, the whole group is killed.

        Not `qcluster`: that command returns at once and leaves the process in interpreter
        shutdown, joining the sentinel, where no Python code (so no watch) runs any more."""
        # Given by the supervisor: it may have died while this process was still starting.
        supervisor = int(os.environ[SUPERVISOR])

        def orphaned() -> bool:
            if os.getppid() != supervisor:
                os.killpg(os.getpgid(0), signal.SIGKILL)
            return False

        def watch():  # also while a signal handler holds the main thread in Cluster.stop()
            while not orphaned():
                time.sleep(POLL)

        threading.Thread(target=watch, daemon=True, name="supervisor-watch").start()
        cluster = Cluster()
        cluster.start()
        while cluster.sentinel.is_alive() and not orphaned():
            time.sleep(POLL)

    def supervise(self, queues: list[str], *, grace: float) -> None:
        parent = os.getppid()
        stopping = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, lambda *_: stopping.set())
        signal_on_parent_death(signal.SIGTERM)
        clusters = {queue: self.start_cluster(queue) for queue in queues}
        self.stdout.write(f"worker {os.getpid()}: clusters {', '.join(queues)} started")
        exit_code = 0
        while not stopping.wait(POLL):
            if os.getppid() != parent:
                self.stderr.write("worker: its parent process is gone; stopping")
                break
            dead = [queue for queue, process in clusters.items() if process.poll() is not None]
            if dead:
                self.stderr.write(f"worker: cluster {', '.join(dead)} stopped; stopping all")
                exit_code = 1
                break
        self.stop_clusters(clusters.values(), grace=grace)
        if exit_code:
            sys.exit(exit_code)

    def start_cluster(self, queue: str) -> subprocess.Popen:
        env = {**os.environ, "Q_CLUSTER_NAME": queue, SUPERVISOR: str(os.getpid())}
        command = [sys.executable, "manage.py", "worker", "--cluster-child"]
        return subprocess.Popen(  # nosec B603
            command, env=env, cwd=settings.BASE_DIR, start_new_session=True
        )

    def stop_clusters(self, processes, *, grace: float) -> None:
        """SIGTERM each cluster (it finishes its tasks in hand), then SIGKILL each process group
        when the grace period is over or the cluster has stopped, whichever comes first."""
        processes = list(processes)
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(p.poll() is None for p in processes):
            time.sleep(0.1)
        for process in processes:
            # The group outlives its leader when the sentinel or a worker hangs on.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
