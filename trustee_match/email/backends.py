"""Where a queued email goes. One interface; the local mailbox in development and tests.

A backend gets an `OutgoingEmail`, a plain snapshot of an outbox row, because the worker sends
outside any database transaction: nothing a backend touches may lazy-load from the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..models import OutboxMessage


@dataclass(frozen=True)
class OutgoingEmail:
    """Everything a provider needs to send one outbox row."""

    outbox_id: int
    kind: str
    to_email: str
    to_name: str | None
    subject: str
    text_body: str
    html_body: str
    headers: dict[str, str] | None = None  # e.g. List-Unsubscribe

    @classmethod
    def from_row(cls, message: OutboxMessage) -> OutgoingEmail:
        return cls(
            outbox_id=message.id,
            kind=message.kind,
            to_email=message.to_email,
            to_name=message.to_name,
            subject=message.subject,
            text_body=message.text_body,
            html_body=message.html_body,
            headers=dict(message.headers) if message.headers else None,
        )


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message."""

    provider_message_id: str | None = None
    status_code: int | None = None


class DeliveryError(Exception):
    """The provider did not accept the message.

    `retryable` says whether trying again later can help (rate limits, outages, timeouts) or not
    (a rejected request: sending it again gets the same answer). `retry_after` is the provider's
    own hint, in seconds from now, when it gave one. `maybe_accepted`: no answer came, so the
    provider may have taken it (a timeout after the request was sent).
    """

    def __init__(
        self,
        detail: str,
        *,
        retryable: bool,
        status_code: int | None = None,
        retry_after: float | None = None,
        maybe_accepted: bool = False,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable
        self.maybe_accepted = maybe_accepted
        self.status_code = status_code
        self.retry_after = retry_after


class EmailBackend(Protocol):
    name: str

    def send(self, email: OutgoingEmail) -> SendResult:
        """Hand one message to the provider; raise `DeliveryError` when it is not accepted."""
        ...


class LocalMailboxBackend:
    """Development delivery: the message stays in the outbox, shown at /dev/mailbox."""

    name = "local"

    def send(self, email: OutgoingEmail) -> SendResult:
        return SendResult(provider_message_id=f"local-{email.outbox_id}")
