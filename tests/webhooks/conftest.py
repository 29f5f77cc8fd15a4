import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_q.conf import Conf

from tests.webhooks.factories import SubscriptionFactory


class Receiver:
    """A tiny HTTP server on 127.0.0.1 standing in for the subscriber's system."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/accord"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def answer(self, *statuses: int, headers: dict | None = None):
        self.answers = [(status, headers or {}) for status in statuses]

    def handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status, headers = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(b"received" if status < 300 else b"receiver trouble")

            def log_message(self, *args):
                pass

        return Handler


# The names tests use, and what they resolve to: no test asks a real DNS server.
PUBLIC = "93.184.215.14"
DNS = {
    "crm.example": [PUBLIC],
    "crm.example.com": [PUBLIC],
    "split.example": [PUBLIC, "10.0.0.5"],  # one public answer is not enough
    "inside.example": ["192.168.1.20"],
    "metadata.google.internal": ["169.254.169.254"],
}


class FakeDNS:
    """socket.getaddrinfo for the names in `table`; addresses and localhost resolve as usual,
    any other name does not resolve at all."""

    def __init__(self, table):
        self.table = dict(table)
        self.asked: list[str] = []
        self.real = socket.getaddrinfo

    def __call__(self, host, port, *args, **kwargs):
        self.asked.append(host)
        if host in self.table:
            answers = self.table[host]
            if callable(answers):
                answers = answers()
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port) if ":" not in address else (address, port, 0, 0),
                )
                for address in answers
            ]
        if host == "localhost" or _is_address(host):
            return self.real(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


def _is_address(host) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in str(host) else socket.AF_INET, str(host))
    except (OSError, TypeError):
        return False
    return True


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    fake = FakeDNS(DNS)
    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return fake


@pytest.fixture
def receiver(settings):
    # The stand-in receiver listens on 127.0.0.1, which only this setting lets a webhook reach.
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def subscription(db, receiver):
    return SubscriptionFactory(url=receiver.url, events=["lead.mql", "lead.sql"])


@pytest.fixture(autouse=True)
def tasks_run_inline(monkeypatch):
    monkeypatch.setattr(Conf, "SYNC", True)
