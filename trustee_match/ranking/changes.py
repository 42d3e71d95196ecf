"""Telling every process's live index that something it ranks has changed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from ..extensions import db
from ..models import ChangeKind, RankerChange
from ..models.base import utcnow

KEEP_CHANGES = timedelta(days=1)


def record_change(kind: ChangeKind, object_id: int | None = None) -> None:
    """Note a change in the caller's transaction: it reaches the live indexes when that commits,
    and not at all if it rolls back."""
    db.session.add(RankerChange(kind=kind, object_id=object_id))
    db.session.info["ranker_changed"] = True


def prune_changes() -> int:
    """Forget changes older than a day (every live index has long applied them); commits."""
    result = db.session.execute(
        delete(RankerChange).where(RankerChange.created_at < utcnow() - KEEP_CHANGES)
    )
    db.session.commit()
    return result.rowcount or 0


def request_rebuild() -> None:
    """Ask every process to refit its index from scratch (after `flask matches reindex`, or
    once many words unknown to the text model have come in); commits."""
    record_change(ChangeKind.REBUILD)
    db.session.commit()
