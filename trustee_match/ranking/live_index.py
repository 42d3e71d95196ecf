"""One live ranker index per process, kept current from the change log.

Each web and worker process holds one `MatchIndex` over every volunteer who can be matched and
every open need of a verified charity, built once at first use. Whatever changes a profile, a
need, a charity's verification, an account or the live weights also writes a `RankerChange` row
in the same transaction (`changes.record_change`). Before it answers a ranking question, a
process whose last look at the log is older than half of `RANKER_SYNC_SECONDS` reads the rows
it has not applied and updates one record at a time (no refit). So a ranking is at most
`RANKER_SYNC_SECONDS` behind the database, in every process and on every machine that shares
the database; the process that made a change sees it at once.

Words first seen after the build do not count towards text relevance until the next full build
(`flask matches reindex`, which every process then repeats in the background).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, or_, select
from sqlalchemy.orm import Session

from matching.index import MatchIndex
from matching.signals import DEFAULT_WEIGHTS

from ..extensions import db
from ..models import ChangeKind, Need, RankerChange
from ..models.base import utcnow
from ..models.embedding import EmbeddingKind
from .embeddings import attach, embedder
from .learning import current_weights
from .records import candidate_profiles, need_record, open_needs, skill_vocabulary, volunteer_record

log = logging.getLogger(__name__)

# A change committed by a transaction that began before a sync and ended after it has an id
# below the watermark; re-reading the last minute of the log catches it (applying is idempotent).
LOOKBACK = timedelta(seconds=60)
VOLUNTEER, NEED = EmbeddingKind.VOLUNTEER, EmbeddingKind.NEED


@dataclass(frozen=True)
class IndexStatus:
    """What one process's index holds, for staff and health checks."""

    built_at: datetime | None
    build_seconds: float | None
    volunteers: int
    needs: int
    changes_applied: int
    synced_seconds_ago: float | None
    rebuilding: bool


