"""A proposed pairing of one volunteer with one need, and every step it has taken."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum


class MatchState(enum.StrEnum):
    PROPOSED = "proposed"
    REJECTED = "rejected"
    APPROVED = "approved"
    AWAITING_REPLIES = "awaiting_replies"
    INTRODUCED = "introduced"
    APPOINTED = "appointed"
    NOT_PROCEEDING = "not_proceeding"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


LIVE_STATES = frozenset({MatchState.APPROVED, MatchState.AWAITING_REPLIES})
OPEN_STATES = frozenset(
    {MatchState.PROPOSED, MatchState.APPROVED, MatchState.AWAITING_REPLIES, MatchState.INTRODUCED}
)


class Reply(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RejectReason(enum.StrEnum):
    """Why staff turned a proposal down; kept as a label the ranker can learn from."""

    SKILLS_MISMATCH = "skills_mismatch"
    LOCATION = "location"
    AVAILABILITY = "availability"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
    PROFILE_INCOMPLETE = "profile_incomplete"
    OTHER = "other"


class Match(db.Model):
    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("need_id", "volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[MatchState] = mapped_column(
        str_enum(MatchState), default=MatchState.PROPOSED, index=True
    )
    source: Mapped[str] = mapped_column(String(16), default="staff")  # ranker / staff / interest
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    reject_reason: Mapped[RejectReason | None] = mapped_column(str_enum(RejectReason, 32))
    volunteer_reply: Mapped[Reply | None] = mapped_column(str_enum(Reply))
    volunteer_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    charity_reply: Mapped[Reply | None] = mapped_column(str_enum(Reply))
    charity_replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    charity_replied_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    replies_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    introduced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    need = relationship("Need")
    volunteer = relationship("User", foreign_keys=[volunteer_id])
    transitions: Mapped[list[MatchTransition]] = relationship(
        back_populates="match", order_by="MatchTransition.id", cascade="all, delete-orphan"
    )

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class MatchTransition(db.Model):
    __tablename__ = "match_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[MatchState | None] = mapped_column(str_enum(MatchState))
    to_state: Mapped[MatchState] = mapped_column(str_enum(MatchState))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    match = relationship("Match", back_populates="transitions")
    actor = relationship("User")
