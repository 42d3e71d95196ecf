"""Charities and the people who act for them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, trigram_index, utcnow
from .enums import CharityStatus, IncomeBand, str_enum

if TYPE_CHECKING:
    from .need import Need
    from .taxonomy import Cause
    from .user import User

charity_causes = Table(
    "charity_causes",
    db.metadata,
    Column("charity_id", ForeignKey("charities.id", ondelete="CASCADE"), primary_key=True),
    Column("cause_id", ForeignKey("causes.id", ondelete="CASCADE"), primary_key=True),
)


class Charity(db.Model):
    __tablename__ = "charities"
    # Staff's queues of charities: one status, oldest first.
    __table_args__ = (
        Index("ix_charities_status_created_at", "status", "created_at"),
        trigram_index("ix_charities_name_trgm", "lower(name)"),  # staff find a role by charity
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    # None when not registered; then not_registered_reason says why (e.g. a CIC).
    regulator_number: Mapped[str | None] = mapped_column(String(16), unique=True)
    not_registered_reason: Mapped[str | None] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(64))
    town: Mapped[str | None] = mapped_column(String(100))
    income_band: Mapped[IncomeBand | None] = mapped_column(str_enum(IncomeBand))
    website: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[CharityStatus] = mapped_column(
        str_enum(CharityStatus), default=CharityStatus.PENDING
    )
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    members: Mapped[list[CharityMember]] = relationship(
        back_populates="charity", cascade="all, delete-orphan"
    )
    causes: Mapped[list[Cause]] = relationship(secondary=charity_causes, order_by="Cause.position")
    needs: Mapped[list[Need]] = relationship(back_populates="charity", cascade="all, delete-orphan")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.status == CharityStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        """Waiting for staff to verify it (or not)."""
        return self.status == CharityStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == CharityStatus.REJECTED

    @property
    def can_be_verified(self) -> bool:
        """Staff may verify a pending charity, or one they turned down before."""
        return not self.is_verified

    @property
    def can_be_rejected(self) -> bool:
        return self.is_pending

    @property
    def place(self) -> str:
        return self.town or self.region or "the UK"


class CharityMember(db.Model):
    __tablename__ = "charity_members"
    __table_args__ = (UniqueConstraint("charity_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charity_id: Mapped[int] = mapped_column(ForeignKey("charities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    contact_name: Mapped[str] = mapped_column(String(100))
    job_title: Mapped[str | None] = mapped_column(String(100))
    # Whether match emails (proposals, introductions, updates) go to this member.
    match_emails: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    charity: Mapped[Charity] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")
