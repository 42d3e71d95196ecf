"""The outbox worker: claims due messages, sends them outside any transaction, records the result.

Several workers may run at once on PostgreSQL. Each claims one row at a time with
`SELECT ... FOR UPDATE SKIP LOCKED`, marks it `sending` with a lease (`claimed_until`) and a new
attempt number and commits, all before calling the provider, so no row lock is held across the
network and the attempt is on record whatever happens next. SQLite has no SKIP LOCKED
(SQLAlchemy leaves the clause out there): run a single worker on it.

Every state change is a compare-and-set on (status, attempts), so a worker whose lease lapsed
and whose row was taken over cannot overwrite the newer worker's result.

Crashes and lost connections (issue 10, item 7):

- The database goes away mid-batch: `OutboxWorker.run` rolls back, drops the pool, waits (capped
  exponential backoff with jitter), reconnects and goes on. What SendGrid answered for a claim
  whose result could not be written is kept in memory (`unrecorded`) and written first after
  reconnecting, so that email is neither lost nor sent again.
- SendGrid does not answer in time (it may have accepted the email): with the webhook set up
  the row becomes `unconfirmed` at once, as below, instead of being retried blind. Without the
  webhook it is retried after the usual backoff, and `provider_calls` > 1 shows the possible
  duplicate (staff see it on the Emails page).
- The worker process dies between its claim and recording SendGrid's answer: the row stays in
  `sending` until its lease lapses, then the next worker marks it `unconfirmed`, never re-sends
  it blindly. SendGrid carries our `outbox_id` (a custom arg) on every webhook event, and any
  event for the row (processed, delivered, even a bounce) proves SendGrid took it: the webhook
  marks it sent (services/email_events.py). An unconfirmed row with no event after
  OUTBOX_UNCONFIRMED_RESEND_SECONDS is sent again, when the webhook is configured; without the
  webhook nothing could confirm it, so it waits on the staff Emails page.

The window that remains: a duplicate, when the worker died (or timed out) after SendGrid
accepted the email *and* no event about it reached us within OUTBOX_UNCONFIRMED_RESEND_SECONDS
(default an hour; SendGrid sends `processed` within seconds, and retries an unreachable
webhook for 24 hours, so this takes our webhook being down for that hour as well). mail/send
has no idempotency key and the Activity API that could be asked is a paid add-on, so nothing
narrows it further. No email is lost: every row ends sent, failed or unconfirmed (the last two
shown to staff).
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus
from ..models.base import utcnow
from .backends import DeliveryError, EmailBackend, LocalMailboxBackend, OutgoingEmail
from .retry import RetryPolicy
from .sendgrid_backend import SendGridBackend

log = logging.getLogger(__name__)

# Rows whose latest attempt may still be waiting on its result, from this or a lapsed worker.
_OPEN = (OutboxStatus.SENDING, OutboxStatus.UNCONFIRMED)
_rng = random.SystemRandom()


def backend_for(app: Flask) -> EmailBackend:
    """SendGrid when SENDGRID_API_KEY is set, else the local mailbox (development and tests)."""
    if app.config.get("SENDGRID_API_KEY"):
        return SendGridBackend.from_config(app.config)
    if not app.config.get("DEV_MAILBOX"):
        # The local mailbox marks emails sent without sending them: never do that in production.
        raise RuntimeError("SENDGRID_API_KEY is not set, and there is no local mailbox here.")
    return LocalMailboxBackend()


@dataclass(frozen=True)
class Claim:
    """A row this worker holds in `sending`, identified by the attempt number it set."""

    email: OutgoingEmail
    attempt: int


@dataclass(frozen=True)
class Outcome:
    """What one provider call came to, ready to be written to the claimed row."""

    claim: Claim
    kind: str  # "sent", "retrying" or "failed"
    values: dict[str, object] = field(default_factory=dict)


@dataclass
class DeliveryCounts:
    """What one `deliver_due` call did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: DeliveryCounts) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def deliver_due(
    backend: EmailBackend,
    limit: int = 100,
    unrecorded: list[Outcome] | None = None,
    counts: DeliveryCounts | None = None,
) -> DeliveryCounts:
    """Send up to `limit` due messages, one at a time; commits after each claim and result.

    `unrecorded` holds results a lost connection kept from being written: they are written
    first, and a result that cannot be written now stays in it when the error propagates.
    `counts`, when given, is counted into as the batch goes, so it holds what a batch cut short
    by an error did.
    """
    policy = RetryPolicy.from_config(current_app.config)
    counts = DeliveryCounts() if counts is None else counts
    unrecorded = [] if unrecorded is None else unrecorded
    while unrecorded:
        _write(unrecorded[0])
        _count(counts, unrecorded.pop(0))
    for _ in range(limit):
        claim = claim_next(policy)
        if claim is None:
            break
        outcome = _attempt(backend, claim, policy)
        unrecorded.append(outcome)
        _write(outcome)
        unrecorded.remove(outcome)
        _count(counts, outcome)
    return counts


