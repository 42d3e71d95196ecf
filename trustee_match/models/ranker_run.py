"""One "ask the ranker" run: queued by staff or the schedule, done by a worker process."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .enums import str_enum

if TYPE_CHECKING:
    from .user import User


class RunState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_RUN_STATES = frozenset({RunState.QUEUED, RunState.RUNNING})


class RunKind(enum.StrEnum):
    PROPOSE = "propose"  # "ask the ranker": proposals for open needs
    LEARN = "learn"  # "learn from decisions": a new proposed version of the weights


# Each kind has its own active slot, so learning can be asked for while proposals are being
# made, yet never twice at once.
ACTIVE_SLOTS = {RunKind.PROPOSE: 1, RunKind.LEARN: 2}


class RankerRun(db.Model):
    """A batch of ranker proposals, with its progress and, once done, what it changed.

    A worker claims a run by a conditional UPDATE that sets `claimed_until` (its lease) and
    raises `attempts`; it keeps the lease alive while it works. A run whose lease has lapsed
    (its worker died) is claimed again by the next worker, and the attempt number tells an
    old worker that it no longer owns the run.
    """

    __tablename__ = "ranker_runs"
    __table_args__ = (Index("ix_ranker_runs_kind_id", "kind", "id"),)  # the latest of a kind

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RunKind] = mapped_column(
        str_enum(RunKind, 16), default=RunKind.PROPOSE, server_default=RunKind.PROPOSE.value
    )
    state: Mapped[RunState] = mapped_column(
        str_enum(RunState, 16), default=RunState.QUEUED, index=True
    )
    # Its kind's slot (ACTIVE_SLOTS) while queued or running, NULL after: its unique index lets
    # the database itself refuse a second active run of a kind, even when two staff press the
    # button at the same moment.
    active_slot: Mapped[int | None] = mapped_column(Integer, unique=True, default=1)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )  # None: queued by the schedule for new needs
    need_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None: every open need
    k: Mapped[int]  # proposals per need
    cap: Mapped[int]  # unreviewed proposals per volunteer, across all needs
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    progress: Mapped[str | None] = mapped_column(String(200))
    figures: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requested_by: Mapped[User | None] = relationship()

    @property
    def is_learning(self) -> bool:
        return self.kind == RunKind.LEARN

    @property
    def is_active(self) -> bool:
        """Queued or running: no other run may start."""
        return self.state in ACTIVE_RUN_STATES

    @property
    def is_queued(self) -> bool:
        return self.state == RunState.QUEUED

    @property
    def is_running(self) -> bool:
        return self.state == RunState.RUNNING

    @property
    def is_done(self) -> bool:
        return self.state == RunState.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == RunState.FAILED
