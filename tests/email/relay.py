"""A fake SendGrid edge on loopback: forwards to Prism, injecting the faults a test plans.

Statuses are forced with Prism's own `Prefer: code=...` header, so even a 429 or a 503 comes
from the mock of the real API after it has validated the request. The "accept then time out"
fault forwards the request (Prism accepts it: the email counts as sent) and then holds the
answer past the client's timeout, the case where a retry can deliver an email twice.
"""

from __future__ import annotations

import http.client
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

OK = "ok"
ACCEPT_THEN_TIMEOUT = "accept_then_timeout"
# A fault is OK, ACCEPT_THEN_TIMEOUT, or an HTTP status for Prism to answer with.
Fault = str | int
Plan = Callable[[int | None], Fault]  # called with the outbox id of each request

_FORWARDED_HEADERS = ("Authorization", "Content-Type", "Accept", "User-Agent")


@dataclass
class Tally:
    """What the fake SendGrid saw, per outbox id."""

    calls: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)  # Prism said 2xx
    answered_accepts: Counter = field(default_factory=Counter)  # ... and the client heard it
    stalled_accepts: Counter = field(default_factory=Counter)  # ... but the client timed out
    faults: Counter = field(default_factory=Counter)  # by kind, over all calls
    slow_accepts: int = 0  # accepts the client timed out on although none was planned
    bodies: list[dict] = field(default_factory=list)


class FaultRelay:
    """Run with start()/stop(); point SENDGRID_HOST at `url`; read what happened in `tally`."""

    def __init__(self, upstream: str, plan: Plan | None = None, client_timeout: float = 5.0):
        self.upstream = urlsplit(upstream)
        self.plan: Plan = plan or (lambda _outbox_id: OK)
        self.client_timeout = client_timeout  # set it to the backend's timeout
        self.stall_seconds = 2 * client_timeout
        self.answer_headers: dict[str, str] = {}  # added to every answer, e.g. X-RateLimit-Reset
        self.tally = Tally()
        self.lock = threading.Condition()
        self.in_flight = 0
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_until_idle(self, timeout: float = 30.0) -> None:
        """Wait for answers still being held back, so the tally is complete."""
        with self.lock:
            assert self.lock.wait_for(lambda: self.in_flight == 0, timeout), "relay still busy"

    def forward(self, body: bytes, headers: dict[str, str], fault: Fault):
        """POST the request to Prism; return (status, headers, body)."""
        connection = http.client.HTTPConnection(
            self.upstream.hostname, self.upstream.port, timeout=30
        )
        try:
            if isinstance(fault, int):
                headers = {**headers, "Prefer": f"code={fault}"}
            connection.request("POST", "/v3/mail/send", body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def next_message_id(self) -> str:
        return f"relay{next(self._ids):06d}"


def _outbox_id(payload: dict) -> int | None:
    try:
        return int(payload["personalizations"][0]["custom_args"]["outbox_id"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _handler_for(relay: FaultRelay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            with relay.lock:
                relay.in_flight += 1
            try:
                self._relay()
            finally:
                with relay.lock:
                    relay.in_flight -= 1
                    relay.lock.notify_all()

        def _relay(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                payload = json.loads(body)
            except ValueError:
                payload = {}
            outbox_id = _outbox_id(payload)
            with relay.lock:
                fault = relay.plan(outbox_id)
                relay.tally.calls[outbox_id] += 1
                relay.tally.faults[fault] += 1
                relay.tally.bodies.append(payload)
            headers = {k: v for k in _FORWARDED_HEADERS if (v := self.headers.get(k))}
            started = time.monotonic()
            status, answer_headers, answer = relay.forward(body, headers, fault)
            if fault == ACCEPT_THEN_TIMEOUT:
                time.sleep(relay.stall_seconds)  # the client has given up by now
            # On a loaded machine even a planned-OK answer can come too late for the client. Its
            # clock starts a little before ours and its thread may wake a little late, so an
            # answer near its timeout could go either way: hold such an answer until it is
            # clearly too late, so that the tally knows whether the client heard it.
            elapsed = time.monotonic() - started
            unheard = elapsed >= 0.75 * relay.client_timeout
            if unheard:
                time.sleep(max(0.0, 1.25 * relay.client_timeout - elapsed))
            if 200 <= status < 300:
                # Prism leaves it out; SendGrid always sends one, and the webhook refers to it.
                answer_headers.setdefault("X-Message-Id", relay.next_message_id())
                with relay.lock:
                    relay.tally.accepted[outbox_id] += 1
                    if unheard:
                        relay.tally.stalled_accepts[outbox_id] += 1
                    else:
                        relay.tally.answered_accepts[outbox_id] += 1
                    if unheard and fault != ACCEPT_THEN_TIMEOUT:
                        relay.tally.slow_accepts += 1
            answer_headers.update(relay.answer_headers)
            try:
                self.send_response(status)
                for name, value in answer_headers.items():
                    if name.lower() not in {"content-length", "connection", "keep-alive", "date"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:
                pass  # the client timed out and hung up, as planned

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output for the test's own report

    return Handler