class LiveIndex:
    """The process's ranker index; `get()` returns it built and no staler than the bound."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        # RANKER_SYNC_SECONDS is the promise (how stale a ranking may be); looking at the log
        # twice as often leaves the sync itself and a slow query well inside it.
        self.sync_seconds = float(app.config["RANKER_SYNC_SECONDS"]) / 2
        self._index: MatchIndex | None = None
        self._watermark = 0
        self._applied: dict[int, datetime] = {}  # ids applied within the lookback
        self._synced_at = float("-inf")
        self._build_lock = threading.Lock()
        self._sync_lock = threading.Lock()
        self._built_at: datetime | None = None
        self._build_seconds: float | None = None
        self._changes_applied = 0
        self._rebuilding = False

    # Reading ----------------------------------------------------------------------------------

    def get(self) -> MatchIndex:
        """The index, built on first use and synced when the last sync is older than the bound."""
        if self._index is None:
            with self._build_lock:
                if self._index is None:
                    self.rebuild()
        if time.monotonic() - self._synced_at >= self.sync_seconds:
            self.sync()
        assert self._index is not None
        return self._index

    def status(self) -> IndexStatus:
        index = self._index
        return IndexStatus(
            built_at=self._built_at,
            build_seconds=self._build_seconds,
            volunteers=index.n_volunteers if index is not None else 0,
            needs=index.n_needs if index is not None else 0,
            changes_applied=self._changes_applied,
            synced_seconds_ago=(
                None if index is None else round(time.monotonic() - self._synced_at, 1)
            ),
            rebuilding=self._rebuilding,
        )

    def mark_stale(self) -> None:
        """Sync at the next read (this process has just committed a change)."""
        self._synced_at = float("-inf")

    # Building ---------------------------------------------------------------------------------

    def rebuild(self, progress: Callable[[str], None] | None = None) -> MatchIndex:
        """Fit a new index on everything matchable now and swap it in; readers keep the old one
        until then."""
        started = time.perf_counter()
        say = progress or (lambda message: log.info("ranker index: %s", message))
        # Read the watermark before the rows: a change made while we read is applied again
        # at the next sync, which is harmless.
        watermark = db.session.scalar(select(func.max(RankerChange.id))) or 0
        say("loading volunteers and open needs")
        volunteers = attach([volunteer_record(p) for p in candidate_profiles()], VOLUNTEER)
        needs = attach([need_record(n) for n in open_needs()], NEED)
        learned = current_weights()
        index = MatchIndex(
            vocabulary=skill_vocabulary(),
            weights=learned.weights if learned else None,
            progress=say,
            # Stored vectors only: the model never runs in a web request (see embeddings.py).
            semantic=embedder(),
            embed_missing=False,
        ).fit(volunteers, needs)
        index.progress = None  # updates are quiet; only builds report
        self._index = index
        self._watermark = max(self._watermark, watermark)
        self._synced_at = time.monotonic()
        self._built_at = utcnow()
        self._build_seconds = round(time.perf_counter() - started, 2)
        say(
            f"built: {len(volunteers)} volunteers, {len(needs)} needs "
            f"in {self._build_seconds:.1f} s"
        )
        return index

    def rebuild_in_background(self) -> None:
        """Refit in a thread of its own; readers use the current index until the new one is
        ready (a process that inherited an old index from the gunicorn master)."""
        self._rebuild_in_background()

    def _rebuild_in_background(self) -> None:
        if self._rebuilding:
            return
        self._rebuilding = True

        def work() -> None:
            try:
                with self.app.app_context():
                    self.rebuild()
            except Exception:
                log.exception("ranker index rebuild failed; the old index stays in use")
            finally:
                self._rebuilding = False

        threading.Thread(target=work, name="ranker-rebuild", daemon=True).start()

    # Syncing ----------------------------------------------------------------------------------

    def sync(self) -> int:
        """Apply the changes this process has not seen; returns how many. A sync already running
        in another thread is not waited for: this reader uses the current snapshot."""
        if not self._sync_lock.acquire(blocking=False):
            return 0
        try:
            return self._apply_new_changes()
        finally:
            self._sync_lock.release()

    def _apply_new_changes(self) -> int:
        now = utcnow()
        rows = db.session.execute(
            select(
                RankerChange.id, RankerChange.kind, RankerChange.object_id, RankerChange.created_at
            )
            .where(
                or_(RankerChange.id > self._watermark, RankerChange.created_at >= now - LOOKBACK)
            )
            .order_by(RankerChange.id)
        ).all()
        fresh = [row for row in rows if row.id not in self._applied]
        if fresh:
            self._apply(fresh)
            for row in fresh:
                self._applied[row.id] = row.created_at
            self._watermark = max(self._watermark, fresh[-1].id)
            self._changes_applied += len(fresh)
        self._applied = {i: at for i, at in self._applied.items() if at >= now - LOOKBACK}
        self._synced_at = time.monotonic()
        return len(fresh)

    def _apply(self, rows) -> None:
        assert self._index is not None
        kinds = {row.kind for row in rows}
        if ChangeKind.REBUILD in kinds:
            self._rebuild_in_background()
        volunteer_ids = {r.object_id for r in rows if r.kind == ChangeKind.VOLUNTEER}
        need_ids = {r.object_id for r in rows if r.kind == ChangeKind.NEED}
        charity_ids = {r.object_id for r in rows if r.kind == ChangeKind.CHARITY}
        if charity_ids:
            of_charities = select(Need.id).where(Need.charity_id.in_(charity_ids))
            need_ids |= set(db.session.scalars(of_charities))
        index = self._index
        if volunteer_ids:
            matchable = {p.user_id: p for p in candidate_profiles(volunteer_ids)}
            for volunteer_id in volunteer_ids:
                if volunteer_id in matchable:
                    record = volunteer_record(matchable[volunteer_id])
                    index.add_volunteer(attach([record], VOLUNTEER)[0])
                else:
                    index.remove_volunteer(str(volunteer_id))
        if need_ids:
            live = {n.id: n for n in open_needs(need_ids)}
            for need_id in need_ids:
                if need_id in live:
                    index.add_need(attach([need_record(live[need_id])], NEED)[0])
                else:
                    index.remove_need(str(need_id))
        if ChangeKind.WEIGHTS in kinds:
            learned = current_weights()
            index.set_weights(learned.weights if learned else dict(DEFAULT_WEIGHTS))


def live_index() -> LiveIndex:
    """This process's live index (one per app)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    holder = app.extensions.get("live_index")
    if holder is None:
        holder = app.extensions.setdefault("live_index", LiveIndex(app))
    return holder


@event.listens_for(Session, "after_commit")
def _fresh_after_own_change(session: Session) -> None:
    # The process that made a change should not wait for the next sync to see it.
    if session.info.pop("ranker_changed", False) and has_app_context():
        holder = current_app.extensions.get("live_index")
        if holder is not None:
            holder.mark_stale()