def _count(counts: DeliveryCounts, outcome: Outcome) -> None:
    setattr(counts, outcome.kind, getattr(counts, outcome.kind) + 1)


def _attempt(backend: EmailBackend, claim: Claim, policy: RetryPolicy) -> Outcome:
    """Make one provider call for a claimed row; touches no database."""
    outbox_id = claim.email.outbox_id
    try:
        result = backend.send(claim.email)
    except DeliveryError as error:
        if error.maybe_accepted and policy.unconfirmed_resend is not None:
            return _unconfirmed(claim, policy, error.detail)
        return _failure(claim, policy, error.detail, error.retryable, error.retry_after)
    except Exception as error:  # a bug or an odd library error: retry, then park; never lose
        log.exception("outbox %s: unexpected error from %s", outbox_id, backend.name)
        return _failure(claim, policy, f"unexpected error: {error!r}", True, None)
    return Outcome(
        claim,
        "sent",
        {
            "status": OutboxStatus.SENT,
            "provider_message_id": result.provider_message_id,
            "sent_at": utcnow(),
            "last_error": None,
        },
    )


def _unconfirmed(claim: Claim, policy: RetryPolicy, detail: str) -> Outcome:
    """No answer: SendGrid may have taken it. Wait for its webhook before sending it again."""
    return Outcome(
        claim,
        "retrying",
        {
            "status": OutboxStatus.UNCONFIRMED,
            "next_attempt_at": utcnow() + timedelta(seconds=policy.unconfirmed_resend or 0),
            "last_error": detail,
        },
    )


def _failure(
    claim: Claim,
    policy: RetryPolicy,
    detail: str,
    retryable: bool,
    retry_after: float | None,
) -> Outcome:
    """A retry later ("retrying"), or the message parked ("failed")."""
    if retryable and claim.attempt < policy.max_attempts:
        return Outcome(
            claim,
            "retrying",
            {
                "status": OutboxStatus.PENDING,
                "next_attempt_at": utcnow() + policy.delay(claim.attempt, retry_after),
                "last_error": detail,
            },
        )
    if retryable:
        detail = f"gave up after {claim.attempt} attempts; last error: {detail}"
    return Outcome(claim, "failed", {"status": OutboxStatus.FAILED, "last_error": detail})


