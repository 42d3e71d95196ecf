"""1,000 emails through a SendGrid that fails a third of the time: none lost, none doubled.

The fake SendGrid answers 15% of calls with a 5xx, 10% with 429, and for 5% accepts the email
and then never answers in time. Several workers (threads, each with its own app context and
database session) drain the outbox at once on PostgreSQL; SQLite has no SKIP LOCKED, so one.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select

from trustee_match.email.worker import backend_for, deliver_due
from trustee_match.extensions import db
from trustee_match.models import OutboxMessage, OutboxStatus

from .conftest import use_sendgrid
from .relay import ACCEPT_THEN_TIMEOUT, OK

EMAILS = 1000
MAX_ATTEMPTS = 4  # low enough that a few emails exhaust their attempts and are parked
DEADLINE_SECONDS = 120
TIMEOUT = 0.25  # the client's; the fake holds a timed-out answer for twice as long


def _faulty_sendgrid(seed: int):
    rng = random.Random(seed)

    def plan(_outbox_id: int | None):
        roll = rng.random()
        if roll < 0.15:
            return rng.choice([500, 502, 503])
        if roll < 0.25:
            return 429
        if roll < 0.30:
            return ACCEPT_THEN_TIMEOUT
        return OK

    return plan


def _queue(n: int) -> None:
    db.session.add_all(
        OutboxMessage(
            kind="match_proposed",
            to_email=f"volunteer{i}@example.org",
            to_name=f"Volunteer {i}",
            subject="A charity would like to meet you",
            text_body=f"Hello Volunteer {i},\n\nWould you like us to introduce you?\n",
            html_body=f"<p>Hello Volunteer {i},</p><p>Would you like us to introduce you?</p>",
        )
        for i in range(n)
    )
    db.session.commit()


def _unfinished() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    )


def _run_workers(app: Flask, workers: int) -> list[BaseException]:
    """Drain the outbox with `workers` threads, each as a separate `flask outbox work`."""
    errors: list[BaseException] = []
    deadline = time.monotonic() + DEADLINE_SECONDS

    def work() -> None:
        try:
            with app.app_context():
                backend = backend_for(app)
                while time.monotonic() < deadline:
                    if deliver_due(backend, limit=25).claimed == 0:
                        if _unfinished() == 0:
                            return
                        time.sleep(0.005)  # the rest wait out a backoff, or are someone's
        except BaseException as error:  # surfaced by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work, name=f"outbox-{i}") for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_SECONDS + 30)
    return errors


@pytest.mark.slow
@pytest.mark.alone
def test_a_thousand_emails_through_a_failing_sendgrid_are_all_sent_or_parked_never_lost(app, relay):
    dialect = db.engine.dialect.name
    workers = 4 if dialect == "postgresql" else 1
    use_sendgrid(
        app,
        relay.url,
        SENDGRID_TIMEOUT_SECONDS=TIMEOUT,
        OUTBOX_MAX_ATTEMPTS=MAX_ATTEMPTS,
        OUTBOX_BACKOFF_BASE_SECONDS=0.002,
        OUTBOX_BACKOFF_MAX_SECONDS=0.02,
    )
    relay.plan = _faulty_sendgrid(seed=2026)
    relay.client_timeout, relay.stall_seconds = TIMEOUT, 2 * TIMEOUT
    _queue(EMAILS)
    started = time.monotonic()

    errors = _run_workers(app, workers)

    elapsed = time.monotonic() - started
    relay.wait_until_idle()
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    tally = relay.tally
    by_status = Counter(row.status for row in rows)
    duplicated = {i: n - 1 for i, n in tally.accepted.items() if n > 1}
    parked_but_accepted = sum(
        1 for r in rows if r.status == OutboxStatus.FAILED and tally.accepted[r.id]
    )
    faults = Counter(
        "5xx" if isinstance(f, int) and f >= 500 else str(f) for f in tally.faults.elements()
    )
    report = (
        f"{dialect}, {workers} workers, {elapsed:.1f}s: {EMAILS} emails -> "
        f"{by_status[OutboxStatus.SENT]} sent, {by_status[OutboxStatus.FAILED]} parked as failed "
        f"({parked_but_accepted} of them accepted before a timeout), "
        f"{EMAILS - len(rows) + by_status[OutboxStatus.PENDING] + by_status[OutboxStatus.SENDING]}"
        f" lost; {sum(tally.calls.values())} provider calls ({faults['5xx']} 5xx, "
        f"{faults['429']} 429, {faults[ACCEPT_THEN_TIMEOUT]} accepted-then-timed-out, "
        f"{faults[OK]} ok, of which {tally.slow_accepts} too slow for the client); "
        f"{len(duplicated)} emails accepted more than once "
        f"({sum(duplicated.values())} duplicate deliveries), all after a timed-out accept"
    )
    print(f"\nfault test: {report}")

    assert errors == [], report
    assert len(rows) == EMAILS, report
    assert set(by_status) <= {OutboxStatus.SENT, OutboxStatus.FAILED}, report
    for row in rows:
        # One provider call per attempt, each seen by SendGrid: no two workers sent one row.
        assert row.provider_calls == row.attempts == tally.calls[row.id], report
        # The worker heard SendGrid accept it exactly once if and only if it is marked sent.
        expected_heard = 1 if row.status == OutboxStatus.SENT else 0
        assert tally.answered_accepts[row.id] == expected_heard, report
        # Every extra acceptance follows an accept the worker never heard about.
        assert tally.accepted[row.id] - expected_heard == tally.stalled_accepts[row.id], report
        if row.status == OutboxStatus.SENT:
            assert row.provider_message_id, report
        else:
            assert row.attempts == MAX_ATTEMPTS and row.last_error.startswith("gave up"), report
