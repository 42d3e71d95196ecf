"""Writing the audit log. Callers commit, except for `record_contact_views` (a page view).

The log is append-only from the app: nothing here or in any page edits or deletes an entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from ..extensions import db
from ..models import AuditEntry, User
from ..models.base import utcnow


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


CONTACT_VIEWED = "volunteer_contact_viewed"


def record_contact_views(actor: User, volunteer_ids: Iterable[int], page: str) -> None:
    """Staff saw these volunteers' contact details on `page`: one entry each, in one INSERT,
    committed at once (the page is a GET, so nothing else would commit it)."""
    ids = sorted(set(volunteer_ids))
    if not ids:
        return
    now = utcnow()
    db.session.execute(
        insert(AuditEntry),
        [
            {
                "actor_id": actor.id,
                "action": CONTACT_VIEWED,
                "target_type": "user",
                "target_id": volunteer_id,
                "detail": {"page": page},
                "created_at": now,
            }
            for volunteer_id in ids
        ],
    )
    db.session.commit()
