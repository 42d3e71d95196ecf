"""Email: every message is rendered here and queued in the outbox table.

Callers use `queue_email`; delivery (local mailbox or SendGrid) happens later in a worker, so a
rolled-back transaction never sends mail and a provider outage never loses it.
"""

from .outbox import queue_email

__all__ = ["queue_email"]
