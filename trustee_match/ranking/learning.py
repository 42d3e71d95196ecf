"""Decisions are data: staff approvals and rejections, side replies and appointments re-weight
the ranker's signals, and staff can see how its proposals fare over time."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matching.learn import WeightLearner, label_from_decision

from ..extensions import db
from ..models import Match, MatchState, RankerWeights, User
from ..models.ranker_change import ChangeKind
from ..services.audit import record_audit
from ..services.errors import NotAllowed
from .changes import record_change

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


def learn_ranker_weights(actor: User, min_labels: int = 40) -> RankerWeights:
    """Fit new signal weights on every labelled proposal and store them as the next version."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can retrain the ranker.")
    breakdowns, labels, groups = [], [], []
    query = (
        select(Match)
        .where(Match.state != MatchState.PROPOSED)
        .options(selectinload(Match.transitions))
    )
    for match in db.session.scalars(query):
        label = label_from_decision(decision_of(match) or "")
        if label is None or not match.breakdown:
            continue
        breakdowns.append(match.breakdown)
        labels.append(label)
        groups.append(str(match.need_id))
    learner = WeightLearner(min_labels=min_labels).fit(breakdowns, labels, groups)
    row = RankerWeights(
        weights=learner.weights_,
        fallback=learner.fallback_,
        n_labels=learner.n_labels_,
        cv_auc=learner.cv_auc_,
        default_cv_auc=learner.default_cv_auc_,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    record_audit(actor, "ranker_retrained", "ranker_weights", row.id, n_labels=row.n_labels)
    record_change(ChangeKind.WEIGHTS)
    db.session.commit()
    return row


def current_weights() -> RankerWeights | None:
    """The newest learned weights that are not a fallback to the defaults."""
    return db.session.scalar(
        select(RankerWeights)
        .where(RankerWeights.fallback.is_(False))
        .order_by(RankerWeights.id.desc())
        .limit(1)
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


def ranker_outcomes() -> list[MonthOutcomes]:
    """What became of the ranker's proposals, by the month they were made, newest first."""
    months: dict[str, MonthOutcomes] = defaultdict(lambda: MonthOutcomes(""))
    query = select(Match).where(Match.source == "ranker").options(selectinload(Match.transitions))
    for match in db.session.scalars(query):
        key = match.created_at.strftime("%Y-%m")
        row = months[key]
        row.month = key
        row.proposed += 1
        reached = {t.to_state for t in match.transitions}
        row.approved += MatchState.APPROVED in reached
        row.introduced += MatchState.INTRODUCED in reached
        row.appointed += MatchState.APPOINTED in reached
        if match.state == MatchState.REJECTED:
            row.rejected += 1
            row.reject_reasons[match.reject_reason.value if match.reject_reason else "other"] += 1
    return [months[k] for k in sorted(months, reverse=True)]
