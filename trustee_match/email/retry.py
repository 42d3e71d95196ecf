"""When to try a failed email again: exponential backoff with full jitter.

Full jitter (a random wait between 0 and the exponential ceiling) spreads the retries of many
emails that failed together, so a provider recovering from an outage is not hit by all of them
at the same instant.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

_rng = random.SystemRandom()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently the outbox worker retries.

    Defaults: 8 attempts with waits of up to 1, 2, 4 ... minutes, each capped at an hour, so an
    email is parked only after SendGrid has failed it for about an hour on average (two at most).
    """

    max_attempts: int = 8
    backoff_base: float = 60.0  # seconds; the ceiling after attempt n is base * 2**(n-1)
    backoff_max: float = 3600.0
    lease: float = 120.0  # how long a claim lasts; must outlive one provider call
    # How long an unconfirmed email (its worker stopped mid-attempt) waits for a SendGrid event
    # before it is sent again; None: never by itself, staff decide.
    unconfirmed_resend: float | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        """The policy set by OUTBOX_* settings, defaults for any that are missing."""
        return cls(
            max_attempts=int(config.get("OUTBOX_MAX_ATTEMPTS", cls.max_attempts)),
            backoff_base=float(config.get("OUTBOX_BACKOFF_BASE_SECONDS", cls.backoff_base)),
            backoff_max=float(config.get("OUTBOX_BACKOFF_MAX_SECONDS", cls.backoff_max)),
            lease=float(config.get("OUTBOX_LEASE_SECONDS", cls.lease)),
            unconfirmed_resend=_unconfirmed_resend(config),
        )

    def delay(self, attempts: int, retry_after: float | None = None) -> timedelta:
        """How long to wait after the `attempts`-th failed attempt.

        A provider hint (`retry_after`, e.g. from X-RateLimit-Reset) comes first: retrying before
        the rate limit resets only earns another 429. The jitter is added on top of it, so the
        emails that were limited together do not all return at the reset. Every wait is capped
        at `backoff_max`.
        """
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** max(attempts - 1, 0))
        wait = (retry_after or 0.0) + _rng.uniform(0, ceiling)
        return timedelta(seconds=min(wait, self.backoff_max))


def _unconfirmed_resend(config: Mapping[str, Any]) -> float | None:
    """Only SendGrid's webhook can say an unconfirmed email went out: without it, never resend."""
    seconds = float(config.get("OUTBOX_UNCONFIRMED_RESEND_SECONDS") or 0)
    if seconds <= 0 or not config.get("SENDGRID_WEBHOOK_PUBLIC_KEY"):
        return None
    return seconds
