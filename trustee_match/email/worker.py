"""The outbox worker: takes due messages and hands them to the backend."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus
from ..models.base import utcnow
from .backends import EmailBackend, LocalMailboxBackend

log = logging.getLogger(__name__)


def backend_for(app: Flask) -> EmailBackend:
    """The configured backend: the local mailbox unless SendGrid is configured."""
    return LocalMailboxBackend()


def deliver_due(backend: EmailBackend, limit: int = 100) -> int:
    """Send up to `limit` due messages; return how many were sent. Commits per message."""
    due = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= utcnow(),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = 0
    for message in due:
        result = backend.send(message)
        message.status = OutboxStatus.SENT
        message.provider_message_id = result.provider_message_id
        message.attempts += 1
        message.sent_at = utcnow()
        db.session.commit()
        sent += 1
    return sent


def start_background_worker(app: Flask, interval: float = 2.0) -> threading.Thread:
    """Run `deliver_due` every `interval` seconds in a daemon thread (development only)."""

    def loop() -> None:
        backend = backend_for(app)
        while True:
            try:
                with app.app_context():
                    deliver_due(backend)
            except Exception:  # keep the dev server's mail flowing whatever one batch did
                log.exception("outbox worker: delivery failed")
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="outbox-worker", daemon=True)
    thread.start()
    return thread
