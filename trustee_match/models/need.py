"""A trustee role a charity wants to fill."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, trigram_index, utcnow
from .enums import NeedStatus, str_enum

if TYPE_CHECKING:
    from .charity import Charity
    from .taxonomy import Cause, Skill

need_causes = Table(
    "need_causes",
    db.metadata,
    Column("need_id", ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True),
    Column("cause_id", ForeignKey("causes.id", ondelete="CASCADE"), primary_key=True),
    # "Roles for a cause": the primary key starts with need_id, so it cannot answer that.
    Index("ix_need_causes_cause_id_need_id", "cause_id", "need_id"),
)


_N = NeedStatus
# What a charity can do to its need: the statuses each action may start from, and where it goes.
NEED_ACTIONS: dict[str, tuple[frozenset[NeedStatus], NeedStatus]] = {
    "publish": (frozenset({_N.DRAFT, _N.PAUSED}), _N.OPEN),
    "pause": (frozenset({_N.OPEN}), _N.PAUSED),
    "close": (frozenset({_N.DRAFT, _N.OPEN, _N.PAUSED}), _N.CLOSED),
    "mark_filled": (frozenset({_N.OPEN, _N.PAUSED}), _N.FILLED),
}
# Finished: no more edits, no more matches.
ENDED_STATUSES = frozenset({_N.CLOSED, _N.FILLED})


class Need(db.Model):
    __tablename__ = "needs"
    __table_args__ = (
        # Open roles, newest first (the volunteers' list of roles), read in index order.
        Index("ix_needs_status_published_at", "status", "published_at", "id"),
        # A charity's roles, newest first (its dashboard).
        Index("ix_needs_charity_id_created_at", "charity_id", "created_at"),
        trigram_index("ix_needs_title_trgm", "lower(title)"),  # staff find a role
        # ... and see the first few by title: read in order, not all sorted (PostgreSQL).
        Index(
            "ix_needs_open_by_title",
            literal_column("lower(title)"),
            "id",
            postgresql_where=text("status = 'open'"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charity_id: Mapped[int] = mapped_column(
        ForeignKey("charities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(64))
    town: Mapped[str | None] = mapped_column(String(100))
    remote_ok: Mapped[bool] = mapped_column(default=True)
    hours_per_month: Mapped[int]
    closing_date: Mapped[date | None]
    status: Mapped[NeedStatus] = mapped_column(
        str_enum(NeedStatus), default=NeedStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When we last asked the charity "still recruiting?" (a role open 60 days is asked again
    # 60 days after each answer).
    recruiting_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    charity: Mapped[Charity] = relationship(back_populates="needs")
    skill_links: Mapped[list[NeedSkill]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedSkill.skill_id"
    )
    causes: Mapped[list[Cause]] = relationship(secondary=need_causes, order_by="Cause.position")

    @property
    def allowed_actions(self) -> frozenset[str]:
        """The actions (publish, pause, close, mark_filled) open to this need now."""
        return frozenset(
            action for action, (sources, _) in NEED_ACTIONS.items() if self.status in sources
        )

    @property
    def can_be_edited(self) -> bool:
        return self.status not in ENDED_STATUSES

    @property
    def is_draft(self) -> bool:
        return self.status == NeedStatus.DRAFT

    @property
    def required_skills(self) -> list[Skill]:
        return [link.skill for link in self.skill_links if link.required]

    @property
    def desired_skills(self) -> list[Skill]:
        return [link.skill for link in self.skill_links if not link.required]

    @property
    def place(self) -> str:
        return self.town or self.region or "the UK"


class NeedSkill(db.Model):
    __tablename__ = "need_skills"
    __table_args__ = (
        UniqueConstraint("need_id", "skill_id"),
        Index("ix_need_skills_skill_id_need_id", "skill_id", "need_id"),  # "roles needing X"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    required: Mapped[bool] = mapped_column(default=True)

    need: Mapped[Need] = relationship(back_populates="skill_links")
    skill: Mapped[Skill] = relationship(lazy="joined")
