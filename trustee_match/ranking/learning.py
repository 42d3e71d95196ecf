"""Decisions are data: staff approvals and rejections, side replies and appointments re-weight
the ranker's signals, and staff can see how its proposals fare over time.

Learning only proposes a version (safeguards.py says what it must pass); versions.py holds
what staff do with it: approve, set aside, roll back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from matching.learn import WeightLearner, label_from_decision
from matching.signals import DEFAULT_WEIGHTS

from ..extensions import db
from ..models import Match, MatchState, MatchTransition, RankerWeights, User, WeightsStatus
from ..models.base import utcnow
from ..services.audit import record_audit
from ..services.errors import NotAllowed
from .safeguards import MIN_DECISIONS, held_out_figures, hold_out, too_little_to_learn, verdict

_AFTER_APPROVAL = {
    MatchState.APPROVED,
    MatchState.AWAITING_REPLIES,
    MatchState.INTRODUCED,
    MatchState.EXPIRED,
    MatchState.WITHDRAWN,
}


def decision_of(match: Match) -> str | None:
    """The strongest decision a match carries, in the learner's words; None if none yet."""
    if match.state in (MatchState.APPOINTED, MatchState.NOT_PROCEEDING, MatchState.REJECTED):
        return match.state.value
    if match.state == MatchState.DECLINED:
        return "declined"
    if match.state in _AFTER_APPROVAL:
        # Staff approved it; withdrawn or expired later says nothing against the fit.
        approved = any(t.to_state == MatchState.APPROVED for t in match.transitions)
        return "approved" if approved else None
    return None


def labelled_decisions() -> tuple[list[dict], list[int], list[str]]:
    """Every decided proposal that has a breakdown: (breakdowns, 0/1 labels, need ids)."""
    breakdowns, labels, groups = [], [], []
    query = (
        select(Match)
        .where(Match.state != MatchState.PROPOSED)
        .options(selectinload(Match.transitions))
        .order_by(Match.id)
    )
    for match in db.session.scalars(query):
        label = label_from_decision(decision_of(match) or "")
        if label is None or not match.breakdown:
            continue
        breakdowns.append(match.breakdown)
        labels.append(label)
        groups.append(str(match.need_id))
    return breakdowns, labels, groups


