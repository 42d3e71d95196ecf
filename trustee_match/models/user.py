"""Accounts: who can log in and in which role."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import BigInteger, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..passwords import hash_password, verify_password
from .base import UTCDateTime, trigram_index, utcnow
from .enums import Role, str_enum

if TYPE_CHECKING:
    from .charity import Charity, CharityMember
    from .volunteer import VolunteerProfile


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def normalise_email(value: str) -> str:
    """The form an email address is stored and compared in."""
    return value.strip().lower()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_created_at", "created_at", "id"),  # staff: newest first
        trigram_index("ix_users_email_trgm", "email"),  # staff find a person by email
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Always stored trimmed and lower-cased (see normalise_email), so the plain unique
    # constraint makes addresses unique case-insensitively on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Flask-Login keeps this in the session instead of the id; changing it ends every session.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    email_bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two-step verification (TOTP). The secret is encrypted with a key from the config
    # (services/second_factor.py); it is set at the start of setup and counts only once
    # `second_factor_enabled_at` is set, after the user confirmed a code from their app.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    second_factor_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last TOTP time step accepted: a code is refused if its step is not later (no replay).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger())
    # Staff only: True stops the daily digest and the expired-match notes.
    staff_digest_opt_out: Mapped[bool] = mapped_column(default=False, server_default=false())

    volunteer_profile: Mapped[VolunteerProfile | None] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[CharityMember]] = relationship(back_populates="user")

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_second_factor(self) -> bool:
        return self.second_factor_enabled_at is not None

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and verify_password(self.password_hash, password)

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_volunteer(self) -> bool:
        return self.role == Role.VOLUNTEER

    @property
    def is_charity(self) -> bool:
        return self.role == Role.CHARITY

    @property
    def charity(self) -> Charity | None:
        """The charity this member belongs to (charity accounts have exactly one)."""
        return self.memberships[0].charity if self.memberships else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
