"""A volunteer's skills profile."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, trigram_index, utcnow
from .enums import BoardExperience, SkillLevel, str_enum
from .self_service import AlertFrequency

if TYPE_CHECKING:
    from .taxonomy import Cause, Skill
    from .user import User

volunteer_causes = Table(
    "volunteer_causes",
    db.metadata,
    Column("profile_id", ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("cause_id", ForeignKey("causes.id", ondelete="CASCADE"), primary_key=True),
)


class VolunteerProfile(db.Model):
    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        trigram_index("ix_volunteer_profiles_name_trgm", "lower(display_name)"),
        trigram_index("ix_volunteer_profiles_headline_trgm", "lower(headline)"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(64))
    remote_ok: Mapped[bool] = mapped_column(default=True)
    hours_per_month: Mapped[int | None]
    board_experience: Mapped[BoardExperience] = mapped_column(
        str_enum(BoardExperience), default=BoardExperience.NONE
    )
    linkedin_url: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    available: Mapped[bool] = mapped_column(default=True)
    # Not proposed and sent no alerts until this day (the tick clears it once it has passed).
    paused_until: Mapped[date | None]
    alert_frequency: Mapped[AlertFrequency] = mapped_column(
        str_enum(AlertFrequency), default=AlertFrequency.OFF, server_default="off"
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="volunteer_profile")
    skills: Mapped[list[VolunteerSkill]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="VolunteerSkill.skill_id"
    )
    causes: Mapped[list[Cause]] = relationship(
        secondary=volunteer_causes, order_by="Cause.position"
    )

    @property
    def first_name(self) -> str:
        """What a charity sees before an introduction: the first word of the display name."""
        return self.display_name.split()[0] if self.display_name.strip() else "A volunteer"

    @property
    def is_complete(self) -> bool:
        return bool(self.headline and self.skills and self.hours_per_month and self.region)


class VolunteerSkill(db.Model):
    __tablename__ = "volunteer_skills"
    __table_args__ = (UniqueConstraint("profile_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    level: Mapped[SkillLevel] = mapped_column(str_enum(SkillLevel))

    profile: Mapped[VolunteerProfile] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")
