"""Signal weights the ranker learned from staff and side decisions, one row per version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class RankerWeights(db.Model):
    __tablename__ = "ranker_weights"

    id: Mapped[int] = mapped_column(primary_key=True)  # the version
    weights: Mapped[dict] = mapped_column(JSON)
    # True when labels were too few and the defaults were kept.
    fallback: Mapped[bool]
    n_labels: Mapped[int]
    cv_auc: Mapped[float | None] = mapped_column(Float)
    default_cv_auc: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