def _write(outcome: Outcome) -> None:
    """Record this worker's attempt, unless another worker has taken the row over since.

    A row marked unconfirmed while this worker was away (its lease lapsed during a long loss of
    the database) still carries this attempt's number, so the answer we heard is written.
    """
    claim = outcome.claim
    outbox_id = claim.email.outbox_id
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status.in_(_OPEN),
            OutboxMessage.attempts == claim.attempt,
        )
        .values(claimed_until=None, **outcome.values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning(
            "outbox %s: attempt %s ended (%s) after another worker took the row over",
            outbox_id,
            claim.attempt,
            outcome.kind,
        )
    elif outcome.kind == "retrying":
        log.warning(
            "outbox %s attempt %s failed, will retry: %s",
            outbox_id,
            claim.attempt,
            outcome.values["last_error"],
        )
    elif outcome.kind == "failed":
        log.error("outbox %s parked as failed: %s", outbox_id, outcome.values["last_error"])


def claim_next(policy: RetryPolicy) -> Claim | None:
    """Claim the next due message for this worker, or return None when nothing is due.

    On the way it settles rows whose worker stopped mid-attempt: a lapsed `sending` row becomes
    `unconfirmed` (or `sent`, if SendGrid already reported on it), and is not sent from here.
    """
    while True:
        now = utcnow()
        due = [
            and_(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            ),
            # A lapsed lease: the worker that claimed it stopped before recording.
            and_(
                OutboxMessage.status == OutboxStatus.SENDING,
                OutboxMessage.claimed_until < now,
            ),
        ]
        if policy.unconfirmed_resend is not None:
            due.append(
                and_(
                    OutboxMessage.status == OutboxStatus.UNCONFIRMED,
                    OutboxMessage.next_attempt_at <= now,
                    OutboxMessage.delivery_status.is_(None),
                )
            )
        row = db.session.scalars(
            select(OutboxMessage)
            .where(or_(*due))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            db.session.rollback()  # end the read transaction rather than idle inside it
            return None
        if row.status == OutboxStatus.SENDING:
            _settle_lapsed(row, policy)
            continue
        if row.attempts >= policy.max_attempts:
            _park_exhausted(row)
            continue
        attempt = row.attempts + 1
        won = _compare_and_set(
            row.id,
            row.status,
            row.attempts,
            status=OutboxStatus.SENDING,
            attempts=attempt,
            claimed_until=now + timedelta(seconds=policy.lease),
            # Counted before the call: a crash after it still shows a possible duplicate.
            provider_calls=OutboxMessage.provider_calls + 1,
        )
        email = OutgoingEmail.from_row(row)
        db.session.commit()
        if won:
            return Claim(email=email, attempt=attempt)


def _settle_lapsed(row: OutboxMessage, policy: RetryPolicy) -> None:
    """A claim whose worker never reported back: sent if SendGrid said so, else unconfirmed."""
    if row.delivery_status is not None:
        values: dict[str, object] = {
            "status": OutboxStatus.SENT,
            "sent_at": row.delivery_status_at or utcnow(),
            "last_error": None,
        }
        line = f"SendGrid reported it {row.delivery_status}: marked sent"
    else:
        wait = policy.unconfirmed_resend
        values = {
            "status": OutboxStatus.UNCONFIRMED,
            "next_attempt_at": utcnow() + timedelta(seconds=wait or 0),
            "last_error": (
                f"the worker making attempt {row.attempts} stopped before recording the result; "
                "it may or may not have been sent"
            ),
        }
        line = (
            f"waiting {wait:g}s for SendGrid to report on it before sending again"
            if wait is not None
            else "left for staff (no webhook to confirm it)"
        )
    if _compare_and_set(row.id, row.status, row.attempts, claimed_until=None, **values):
        log.warning("outbox %s: attempt %s never reported back; %s", row.id, row.attempts, line)
    db.session.commit()


def _park_exhausted(row: OutboxMessage) -> None:
    """Give up on a row with no attempts left."""
    if row.status == OutboxStatus.UNCONFIRMED:
        detail = (
            f"the worker making attempt {row.attempts} stopped before recording the result and "
            "no attempts are left; it may or may not have been sent"
        )
    else:  # OUTBOX_MAX_ATTEMPTS was lowered below what this row has used
        detail = f"no attempts left after {row.attempts}"
    if _compare_and_set(
        row.id,
        row.status,
        row.attempts,
        status=OutboxStatus.FAILED,
        claimed_until=None,
        last_error=detail,
    ):
        log.error("outbox %s parked as failed: %s", row.id, detail)
    db.session.commit()


def _compare_and_set(
    outbox_id: int, expected_status: OutboxStatus, expected_attempts: int, /, **values: object
) -> bool:
    """Update the row only if nobody changed it since we read it; True if we did."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == outbox_id,
            OutboxMessage.status == expected_status,
            OutboxMessage.attempts == expected_attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def lost_database(error: BaseException) -> bool:
    """Whether `error` means the connection (or the server) went away, not a bad statement."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


class OutboxWorker:
    """`flask outbox work`: delivers batch after batch, riding out a lost database connection.

    Call `run` inside an app context. `stop` ends it between batches (tests, signal handlers).
    """

    def __init__(
        self,
        app: Flask,
        backend: EmailBackend,
        *,
        sleep: Callable[[float], object] | None = None,
    ) -> None:
        self.backend = backend
        self.reconnect_base = float(app.config.get("OUTBOX_RECONNECT_BASE_SECONDS", 0.5))
        self.reconnect_max = float(app.config.get("OUTBOX_RECONNECT_MAX_SECONDS", 30.0))
        self.unrecorded: list[Outcome] = []
        self.total = DeliveryCounts()
        self.reconnects = 0
        self.stop = threading.Event()
        self._sleep = sleep or self.stop.wait

    def run(self, *, once: bool = False, interval: float = 2.0, limit: int = 100) -> DeliveryCounts:
        """Deliver until stopped (or, with `once`, until nothing is due); the totals."""
        failures = 0
        while not self.stop.is_set():
            counts = DeliveryCounts()
            try:
                deliver_due(self.backend, limit, self.unrecorded, counts)
            except DBAPIError as error:
                if not lost_database(error):
                    raise
                self.total.add(counts)
                # Consecutive failures without progress grow the wait; any progress resets it.
                failures = 1 if counts.claimed else failures + 1
                if once and failures > 5:
                    raise
                self._reconnect(error, failures)
                continue
            failures = 0
            self.total.add(counts)
            if counts.claimed:
                continue  # more may be due: poll again at once
            if once:
                break
            self._sleep(interval)
        return self.total

    def _reconnect(self, error: DBAPIError, failures: int) -> None:
        """Drop every pooled connection and wait before the next batch makes a new one."""
        self.reconnects += 1
        ceiling = min(self.reconnect_max, self.reconnect_base * 2 ** (failures - 1))
        delay = _rng.uniform(ceiling / 2, ceiling)
        reason = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
        log.warning(
            "outbox worker lost the database (%s); %d result(s) held; reconnecting in %.1fs",
            reason[:200],
            len(self.unrecorded),
            delay,
        )
        with contextlib.suppress(DBAPIError):  # the connection is gone; remove() discards it
            db.session.rollback()
        db.session.remove()
        db.engine.dispose()
        self._sleep(delay)
