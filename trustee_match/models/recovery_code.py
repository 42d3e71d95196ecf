"""Recovery codes for two-step verification: each works once, instead of a code from the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime


class RecoveryCode(db.Model):
    """Only the SHA-256 of a code is stored. A code carries 120 random bits, so (as ASVS 6.5.2
    allows above 112 bits) a plain hash is as strong as a slow one, and can be looked up."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
