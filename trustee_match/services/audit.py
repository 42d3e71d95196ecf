"""Writing the audit log. Callers commit."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEntry, User


def record_audit(
    actor: User | None, action: str, target_type: str, target_id: int | None, **detail: Any
) -> None:
    """Add an audit entry to the current transaction."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if actor is not None else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
        )
    )
