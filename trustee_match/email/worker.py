"""The outbox worker: claims due messages, sends them outside any transaction, records the result.

Several workers may run at once on PostgreSQL. Each claims one row at a time with
`SELECT ... FOR UPDATE SKIP LOCKED`, marks it `sending` with a lease (`claimed_until`) and
commits before calling the provider, so no row lock is held across the network. A worker that
dies mid-send leaves its lease to lapse, and the row becomes claimable again. SQLite has no
SKIP LOCKED (SQLAlchemy leaves the clause out there): run a single worker on it.

Every state change is a compare-and-set on (status, attempts), so a worker whose lease lapsed
and whose row was taken over cannot overwrite the newer worker's result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus
from ..models.base import utcnow
from .backends import DeliveryError, EmailBackend, LocalMailboxBackend, OutgoingEmail
from .retry import RetryPolicy
from .sendgrid_backend import SendGridBackend

log = logging.getLogger(__name__)


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


@dataclass
class DeliveryCounts:
    """What one `deliver_due` call did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed


def deliver_due(backend: EmailBackend, limit: int = 100) -> DeliveryCounts:
    """Send up to `limit` due messages, one at a time; commits after each claim and result."""
    policy = RetryPolicy.from_config(current_app.config)
    counts = DeliveryCounts()
    for _ in range(limit):
        claim = claim_next(policy)
        if claim is None:
            break
        outcome = _attempt(backend, claim, policy)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def _attempt(backend: EmailBackend, claim: Claim, policy: RetryPolicy) -> str:
    """Make one provider call for a claimed row and record it: "sent", "retrying" or "failed"."""
    outbox_id = claim.email.outbox_id
    try:
        result = backend.send(claim.email)
    except DeliveryError as error:
        return _record_failure(claim, policy, error.detail, error.retryable, error.retry_after)
    except Exception as error:  # a bug or an odd library error: retry, then park; never lose
        log.exception("outbox %s: unexpected error from %s", outbox_id, backend.name)
        return _record_failure(claim, policy, f"unexpected error: {error!r}", True, None)
    _record(
        claim,
        status=OutboxStatus.SENT,
        provider_message_id=result.provider_message_id,
        sent_at=utcnow(),
        last_error=None,
    )
    return "sent"


def claim_next(policy: RetryPolicy) -> Claim | None:
    """Claim the next due message for this worker, or return None when nothing is due."""
    while True:
        now = utcnow()
        row = db.session.scalars(
            select(OutboxMessage)
            .where(
                or_(
                    and_(
                        OutboxMessage.status == OutboxStatus.PENDING,
                        OutboxMessage.next_attempt_at <= now,
                    ),
                    # A lapsed lease: the worker that claimed it stopped before recording.
                    and_(
                        OutboxMessage.status == OutboxStatus.SENDING,
                        OutboxMessage.claimed_until < now,
                    ),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            db.session.rollback()  # end the read transaction rather than idle inside it
            return None
        if row.attempts >= policy.max_attempts:
            _park_lapsed(row)
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


def _park_lapsed(row: OutboxMessage) -> None:
    """Give up on a row with no attempts left, typically one whose last attempt never reported."""
    if row.status == OutboxStatus.SENDING:
        detail = (
            f"the worker making attempt {row.attempts} stopped before recording the result; "
            "it may or may not have been sent"
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


def _record_failure(
    claim: Claim,
    policy: RetryPolicy,
    detail: str,
    retryable: bool,
    retry_after: float | None,
) -> str:
    """Schedule a retry ("retrying"), or park the message ("failed")."""
    if retryable and claim.attempt < policy.max_attempts:
        _record(
            claim,
            status=OutboxStatus.PENDING,
            next_attempt_at=utcnow() + policy.delay(claim.attempt, retry_after),
            last_error=detail,
        )
        log.warning(
            "outbox %s attempt %s failed, will retry: %s",
            claim.email.outbox_id,
            claim.attempt,
            detail,
        )
        return "retrying"
    if retryable:
        detail = f"gave up after {claim.attempt} attempts; last error: {detail}"
    _record(claim, status=OutboxStatus.FAILED, last_error=detail)
    log.error("outbox %s parked as failed: %s", claim.email.outbox_id, detail)
    return "failed"


def _record(claim: Claim, **values: object) -> None:
    """Write the result of this worker's attempt, unless another worker has taken the row over."""
    if not _compare_and_set(
        claim.email.outbox_id, OutboxStatus.SENDING, claim.attempt, claimed_until=None, **values
    ):
        log.warning(
            "outbox %s: lease lapsed during attempt %s; another worker owns it now",
            claim.email.outbox_id,
            claim.attempt,
        )
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
