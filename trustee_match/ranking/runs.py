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
    ACTIVE_SLOTS,
    Charity,
    CharityStatus,
    Match,
    Need,
    NeedStatus,
    RankerRun,
    RunKind,
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
        kind=RunKind.PROPOSE,
        requested_by_id=actor.id if actor else None,
        need_ids=sorted(need_ids) if need_ids is not None else None,
        k=k or config["RANKER_PROPOSALS_PER_NEED"],
        cap=cap or config["MAX_OPEN_PROPOSALS_PER_VOLUNTEER"],
    )
    return _queue(run)


def ask_for_learning(actor: User) -> RankerRun:
    """Queue "learn from decisions" for the ranker-run worker (it reads every decision, which
    is no work for a web request); commits. Raises RunAlreadyActive, having queued nothing,
    while another learning run is queued or running."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can retrain the ranker.")
    config = current_app.config
    run = RankerRun(
        kind=RunKind.LEARN,
        requested_by_id=actor.id,
        k=config["RANKER_PROPOSALS_PER_NEED"],
        cap=config["MAX_OPEN_PROPOSALS_PER_VOLUNTEER"],
    )
    return _queue(run)


def _queue(run: RankerRun) -> RankerRun:
    run.active_slot = ACTIVE_SLOTS[run.kind]
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        active = latest_run(run.kind)
        if active is not None and active.is_active:
            raise RunAlreadyActive(_busy_message(active)) from None
        raise RunAlreadyActive(
            "Another run was queued at the same moment. Refresh the page to see it."
        ) from None
    return run


def _busy_message(run: RankerRun) -> str:
    if run.is_learning:
        return (
            "The ranker is already learning from decisions, so nothing more was queued. "
            "This page shows when it has finished."
        )
    if run.state == RunState.QUEUED:
        return (
            "A ranker run is already queued, so no second one was added. It starts as soon as "
            "a worker is free."
        )
    return (
        "The ranker is already working on a run, so no second one was added. "
        f"So far: {run.progress or 'starting'}."
    )


def latest_run(kind: RunKind = RunKind.PROPOSE) -> RankerRun | None:
    """The most recent run of a kind, for the staff pages."""
    return db.session.scalar(
        select(RankerRun)
        .where(RankerRun.kind == kind)
        .options(selectinload(RankerRun.requested_by))
        .order_by(RankerRun.id.desc())
        .limit(1)
    )


def run_report(run: RankerRun) -> RankingReport | None:
    """What a finished proposals run changed."""
    if run.is_learning:
        return None
    return RankingReport.from_figures(run.figures) if run.figures else None


def learning_outcome(run: RankerRun) -> str | None:
    """What a finished learning run found, in the words staff read on the ranker page."""
    figures = run.figures or {}
    if not run.is_learning or not run.is_done or "version_id" not in figures:
        return None
    version, n = figures["version_id"], figures["n_labels"]
    if figures["fallback"]:
        return f"Nothing learned, nothing changed. {figures['blocked_reason'] or ''}".strip()
    if figures["blocked_reason"]:
        return (
            f"The ranker learned new weights (version {version}) from {n} decisions, but they "
            f"cannot go live. {figures['blocked_reason']}"
        )
    return (
        f"The ranker learned new weights (version {version}) from {n} decisions. Nothing has "
        "changed yet: look at the preview below, then approve them or set them aside."
    )


def run_summary(run: RankerRun) -> str | None:
    """One line on how a finished run of either kind ended (for commands)."""
    if run.is_failed:
        return run.error
    if run.is_learning:
        return learning_outcome(run)
    report = run_report(run)
    return report.summary() if report is not None else None


def queue_run_for_new_needs() -> RankerRun | None:
    """For the schedule: queue a run for open needs with no match at all that changed since
    the last finished run (a need the ranker found nobody for is not asked about every tick).
    Returns None when there are none, or when a run is already queued or running."""
    since = db.session.scalar(
        select(func.max(RankerRun.created_at)).where(
            RankerRun.kind == RunKind.PROPOSE, RankerRun.state == RunState.DONE
        )
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
