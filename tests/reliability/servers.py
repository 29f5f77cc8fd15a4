"""Private servers a fault test may stop and start: a PostgreSQL cluster of its own (never the
suite's server) and a redis-server, each on a free port, removed when the test ends."""

import contextlib
import os
import shutil
import socket
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.deploy.processes import ROOT, Processes, free_port

# The Debian packages' binaries; the newest version installed.
POSTGRES_BINARIES = sorted(
    Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name)
)


class PrivatePostgres:
    """A cluster made by initdb in a temporary directory, listening on 127.0.0.1 only, with
    trust authentication for `postgres`. initdb refuses to run as root, so as root the server's
    tools run as the `postgres` user (runuser), which owns the directory."""

    def __init__(self):
        self.bin = POSTGRES_BINARIES[-1]
        self.port = free_port()
        # Not pytest's tmp_path: its parents are root's own (0700), unreadable to `postgres`.
        self.root = Path(tempfile.mkdtemp(prefix="accord-fault-pg-"))
        self.data = self.root / "data"
        self.running = False

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _server_tool(self, tool: str, *args: str) -> None:
        argv = [str(self.bin / tool), *args]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)  # nosec B603

    def client_tool(self, tool: str, *args: str) -> None:
        subprocess.run(  # nosec B603
            [str(self.bin / tool), *args], check=True, capture_output=True, timeout=60
        )

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres")
        self._server_tool(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k '' -c listen_addresses=127.0.0.1 -c fsync=off"
        self._server_tool(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w",
            "-t", "30", "-o", options, "start",
        )  # fmt: skip
        self.running = True

    def stop(self) -> None:
        """As abruptly as a crash: every backend ends at once, mid-transaction or not."""
        self._server_tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.running = False

    def remove(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            if self.running:
                self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def copy_database(source_url: str, server: PrivatePostgres, name: str) -> str:
    """A copy of the database at `source_url` (the suite's migrated test database) as `name`
    on `server`: much faster than migrating from nothing."""
    dump = server.root / "copy.dump"
    server.client_tool("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source_url)
    server.client_tool(
        "createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", name
    )
    server.client_tool(
        "pg_restore", "--no-owner", "--exit-on-error", "-d", server.url(name), str(dump)
    )
    return server.url(name)


class PrivateRedis:
    """A redis-server that keeps nothing on disk (`--save ''`), stopped and started at will on
    the same port."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # nosec B603 B607
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise AssertionError(f"redis-server did not listen on {self.port} within 10 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


def web_processes(logs: Path, database: str, **env: str) -> Processes:
    """Processes with production settings on `database`, except that the browser client signs
    in over plain HTTP and static files keep their names (tests/reliability/server_settings)."""
    processes = Processes(logs, database)
    processes.env.update(
        SESSION_COOKIE_SECURE="0", DJANGO_SETTINGS_MODULE="tests.reliability.server_settings", **env
    )
    return processes


def outage(step: str, *args: str, database: str, **env: str) -> str:
    """A step of tests/reliability/outage.py, run on `database` (and with `env`, e.g. the
    servers' REDIS_URL and SECRET_KEY, which signs queued tasks); its last line."""
    env = {"DATABASE_URL": database, "DEBUG": "1", "PATH": "/usr/bin:/bin", **env}
    done = subprocess.run(  # nosec B603
        [sys.executable, "-m", "tests.reliability.outage", step, *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def signed_in(base: str, username: str, password: str) -> requests.Session:
    """A browser session signed in through the login form."""
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]
    return session


class Receiver:
    """Counts the webhook requests it gets and the distinct delivery ids among them."""

    def __init__(self):
        self.ids: Counter[str] = Counter()
        self.requests = 0
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    receiver.requests += 1
                    receiver.ids[self.headers["X-Accord-Delivery"]] += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
