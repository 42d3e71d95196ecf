"""A proposed pairing of one volunteer with one need, and every step it has taken."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum

if TYPE_CHECKING:
    from .need import Need
    from .user import User


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


_S = MatchState
# The legal moves: where each state may go next. matches/state.py makes a move safely; pages
# ask a match what it can do (`can_be_withdrawn`, ...) instead of repeating this table.
MOVES: dict[MatchState, frozenset[MatchState]] = {
    _S.PROPOSED: frozenset({_S.APPROVED, _S.REJECTED, _S.WITHDRAWN}),
    _S.APPROVED: frozenset({_S.AWAITING_REPLIES, _S.WITHDRAWN}),
    _S.AWAITING_REPLIES: frozenset({_S.INTRODUCED, _S.DECLINED, _S.EXPIRED, _S.WITHDRAWN}),
    _S.INTRODUCED: frozenset({_S.APPOINTED, _S.NOT_PROCEEDING, _S.WITHDRAWN}),
}
# Counted against a volunteer's cap of matches waiting for replies.
LIVE_STATES = frozenset({_S.APPROVED, _S.AWAITING_REPLIES})
# Not yet ended: staff or either side may still withdraw.
OPEN_STATES = frozenset(state for state, moves in MOVES.items() if _S.WITHDRAWN in moves)


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
    __table_args__ = (
        UniqueConstraint("need_id", "volunteer_id"),
        # A volunteer's introductions, latest first.
        Index("ix_matches_volunteer_id_updated_at", "volunteer_id", "updated_at"),
        # The staff queue's tabs: one state, oldest first or latest first.
        Index("ix_matches_state_created_at", "state", "created_at"),
        Index("ix_matches_state_updated_at", "state", "updated_at"),
        # The ranker page: its proposals by month.
        Index("ix_matches_source_created_at", "source", "created_at"),
    )

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
    # Why it was proposed, in two voices: about the volunteer (staff, the charity) and to them.
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    volunteer_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    # For the ranker's proposals: its place in the role's list (1 = best) and the weights
    # version that scored it (0 = the default weights); None for older rows and by hand.
    rank_position: Mapped[int | None]
    weights_version: Mapped[int | None]
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

    need: Mapped[Need] = relationship()
    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
    transitions: Mapped[list[MatchTransition]] = relationship(
        back_populates="match", order_by="MatchTransition.id", cascade="all, delete-orphan"
    )

    def can_move_to(self, state: MatchState) -> bool:
        """Whether `state` is a legal next move from this match's state."""
        return state in MOVES.get(self.state, frozenset())

    def reasons_for(self, side: str) -> list[str]:
        """The reasons written for this side: a volunteer reads about themselves as "you"."""
        return self.volunteer_reasons if side == "volunteer" else self.reasons

    @property
    def is_open(self) -> bool:
        """Not yet ended (proposed, approved, waiting for replies or introduced)."""
        return self.state in OPEN_STATES

    @property
    def from_interest(self) -> bool:
        """The volunteer asked for it ("I'm interested"), rather than staff or the ranker."""
        return self.source == "interest"

    @property
    def can_be_approved(self) -> bool:
        return self.can_move_to(MatchState.APPROVED)

    @property
    def can_be_rejected(self) -> bool:
        return self.can_move_to(MatchState.REJECTED)

    @property
    def can_be_withdrawn(self) -> bool:
        return self.can_move_to(MatchState.WITHDRAWN)

    @property
    def awaiting_replies(self) -> bool:
        """Emails are out and the sides' answers are due."""
        return self.state == MatchState.AWAITING_REPLIES

    @property
    def can_report_outcome(self) -> bool:
        """Introduced: either side may now say appointed, not going ahead, or still talking."""
        return self.can_move_to(MatchState.APPOINTED)

    def reply_of(self, side: str) -> Reply | None:
        """The answer of one side ("volunteer" or "charity"), if given."""
        return self.volunteer_reply if side == "volunteer" else self.charity_reply

    def awaiting_reply_from(self, side: str) -> bool:
        """Whether this side still has to accept or decline."""
        return self.awaiting_replies and self.reply_of(side) is None


class MatchTransition(db.Model):
    __tablename__ = "match_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[MatchState | None] = mapped_column(str_enum(MatchState))
    to_state: Mapped[MatchState] = mapped_column(str_enum(MatchState))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    match: Mapped[Match] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()
