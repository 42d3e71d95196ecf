"""Staff actions on the outbox."""

from __future__ import annotations

from sqlalchemy import select, update

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, User
from ..models.base import utcnow
from .audit import record_audit
from .errors import InvalidTransition, NotAllowed
from .staff_overview import BOUNCE_EVENTS

# Failures after which SendGrid may already have delivered the email.
_MAYBE_SENT = ("may have accepted it", "may or may not have been sent")


def may_have_been_sent(message: OutboxMessage) -> bool:
    """True when the last failure leaves open that the provider accepted the email."""
    return any(phrase in (message.last_error or "") for phrase in _MAYBE_SENT)


def messages_with_status(status: OutboxStatus, limit: int = 200) -> list[OutboxMessage]:
    """Emails in one status, newest first: what staff see on the Emails page."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.status == status)
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def bounced_messages(limit: int = 200) -> list[OutboxMessage]:
    """Emails the provider reported as bounced, dropped or marked as spam, newest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.delivery_status.in_(BOUNCE_EVENTS))
            .order_by(OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def requeue_email(actor: User, message: OutboxMessage) -> None:
    """Put a failed or unconfirmed email back in the queue with fresh attempts.

    E.g. after fixing an address, or when SendGrid's activity feed shows an unconfirmed email
    never went out.
    """
    if not actor.is_staff:
        raise NotAllowed("Only staff can resend emails.")
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status.in_([OutboxStatus.FAILED, OutboxStatus.UNCONFIRMED]),
        )
        .values(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), claimed_until=None
        )
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition("Only an email that failed or was not confirmed can be sent again.")
    record_audit(actor, "email_requeued", "outbox", message.id)
    db.session.commit()
