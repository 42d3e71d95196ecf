"""What staff do with learned weights: approve a proposed version, set it aside, roll back.

Each move is a conditional UPDATE on the status it comes from, so two staff acting at once give
one result and a clear refusal, never two live versions. A move that changes the live weights
records a `ChangeKind.WEIGHTS` change in the same transaction, so every process's live index
picks the new weights up within `RANKER_SYNC_SECONDS`. Every move is audited.
"""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import ChangeKind, RankerWeights, User, WeightsStatus
from ..models.base import utcnow
from ..services.audit import record_audit
from ..services.errors import InvalidTransition, NotAllowed
from .changes import record_change
from .learning import current_weights


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise NotAllowed("Only staff can change the ranker's weights.")


def _move(version: RankerWeights, from_status: WeightsStatus, **values) -> None:
    """Change a version's row only if it is still in `from_status`; refuse otherwise."""
    result = db.session.execute(
        update(RankerWeights)
        .where(RankerWeights.id == version.id, RankerWeights.status == from_status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition(
            f"Version {version.id} is no longer {from_status.value}: someone else has just "
            "changed the ranker's weights. Look again before acting."
        )


def _finish(actor: User, action: str, version: RankerWeights, **detail) -> None:
    record_audit(actor, action, "ranker_weights", version.id, **detail)
    db.session.commit()
    db.session.expire_all()


def approve_weights(actor: User, version: RankerWeights) -> RankerWeights:
    """Make a proposed version live and retire the one it replaces."""
    _require_staff(actor)
    if version.status != WeightsStatus.PROPOSED:
        raise InvalidTransition(
            f"Version {version.id} is {version.status.value}: only a proposed version can be "
            "approved."
        )
    if version.blocked_reason:
        raise InvalidTransition(f"Version {version.id} cannot go live. {version.blocked_reason}")
    live = current_weights()
    if (live.id if live else None) != version.baseline_id:
        compared = f"version {version.baseline_id}" if version.baseline_id else "the defaults"
        raise InvalidTransition(
            f"Version {version.id} was tested against {compared}, which is no longer what the "
            "ranker uses. Learn again to test it against the weights in use now."
        )
    now = utcnow()
    if live is not None:
        _move(
            live, WeightsStatus.LIVE, status=WeightsStatus.RETIRED, retired_by_id=actor.id,
            retired_at=now, note=f"Replaced by version {version.id}.",
        )
    _move(
        version, WeightsStatus.PROPOSED, status=WeightsStatus.LIVE, approved_by_id=actor.id,
        approved_at=now, live_since=now, previous_live_id=live.id if live else None,
        note=None,
    )
    record_change(ChangeKind.WEIGHTS)
    _finish(actor, "ranker_weights_approved", version, replaced=live.id if live else None)
    return version


def set_aside_weights(actor: User, version: RankerWeights) -> RankerWeights:
    """Turn a proposed version down; it is kept, and never goes live."""
    _require_staff(actor)
    if version.status != WeightsStatus.PROPOSED:
        raise InvalidTransition(
            f"Version {version.id} is {version.status.value}: only a proposed version can be "
            "set aside."
        )
    _move(
        version, WeightsStatus.PROPOSED, status=WeightsStatus.REJECTED, rejected_by_id=actor.id,
        rejected_at=utcnow(), note="Set aside by staff.",
    )
    _finish(actor, "ranker_weights_set_aside", version)
    return version


def roll_back_weights(actor: User) -> RankerWeights | None:
    """Retire the live version and bring back the one it replaced (None: the defaults)."""
    _require_staff(actor)
    live = current_weights()
    if live is None:
        raise InvalidTransition(
            "The ranker is using its default weights: there is nothing to roll back."
        )
    previous = (
        db.session.get(RankerWeights, live.previous_live_id) if live.previous_live_id else None
    )
    now = utcnow()
    back_to = f"version {previous.id}" if previous else "the default weights"
    _move(
        live, WeightsStatus.LIVE, status=WeightsStatus.RETIRED, retired_by_id=actor.id,
        retired_at=now, note=f"Rolled back to {back_to}.",
    )
    if previous is not None:
        # Its own previous_live_id stays, so a second roll back steps further back.
        _move(
            previous, WeightsStatus.RETIRED, status=WeightsStatus.LIVE, live_since=now,
            retired_by_id=None, retired_at=None,
            note=f"Live again since version {live.id} was rolled back.",
        )
    record_change(ChangeKind.WEIGHTS)
    _finish(
        actor, "ranker_weights_rolled_back", live, back_to=previous.id if previous else None
    )
    return previous


def weight_versions(limit: int = 30) -> list[RankerWeights]:
    """The live version first, then the newest `limit` others (older ones stay stored)."""
    rows = db.session.scalars(
        select(RankerWeights)
        .where(
            or_(
                RankerWeights.status == WeightsStatus.LIVE,
                RankerWeights.id.in_(
                    select(RankerWeights.id).order_by(RankerWeights.id.desc()).limit(limit)
                ),
            )
        )
        .options(
            selectinload(RankerWeights.created_by),
            selectinload(RankerWeights.approved_by),
            selectinload(RankerWeights.retired_by),
            selectinload(RankerWeights.rejected_by),
        )
        .order_by(RankerWeights.id.desc())
    ).all()
    return sorted(rows, key=lambda row: row.status != WeightsStatus.LIVE)
