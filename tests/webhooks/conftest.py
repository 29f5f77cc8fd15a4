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


@pytest.fixture
def receiver():
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
