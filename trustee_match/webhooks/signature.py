"""Is this request really from SendGrid? Its Event Webhook signature, and how fresh it is."""

from __future__ import annotations

import time
from functools import lru_cache

from cryptography.exceptions import UnsupportedAlgorithm
from sendgrid.helpers.eventwebhook import EventWebhook

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"
DEFAULT_MAX_AGE_SECONDS = 600
# Clocks differ a little; a timestamp further ahead than this is not a skew but a forgery.
FUTURE_SKEW_SECONDS = 60


def is_signed_by_sendgrid(
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    public_key: str | None,
    *,
    max_age: float = DEFAULT_MAX_AGE_SECONDS,
    now: float | None = None,
) -> bool:
    """True if `signature` is SendGrid's over `timestamp` + the raw `body`, signed recently.

    The signature covers the exact bytes sent, so this must see the raw body, never JSON that
    was parsed and dumped again. A stale timestamp is refused because a signed request replayed
    later would otherwise verify for ever.
    """
    if not (signature and timestamp and public_key):
        return False
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    now = time.time() if now is None else now
    if not now - max_age <= int(timestamp) <= now + FUTURE_SKEW_SECONDS:
        return False
    try:
        payload = body.decode("utf-8")
        return bool(_verifier(public_key).verify_signature(payload, signature, timestamp))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        # A badly padded signature raises binascii.Error (a ValueError) rather than returning
        # False; a body that is not UTF-8 cannot be what SendGrid signed either.
        return False


@lru_cache(maxsize=4)
def _verifier(public_key: str) -> EventWebhook:
    """Parsing the key costs more than checking a signature; keys change rarely."""
    return EventWebhook(public_key)
