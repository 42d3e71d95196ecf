"""What each side keeps for itself: a charity's board and invitations, a volunteer's alerts."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .charity import Charity
    from .taxonomy import Skill
    from .user import User


class AlertFrequency(enum.StrEnum):
    OFF = "off"
    INSTANT = "instant"  # as soon as a role that suits them is published
    WEEKLY = "weekly"  # one digest a week


board_member_skills = Table(
    "board_member_skills",
    db.metadata,
    Column(
        "board_member_id", ForeignKey("board_members.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("skill_id", ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True),
)


class BoardMember(db.Model):
    """A trustee on a charity's board now, for its skills audit (a name is optional)."""

    __tablename__ = "board_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    charity_id: Mapped[int] = mapped_column(
        ForeignKey("charities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(100))
    term_ends_on: Mapped[date | None]
    # The reminder three months before the term ends went out (once per term end date).
    term_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    charity: Mapped[Charity] = relationship()
    skills: Mapped[list[Skill]] = relationship(
        secondary=board_member_skills, order_by="Skill.position"
    )

    @property
    def label(self) -> str:
        return self.name or "A trustee"


class CharityInvitation(db.Model):
    """A member inviting a colleague by email: the link is signed, expires and works once."""

    __tablename__ = "charity_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    charity_id: Mapped[int] = mapped_column(
        ForeignKey("charities.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    charity: Mapped[Charity] = relationship()
    invited_by: Mapped[User | None] = relationship()


class SentAlert(db.Model):
    """A role already put in a volunteer's alert email: never sent to them again."""

    __tablename__ = "sent_alerts"
    __table_args__ = (UniqueConstraint("volunteer_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
