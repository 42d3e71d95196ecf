"""Emails waiting to go out, written in the same transaction as what caused them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # A worker stopped (or lost the database) after claiming it and before recording what
    # SendGrid said: it may or may not have gone. Resolved by SendGrid's webhook, a timed
    # resend, or staff; never sent again blindly.
    UNCONFIRMED = "unconfirmed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(String(255))
    # Extra mail headers, e.g. List-Unsubscribe (RFC 8058) on alert emails.
    headers: Mapped[dict | None] = mapped_column(JSON)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(128), index=True)
    # The match an email is about, so staff can see it in the match's history.
    match_id: Mapped[int | None] = mapped_column(
        ForeignKey("matches.id", ondelete="SET NULL"), index=True
    )
    # A worker's claim on a row while it sends; a crashed worker's claim lapses.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How many times the provider was called for this row (more than 1 can mean a duplicate).
    provider_calls: Mapped[int] = mapped_column(default=0)
    # The latest delivery event SendGrid reported: processed, delivered, bounce, ...
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    delivery_status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EmailEvent(db.Model):
    """One delivery event from SendGrid's Event Webhook, stored once per sg_event_id."""

    __tablename__ = "email_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sg_event_id: Mapped[str] = mapped_column(String(128), unique=True)
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    reason: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
