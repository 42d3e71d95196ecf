"""Versions of the ranker's signal weights, learned from decisions; every version is kept.

A learned version starts `proposed`. Staff approve it (it goes `live`, the one it replaces is
`retired`) or set it aside (`rejected`). A version that fails the safeguards carries
`blocked_reason` and cannot be approved. Rolling back retires the live version and makes the one
it replaced (`previous_live_id`) live again; with none, the ranker uses its default weights.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum

if TYPE_CHECKING:
    from .user import User


class WeightsStatus(enum.StrEnum):
    PROPOSED = "proposed"
    LIVE = "live"
    RETIRED = "retired"
    REJECTED = "rejected"


class RankerWeights(db.Model):
    __tablename__ = "ranker_weights"
    # At most one live version, even if two staff approve at the same moment.
    __table_args__ = (
        Index(
            "uq_ranker_weights_one_live",
            "status",
            unique=True,
            sqlite_where=text("status = 'live'"),
            postgresql_where=text("status = 'live'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)  # the version
    weights: Mapped[dict] = mapped_column(JSON)
    # True when decisions were too few to learn from: the weights are the defaults.
    fallback: Mapped[bool]
    n_labels: Mapped[int]
    # The learner's own grouped cross-validation on the decisions it learned from.
    cv_auc: Mapped[float | None] = mapped_column(Float)
    default_cv_auc: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    status: Mapped[WeightsStatus] = mapped_column(
        str_enum(WeightsStatus, 16), default=WeightsStatus.PROPOSED
    )
    blocked_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))  # the latest change, in plain words

    # Held-out figures: decisions on roles the version did not learn from, scored by this
    # version and by the baseline (the version live when it was learned; None: the defaults).
    n_heldout: Mapped[int | None]
    heldout_auc: Mapped[float | None] = mapped_column(Float)
    heldout_accuracy: Mapped[float | None] = mapped_column(Float)
    baseline_id: Mapped[int | None] = mapped_column(ForeignKey("ranker_weights.id"))
    baseline_auc: Mapped[float | None] = mapped_column(Float)
    baseline_accuracy: Mapped[float | None] = mapped_column(Float)

    previous_live_id: Mapped[int | None] = mapped_column(ForeignKey("ranker_weights.id"))
    live_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    retired_by: Mapped[User | None] = relationship(foreign_keys=[retired_by_id])
    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])

    @property
    def can_be_approved(self) -> bool:
        return self.status == WeightsStatus.PROPOSED and self.blocked_reason is None

    @property
    def status_label(self) -> str:
        if self.status == WeightsStatus.PROPOSED:
            return "Blocked" if self.blocked_reason else "Waiting for approval"
        return {
            WeightsStatus.LIVE: "In use",
            WeightsStatus.RETIRED: "Retired",
            WeightsStatus.REJECTED: "Set aside",
        }[self.status]
