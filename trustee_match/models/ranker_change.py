"""The ranker's change log: one row per change that a live index must apply."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum


class ChangeKind(enum.StrEnum):
    VOLUNTEER = "volunteer"  # object_id: the volunteer's user id
    NEED = "need"  # object_id: the need id
    CHARITY = "charity"  # object_id: the charity id (all its needs)
    WEIGHTS = "weights"  # the live weights changed
    REBUILD = "rebuild"  # every process refits from scratch


class RankerChange(db.Model):
    """Written in the same transaction as the change itself, so no change is announced that did
    not happen and none that happened is missed; every process reads the rows it has not seen."""

    __tablename__ = "ranker_changes"
    __table_args__ = (Index("ix_ranker_changes_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, 16))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
