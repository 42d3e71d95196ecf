"""Delivery events from SendGrid's Event Webhook: stored once each, applied to the outbox row.

SendGrid retries a batch for up to 24 hours until it gets a 2xx, and may deliver the same batch
twice at once, so each event is inserted only if its `sg_event_id` is new (a unique constraint
with ON CONFLICT DO NOTHING), and only a newly inserted event changes anything else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import EmailEvent, OutboxMessage, OutboxStatus, User, normalise_email
from ..models.base import utcnow

# The events about delivery; opens, clicks and unsubscribes are not tracked (tracking is off).
TRACKED_EVENTS = ("processed", "deferred", "delivered", "bounce", "dropped", "spamreport")
# Events in the same second arrive in any order; the later stage of delivery wins a tie.
_STAGE = {name: rank for rank, name in enumerate(TRACKED_EVENTS)}


@dataclass
class EventCounts:
    recorded: int = 0
    duplicates: int = 0
    ignored: int = 0  # untracked kinds, or items without the fields every event has


@dataclass(frozen=True)
class DeliveryEvent:
    """The parts of one webhook event this app uses."""

    sg_event_id: str
    event: str
    email: str | None
    occurred_at: datetime | None
    outbox_id: int | None
    sg_message_id: str | None
    reason: str | None
    bounce_type: str | None

    @property
    def flags_address(self) -> bool:
        """Whether the address should get no more mail: a hard bounce, a drop, a spam report.

        SendGrid reports blocks (a receiving server refusing for now, often over reputation) as
        a `bounce` with type "blocked"; those say nothing about the address itself.
        """
        if self.event == "bounce":
            return self.bounce_type != "blocked"
        return self.event in ("dropped", "spamreport")


def record_events(items: Iterable[Any]) -> EventCounts:
    """Store a webhook batch, update delivery status and bounce flags, and commit."""
    counts = EventCounts()
    events = []
    for item in items:
        event = parse_event(item)
        if event is None:
            counts.ignored += 1
        else:
            events.append(event)
    # One order for everyone, so two deliveries of the same batch lock rows in the same order.
    for event in sorted(events, key=lambda e: e.sg_event_id):
        message = _outbox_row_for(event)
        if not _insert_once(event, message.id if message else None):
            counts.duplicates += 1
            continue
        counts.recorded += 1
        if message is not None:
            _update_delivery_status(message, event)
        if event.flags_address and event.email:
            _flag_address(event.email, event.occurred_at or utcnow())
    db.session.commit()
    return counts


def parse_event(item: Any) -> DeliveryEvent | None:
    """A tracked event from one item of the batch, or None for anything else."""
    if not isinstance(item, dict):
        return None
    sg_event_id, event = item.get("sg_event_id"), item.get("event")
    if not isinstance(sg_event_id, str) or not 0 < len(sg_event_id) <= 128:
        return None
    if event not in TRACKED_EVENTS:
        return None
    reason = item.get("reason") or item.get("response")
    email = item.get("email")
    return DeliveryEvent(
        sg_event_id=sg_event_id,
        event=event,
        email=email[:254] if isinstance(email, str) else None,
        occurred_at=_timestamp(item.get("timestamp")),
        outbox_id=_int(item.get("outbox_id")),
        sg_message_id=_str(item.get("sg_message_id")),
        reason=str(reason) if reason is not None else None,
        bounce_type=_str(item.get("type")),
    )


def _outbox_row_for(event: DeliveryEvent) -> OutboxMessage | None:
    """The email the event is about, locked: by our own id, else by SendGrid's message id."""
    if event.outbox_id is not None:
        message = db.session.get(OutboxMessage, event.outbox_id, with_for_update=True)
        if message is not None:
            return message
    if event.sg_message_id:
        # sg_message_id is the X-Message-Id we stored, followed by ".filter..." routing parts.
        provider_id = event.sg_message_id.split(".", 1)[0]
        return db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.provider_message_id == provider_id)
            .limit(1)
            .with_for_update()
        ).first()
    return None


def _insert_once(event: DeliveryEvent, outbox_id: int | None) -> bool:
    """Insert the event unless its sg_event_id is stored already; True if it was new."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(EmailEvent)
        .values(
            sg_event_id=event.sg_event_id,
            outbox_id=outbox_id,
            event=event.event,
            email=event.email,
            reason=event.reason,
            occurred_at=event.occurred_at,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["sg_event_id"])
        .returning(EmailEvent.id)
    )
    return db.session.execute(statement).first() is not None


def _update_delivery_status(message: OutboxMessage, event: DeliveryEvent) -> None:
    """Keep the latest stage of delivery; events arrive out of order, across batches."""
    at = event.occurred_at or utcnow()
    current_at = message.delivery_status_at
    if current_at is not None:
        if at < current_at:
            return
        if at == current_at and _STAGE[event.event] < _STAGE.get(message.delivery_status or "", -1):
            return
    message.delivery_status = event.event
    message.delivery_status_at = at
    if message.status == OutboxStatus.UNCONFIRMED:
        # Any event at all means SendGrid took it: the worker that sent it died before it could
        # record that, and this is how we learn it without sending it again.
        message.status = OutboxStatus.SENT
        message.sent_at = at
        message.last_error = None
        if message.provider_message_id is None and event.sg_message_id:
            message.provider_message_id = event.sg_message_id.split(".", 1)[0][:128]


def _flag_address(email: str, at: datetime) -> None:
    """Mark the account with this address as unable to receive our email (first time only)."""
    user = db.session.scalars(select(User).where(User.email == normalise_email(email))).first()
    if user is not None and user.email_bounced_at is None:
        user.email_bounced_at = at


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _int(value: Any) -> int | None:
    """A row id from a custom arg (always a string), or None; never one the database refuses."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
