"""`kill -9` of `flask outbox work` mid-batch, twice: after a restart none is lost, none doubled.

The first kill lands after SendGrid accepted an email and before the worker heard the answer
(the row says `sending`, SendGrid has it); the second before the request reached SendGrid (the
row says `sending`, SendGrid never saw it). The fake SendGrid reports every email it accepts
through the Event Webhook, as SendGrid does, with our outbox id in the custom args. After each
lease lapses the restarted worker marks the row unconfirmed: the webhook settles the first as
sent, and the second, with no event, is sent again after OUTBOX_UNCONFIRMED_RESEND_SECONDS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trustee_match.extensions import db
from trustee_match.models import OutboxMessage, OutboxStatus
from trustee_match.services.email_events import record_events

from .relay import FaultRelay
from .test_faults import _queue

REPO = Path(__file__).resolve().parents[2]
EMAILS = 30
KILL_AFTER_ACCEPT, KILL_BEFORE_SENDING = 8, 16  # numbers of SendGrid calls, over all workers
DEADLINE_SECONDS = 90


class KillingRelay(FaultRelay):
    """A fake SendGrid that SIGKILLs the worker process at planned calls."""

    def __init__(self, upstream: str) -> None:
        super().__init__(upstream)
        self.worker: subprocess.Popen | None = None
        self.seen = 0

    def forward(self, body, headers, fault):
        with self.lock:
            self.seen += 1
            n = self.seen
        if n == KILL_BEFORE_SENDING:
            os.kill(self.worker.pid, signal.SIGKILL)
            return 503, {}, b""  # never reached SendGrid; nobody hears this answer
        answer = super().forward(body, headers, fault)
        if n == KILL_AFTER_ACCEPT:
            os.kill(self.worker.pid, signal.SIGKILL)
        return answer


@pytest.fixture
def killing_relay(prism_url):
    server = KillingRelay(prism_url)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _start_worker(url: str, relay_url: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "TRUSTEE_MATCH_ENV": "development",
        "RUN_OUTBOX_WORKER_IN_PROCESS": "0",
        "DATABASE_URL": url,
        "SENDGRID_API_KEY": "SG.test-key",
        "SENDGRID_HOST": relay_url,
        "SENDGRID_WEBHOOK_PUBLIC_KEY": "configured",
        "OUTBOX_LEASE_SECONDS": "2",
        "OUTBOX_UNCONFIRMED_RESEND_SECONDS": "4",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "outbox", "work", "--interval", "0.2"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


class WebhookFeeder(threading.Thread):
    """SendGrid's side: a `processed` event for each email it accepted, a moment later."""

    def __init__(self, app, relay: FaultRelay) -> None:
        super().__init__(daemon=True)
        self.app, self.relay = app, relay
        self.done = threading.Event()
        self.reported: set[int] = set()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.done.wait(0.1):
                    with self.relay.lock:
                        new = [i for i in self.relay.tally.accepted if i not in self.reported]
                    if new:
                        record_events(
                            {
                                "sg_event_id": f"processed-{i}",
                                "event": "processed",
                                "outbox_id": str(i),
                                "email": f"volunteer{i - 1}@example.org",
                                "timestamp": int(time.time()),
                            }
                            for i in new
                        )
                        self.reported.update(new)
                db.session.remove()
        except BaseException as error:  # surfaced by the test
            self.errors.append(error)


def _unsent() -> int:
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
    )
    db.session.rollback()
    return count


@pytest.mark.slow
@pytest.mark.alone
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing_after_a_restart(
    app, killing_relay, tmp_path
):
    relay = killing_relay
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    log = tmp_path / "worker.log"
    _queue(EMAILS)
    db.session.remove()
    feeder = WebhookFeeder(app, relay)
    feeder.start()
    exits = []
    try:
        for _ in range(2):  # the two planned kills
            relay.worker = _start_worker(url, relay.url, log)
            exits.append(relay.worker.wait(timeout=DEADLINE_SECONDS))
        relay.worker = _start_worker(url, relay.url, log)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while _unsent() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        if relay.worker.poll() is None:
            relay.worker.terminate()
            relay.worker.wait(timeout=30)
        feeder.done.set()
        feeder.join(30)
    relay.wait_until_idle()

    db.session.expire_all()
    rows = {row.id: row for row in db.session.scalars(select(OutboxMessage))}
    accepted = relay.tally.accepted
    statuses = Counter(row.status for row in rows.values())
    output = log.read_text()
    report = (
        f"exits {exits}; {dict(statuses)}; {sum(1 for i in rows if accepted[i] == 0)} lost, "
        f"{sum(1 for i in rows if accepted[i] > 1)} duplicated\n{output[-3000:]}"
    )
    print(f"\nkill -9: {report[:200]}")

    assert exits == [-signal.SIGKILL, -signal.SIGKILL], report
    assert feeder.errors == [], report
    assert statuses == {OutboxStatus.SENT: EMAILS}, report
    assert all(accepted[i] == 1 for i in rows), report  # each email reached people once
    # The email SendGrid took just before the kill: settled by its event, never called again.
    settled = rows[KILL_AFTER_ACCEPT]
    assert (settled.provider_calls, settled.delivery_status) == (1, "processed"), report
    # The one that never reached SendGrid: sent again once no event came for it.
    resent = rows[KILL_BEFORE_SENDING]
    assert (resent.attempts, resent.provider_calls) == (2, 2), report
    assert "never reported back" in output, report
