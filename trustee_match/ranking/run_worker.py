"""The ranker-run worker: claims a queued run, does it, records how it ended.

A worker claims a run with a conditional UPDATE (it works the same on SQLite and PostgreSQL)
that sets a lease, `claimed_until`, and raises `attempts`. While it works, a heartbeat thread
renews the lease, and so does every progress line. If the worker dies, the lease lapses and the
next worker claims the run again; since each need is refreshed in its own transaction and a
refresh is safe to repeat, it simply finishes the work. Writes to the run are conditional on
the attempt number, so a worker that lost its lease can no longer change it, and it stops at
its next progress line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select, update

from ..extensions import db
from ..models import RankerRun, RunKind, RunState, User
from ..models.base import utcnow
from ..services.errors import NotAllowed, ServiceError
from .learning import learn_ranker_weights
from .proposals import propose_with_ranker
from .runs import ask_for_run

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a run that stops its worker three times is not tried a fourth


class LeaseLost(RuntimeError):
    """Another worker has taken this run over (this one stalled past its lease)."""


@dataclass(frozen=True)
class Claim:
    """A run this worker holds, identified by the attempt number it set."""

    run_id: int
    attempt: int


def work_on_next_run(progress: Callable[[str], None] | None = None) -> RankerRun | None:
    """Claim the next run and do it; returns it finished (done or failed), or None when there
    was nothing to do. `progress` also receives each progress line (a command's output)."""
    claim = claim_next_run()
    if claim is None:
        return None
    execute_run(claim, progress)
    db.session.expire_all()
    return db.session.get(RankerRun, claim.run_id)


def claim_next_run() -> Claim | None:
    """Claim a queued run, or one whose worker's lease has lapsed; None when there is none."""
    lease = timedelta(seconds=current_app.config["RANKER_RUN_LEASE_SECONDS"])
    while True:
        now = utcnow()
        run = db.session.scalar(
            select(RankerRun)
            .where(
                or_(
                    RankerRun.state == RunState.QUEUED,
                    and_(RankerRun.state == RunState.RUNNING, RankerRun.claimed_until < now),
                )
            )
            .order_by(RankerRun.id)
            .limit(1)
        )
        if run is None:
            db.session.rollback()  # end the read transaction rather than idle inside it
            return None
        if run.state == RunState.RUNNING and run.attempts >= MAX_ATTEMPTS:
            _compare_and_set(
                run.id,
                RunState.RUNNING,
                run.attempts,
                **_finished(RunState.FAILED),
                error=(
                    f"The worker doing this run stopped {run.attempts} times before finishing "
                    f"(last seen: {run.progress or 'starting'}). It may be running out of "
                    "memory. Ask again; if it happens again, tell whoever looks after the "
                    "servers."
                ),
            )
            db.session.commit()
            continue
        won = _compare_and_set(
            run.id,
            run.state,
            run.attempts,
            state=RunState.RUNNING,
            attempts=run.attempts + 1,
            claimed_until=now + lease,
            started_at=run.started_at or now,
            progress="Starting" if run.attempts == 0 else "Starting again after a worker stopped",
        )
        claim = Claim(run.id, run.attempts + 1)
        db.session.commit()
        if won:
            return claim


def execute_run(claim: Claim, progress: Callable[[str], None] | None = None) -> None:
    """Do a claimed run and record how it ended: done with its figures, or failed with the
    error in plain words. Commits."""
    run = db.session.get(RankerRun, claim.run_id)
    assert run is not None
    actor, k, cap, need_ids = run.requested_by, run.k, run.cap, run.need_ids
    kind = run.kind
    lease = current_app.config["RANKER_RUN_LEASE_SECONDS"]

    def note(message: str) -> None:
        if not _compare_and_set(
            claim.run_id,
            RunState.RUNNING,
            claim.attempt,
            progress=message[:200],
            claimed_until=utcnow() + timedelta(seconds=lease),
        ):
            raise LeaseLost(f"run {claim.run_id} was taken over by another worker")
        if progress is not None:
            progress(message)

    with _Heartbeat(current_app._get_current_object(), claim, lease):  # type: ignore[attr-defined]
        try:
            if kind == RunKind.LEARN:
                figures = _learn(actor, note)
            else:
                report = propose_with_ranker(
                    actor, k=k, cap=cap, need_ids=need_ids, progress=note
                )
                figures = report.figures()
        except LeaseLost:
            db.session.rollback()
            log.warning("ranker run %s: lease lost; another worker finishes it", claim.run_id)
            return
        except KeyboardInterrupt:  # the worker is being stopped: the next one starts at once
            db.session.rollback()
            _compare_and_set(
                claim.run_id,
                RunState.RUNNING,
                claim.attempt,
                state=RunState.QUEUED,
                claimed_until=None,
                progress="Waiting for a worker again (the last one was stopped)",
            )
            db.session.commit()
            raise
        except Exception as error:
            db.session.rollback()
            log.exception("ranker run %s failed", claim.run_id)
            _compare_and_set(
                claim.run_id,
                RunState.RUNNING,
                claim.attempt,
                **_finished(RunState.FAILED),
                error=_in_plain_words(error),
            )
            db.session.commit()
            return
    _compare_and_set(
        claim.run_id,
        RunState.RUNNING,
        claim.attempt,
        **_finished(RunState.DONE),
        figures=figures,
        progress=None,
    )
    db.session.commit()


def _learn(actor: User | None, note: Callable[[str], None]) -> dict:
    """Learn a proposed version of the weights (learning.py commits it); its figures."""
    if actor is None:
        raise NotAllowed(
            "The staff account that asked for this has been removed; ask again from yours."
        )
    note("Reading the decisions and learning from them")
    row = learn_ranker_weights(actor)
    return {
        "version_id": row.id,
        "n_labels": row.n_labels,
        "fallback": row.fallback,
        "blocked_reason": row.blocked_reason,
    }


def _in_plain_words(error: Exception) -> str:
    if isinstance(error, ServiceError):
        return str(error)
    detail = str(error) or type(error).__name__
    return (
        f"The run stopped because of an unexpected error: {detail}. Proposals saved before it "
        "stay as they are; ask again to finish. The worker's log has the details."
    )[:2000]


def _finished(state: RunState) -> dict:
    return {"state": state, "active_slot": None, "claimed_until": None, "finished_at": utcnow()}


def _compare_and_set(run_id: int, state: RunState, attempts: int, /, **values: object) -> bool:
    """Update the run only if it is still as we saw it (state and attempt); True if we did."""
    result = db.session.execute(
        update(RankerRun)
        .where(RankerRun.id == run_id, RankerRun.state == state, RankerRun.attempts == attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


class _Heartbeat:
    """Renews a claimed run's lease every quarter lease while the run works, from a thread
    with its own database session: the batch itself can be silent for minutes."""

    def __init__(self, app: Flask, claim: Claim, lease_seconds: float) -> None:
        self.app, self.claim, self.lease = app, claim, lease_seconds
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="ranker-run-lease", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stop.wait(self.lease / 4):
            try:
                with self.app.app_context():
                    _compare_and_set(
                        self.claim.run_id,
                        RunState.RUNNING,
                        self.claim.attempt,
                        claimed_until=utcnow() + timedelta(seconds=self.lease),
                    )
                    db.session.commit()
            except Exception:  # a missed beat is survivable; the next one may succeed
                log.exception("ranker run %s: could not renew the lease", self.claim.run_id)


def run_now(
    actor: User,
    *,
    k: int | None = None,
    cap: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> RankerRun:
    """Queue a run and do it in this process (for commands); raises RunAlreadyActive. Returns
    the run finished, or still queued or running if a worker process picked it up first."""
    run = ask_for_run(actor, k=k, cap=cap)
    run_id = run.id
    finished = work_on_next_run(progress)
    if finished is not None and finished.id == run_id:
        return finished
    return db.session.get(RankerRun, run_id, populate_existing=True)
