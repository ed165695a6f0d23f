"""Backends and a local SMS gateway for the outbox tests (named by dotted path in MESSAGING_BACKEND)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from customers.messaging.backends import DeliveryError


class RecordingBackend:
    """Remembers every message handed over; fails while `failures` is above zero."""

    sent: list = []
    failures = 0

    @classmethod
    def reset(cls, failures: int = 0) -> None:
        cls.sent, cls.failures = [], failures

    def send(self, message) -> None:
        if RecordingBackend.failures:
            RecordingBackend.failures -= 1
            raise DeliveryError("gateway busy")
        RecordingBackend.sent.append((message.pk, message.channel, message.recipient, message.text))


RECORDING = "tests.customers.messaging_fakes.RecordingBackend"


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.requests.append({"path": self.path, "authorization": self.headers["Authorization"],
                                "content_type": self.headers["Content-Type"], "json": json.loads(body)})
        if server.delay_seconds:
            server.delay.wait(server.delay_seconds)  # the client gives up first; shutdown ends the wait
        status = server.statuses.pop(0) if server.statuses else 200
        try:
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"internal error")
        except OSError:
            pass  # the client timed out and went away

    def log_message(self, *args):
        pass


class LocalGateway:
    """A real HTTP server on 127.0.0.1 in a thread; `statuses` are the answers to the next requests."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayHandler)
        self.server.requests, self.server.statuses = [], []
        self.server.delay, self.server.delay_seconds = threading.Event(), 0
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/sms/send"

    @property
    def requests(self) -> list:
        return self.server.requests

    def answer(self, *statuses: int) -> None:
        self.server.statuses.extend(statuses)

    def stall(self, seconds: float) -> None:
        self.server.delay_seconds = seconds

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.delay.set()
        self.server.shutdown()
        self.server.server_close()