def learn_ranker_weights(actor: User, min_labels: int = MIN_DECISIONS) -> RankerWeights:
    """Learn new signal weights from decisions and store them as a proposed version, blocked
    (with the reason) unless it passes the safeguards. Nothing goes live here: staff approve."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can retrain the ranker.")
    breakdowns, labels, groups = labelled_decisions()
    live = current_weights()
    row = RankerWeights(
        weights=dict(DEFAULT_WEIGHTS),
        fallback=True,
        n_labels=len(labels),
        status=WeightsStatus.PROPOSED,
        baseline_id=live.id if live else None,
        created_by_id=actor.id,
    )
    too_little = too_little_to_learn(labels, groups, min_labels)
    if too_little is None:
        _learn_into(row, breakdowns, labels, groups, live)
    else:
        row.blocked_reason = too_little
    db.session.add(row)
    db.session.flush()
    replaced = _set_aside_older_proposals(row)
    record_audit(
        actor, "ranker_weights_proposed", "ranker_weights", row.id,
        n_labels=row.n_labels, blocked=row.blocked_reason, set_aside=replaced,
    )
    db.session.commit()
    return row


def _learn_into(row: RankerWeights, breakdowns, labels, groups, live) -> None:
    train, test = hold_out(labels, groups)
    pick = lambda seq, at: [seq[i] for i in at]  # noqa: E731
    learner = WeightLearner(min_labels=1).fit(
        pick(breakdowns, train), pick(labels, train), pick(groups, train)
    )
    if learner.fallback_:
        row.blocked_reason = (
            "The roles it would learn from hold only approvals or only rejections; it needs "
            "more decisions."
        )
        return
    row.weights, row.fallback = learner.weights_, False
    row.cv_auc, row.default_cv_auc = learner.cv_auc_, learner.default_cv_auc_
    held = (pick(breakdowns, test), pick(labels, test), pick(groups, test))
    baseline_weights = live.weights if live else DEFAULT_WEIGHTS
    mine, baseline = held_out_figures(*held, row.weights), held_out_figures(*held, baseline_weights)
    row.n_heldout = len(test)
    row.heldout_auc, row.heldout_accuracy = mine.auc, mine.accuracy
    row.baseline_auc, row.baseline_accuracy = baseline.auc, baseline.accuracy
    baseline_name = f"the live weights (version {live.id})" if live else "the default weights"
    row.blocked_reason = verdict(row.weights, mine, baseline, baseline_name)


def _set_aside_older_proposals(row: RankerWeights) -> list[int]:
    """One proposal waits for review at a time: the newest, learned from the most decisions."""
    replaced = []
    older = db.session.scalars(
        select(RankerWeights).where(
            RankerWeights.status == WeightsStatus.PROPOSED, RankerWeights.id != row.id
        )
    )
    for version in older:
        version.status = WeightsStatus.REJECTED
        version.rejected_at = utcnow()
        version.note = f"Replaced by version {row.id} before anyone approved it."
        replaced.append(version.id)
    return replaced


def current_weights() -> RankerWeights | None:
    """The live version; None while the ranker uses its default weights."""
    return db.session.scalar(
        select(RankerWeights).where(RankerWeights.status == WeightsStatus.LIVE).limit(1)
    )


@dataclass
class MonthOutcomes:
    month: str
    proposed: int = 0
    approved: int = 0
    rejected: int = 0
    introduced: int = 0
    appointed: int = 0
    reject_reasons: Counter = field(default_factory=Counter)

    @property
    def approval_rate(self) -> float | None:
        decided = self.approved + self.rejected
        return self.approved / decided if decided else None


def _month_of(column):
    """'YYYY-MM' of a UTC timestamp column, in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.substr(column, 1, 7)  # SQLite stores 'YYYY-MM-DD HH:MM:SS...' text


def ranker_outcomes() -> list[MonthOutcomes]:
    """What became of the ranker's proposals, by the month they were made, newest first.

    Two aggregate queries, however many proposals there are: counts per month (with whether
    each proposal ever reached approved, introduced, appointed), and rejection reasons."""
    month = _month_of(Match.created_at).label("month")
    reached = (
        select(
            MatchTransition.match_id.label("match_id"),
            *(
                func.max(case((MatchTransition.to_state == state, 1), else_=0)).label(name)
                for name, state in _REACHED.items()
            ),
        )
        .group_by(MatchTransition.match_id)
        .subquery()
    )
    counts = db.session.execute(
        select(
            month,
            func.count(Match.id),
            *(func.coalesce(func.sum(reached.c[name]), 0) for name in _REACHED),
            func.coalesce(func.sum(case((Match.state == MatchState.REJECTED, 1), else_=0)), 0),
        )
        .select_from(Match)
        .outerjoin(reached, reached.c.match_id == Match.id)
        .where(Match.source == "ranker")
        .group_by(month)
    ).all()
    months = {
        key: MonthOutcomes(
            key,
            proposed=proposed,
            approved=int(approved),
            introduced=int(introduced),
            appointed=int(appointed),
            rejected=int(rejected),
        )
        for key, proposed, approved, introduced, appointed, rejected in counts
    }
    reason_month = _month_of(Match.created_at).label("month")
    reasons = db.session.execute(
        select(reason_month, Match.reject_reason, func.count(Match.id))
        .where(Match.source == "ranker", Match.state == MatchState.REJECTED)
        .group_by(reason_month, Match.reject_reason)
    ).all()
    for key, reason, n in reasons:
        if key in months:
            months[key].reject_reasons[str(reason) if reason else "other"] += n
    return [months[k] for k in sorted(months, reverse=True)]


_REACHED = {
    "approved": MatchState.APPROVED,
    "introduced": MatchState.INTRODUCED,
    "appointed": MatchState.APPOINTED,
}
