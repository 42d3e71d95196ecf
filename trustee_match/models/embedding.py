"""Stored sentence embeddings of profiles and needs, for the ranker's semantic signal.

Computing one takes the model tens of milliseconds, so the ranker-run worker computes them
(`ranking/embeddings.py`) and every process's live index reads them here instead of running the
model itself. `text_key` says which text a vector was computed from: when a profile's words
change the key no longer matches and the vector is not used until the worker renews it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum


class EmbeddingKind(enum.StrEnum):
    VOLUNTEER = "volunteer"  # object_id: the volunteer's user id
    NEED = "need"  # object_id: the need id


class TextEmbedding(db.Model):
    __tablename__ = "text_embeddings"

    kind: Mapped[EmbeddingKind] = mapped_column(str_enum(EmbeddingKind, 16), primary_key=True)
    object_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    model: Mapped[str] = mapped_column(String(64))
    text_key: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    # Volunteers: skills their words name by meaning, {slug: their phrase}, shown to staff and
    # the volunteer as "mentions" (never as ticked skills).
    mentions: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
