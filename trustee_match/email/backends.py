"""Where a queued email goes. One interface; the local mailbox in development and tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..models import OutboxMessage


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str | None = None


class EmailBackend(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> SendResult:
        """Hand one message to the provider; raise on failure."""
        ...


class LocalMailboxBackend:
    """Development delivery: the message stays in the outbox, shown at /dev/mailbox."""

    name = "local"

    def send(self, message: OutboxMessage) -> SendResult:
        return SendResult(provider_message_id=f"local-{message.id}")
