"""Ranker runs: "ask the ranker" queues a run, and a worker process does it (run_worker.py).

The queue is the `ranker_runs` table, so it needs nothing the app does not already run, and a
run is queued in the same database as everything it reads and writes. One run at a time: a
unique index on `active_slot` refuses a second queued or running run, even when two staff
press the button at the same moment.
"""

from __future__ import annotations

from collections.abc import Collection

from flask import current_app
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Charity,
    CharityStatus,
    Match,
    Need,
    NeedStatus,
    RankerRun,
    RunState,
    User,
)
from ..services.errors import NotAllowed, ServiceError
from .proposals import RankingReport


class RunAlreadyActive(ServiceError):
    """Asked for a run while one is queued or running."""


def ask_for_run(
    actor: User | None,
    *,
    need_ids: Collection[int] | None = None,
    k: int | None = None,
    cap: int | None = None,
) -> RankerRun:
    """Queue a run (staff, or None for the schedule); commits. Raises RunAlreadyActive, having
    queued nothing, while another run is queued or running."""
    if actor is not None and not actor.is_staff:
        raise NotAllowed("Only staff can ask the ranker for proposals.")
    config = current_app.config
    run = RankerRun(
        requested_by_id=actor.id if actor else None,
        need_ids=sorted(need_ids) if need_ids is not None else None,
        k=k or config["RANKER_PROPOSALS_PER_NEED"],
        cap=cap or config["MAX_OPEN_PROPOSALS_PER_VOLUNTEER"],
    )
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        active = latest_run()
        if active is not None and active.is_active:
            raise RunAlreadyActive(_busy_message(active)) from None
        raise RunAlreadyActive(
            "Another run was queued at the same moment. Refresh the page to see it."
        ) from None
    return run


def _busy_message(run: RankerRun) -> str:
    if run.state == RunState.QUEUED:
        return (
            "A ranker run is already queued, so no second one was added. It starts as soon as "
            "a worker is free."
        )
    return (
        "The ranker is already working on a run, so no second one was added. "
        f"So far: {run.progress or 'starting'}."
    )


def latest_run() -> RankerRun | None:
    """The most recent run, for the staff page."""
    return db.session.scalar(
        select(RankerRun)
        .options(selectinload(RankerRun.requested_by))
        .order_by(RankerRun.id.desc())
        .limit(1)
    )


def run_report(run: RankerRun) -> RankingReport | None:
    """What a finished run changed."""
    return RankingReport.from_figures(run.figures) if run.figures else None


def queue_run_for_new_needs() -> RankerRun | None:
    """For the schedule: queue a run for open needs with no match at all that changed since
    the last finished run (a need the ranker found nobody for is not asked about every tick).
    Returns None when there are none, or when a run is already queued or running."""
    since = db.session.scalar(
        select(func.max(RankerRun.created_at)).where(RankerRun.state == RunState.DONE)
    )
    query = (
        select(Need.id)
        .join(Charity, Need.charity_id == Charity.id)
        .where(
            Need.status == NeedStatus.OPEN,
            Charity.status == CharityStatus.VERIFIED,
            ~exists().where(Match.need_id == Need.id),
        )
    )
    if since is not None:
        query = query.where(Need.updated_at > since)
    need_ids = list(db.session.scalars(query))
    if not need_ids:
        return None
    try:
        return ask_for_run(None, need_ids=need_ids)
    except RunAlreadyActive:
        return None  # the next tick asks again
