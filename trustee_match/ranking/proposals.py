"""Ask the ranker for proposals for every open need, for staff to review.

This module fits `matching/` on the records from records.py, asks it for a capped batch (so
one star profile is not sent to thirty charities), and stores what it proposes as `proposed`
matches with their score, breakdown and reasons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..matches.state import record_start
from ..models import LIVE_STATES, Match, MatchState, User
from ..services.audit import record_audit
from ..services.errors import NotAllowed
from .live_index import live_index


@dataclass(frozen=True)
class RankingReport:
    needs: int
    volunteers: int
    proposed: int
    cost_fraction: float  # share of total score given up to respect the per-volunteer cap


def _exclusions(need_ids: list[int], volunteer_ids: list[int]) -> dict[str, set[str]]:
    """Who must not be proposed for each need: anyone already matched with it in any state
    (proposed, declined, rejected...), and everyone at their cap of live matches."""
    excluded: dict[str, set[str]] = defaultdict(set)
    for need_id, volunteer_id in db.session.execute(
        select(Match.need_id, Match.volunteer_id).where(Match.need_id.in_(need_ids))
    ):
        excluded[str(need_id)].add(str(volunteer_id))
    cap = current_app.config["MAX_LIVE_MATCHES"]
    at_cap = {
        str(vid)
        for vid, live in db.session.execute(
            select(Match.volunteer_id, func.count())
            .where(Match.state.in_(LIVE_STATES), Match.volunteer_id.in_(volunteer_ids))
            .group_by(Match.volunteer_id)
        )
        if live >= cap
    }
    return {str(n): excluded[str(n)] | at_cap for n in need_ids}


def propose_with_ranker(actor: User, k: int = 5, cap: int = 3) -> RankingReport:
    """Rank volunteers for every open need and store the top `k` of each as proposals."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can ask the ranker for proposals.")
    index = live_index().get()
    need_ids = [int(i) for i in index.need_ids()]
    volunteer_ids = [int(i) for i in index.volunteer_ids()]
    if not need_ids or not volunteer_ids:
        return RankingReport(len(need_ids), len(volunteer_ids), 0, 0.0)
    exclude = _exclusions(need_ids, volunteer_ids)
    batch = index.propose_batch(
        [str(n) for n in need_ids], k=k, cap_per_volunteer=cap, exclude=exclude
    )
    proposed = 0
    for need_id, proposals in batch.proposals.items():
        for proposal in proposals:
            match = Match(
                need_id=int(need_id),
                volunteer_id=int(proposal.volunteer_id),
                state=MatchState.PROPOSED,
                source="ranker",
                score=round(float(proposal.score), 4),
                reasons=list(proposal.reasons),
                breakdown={k: v for k, v in proposal.breakdown.items() if v is not None},
            )
            db.session.add(match)
            record_start(match, actor, note="Proposed by the ranker")
            proposed += 1
    record_audit(actor, "ranker_proposals", "match", None, proposed=proposed, needs=len(need_ids))
    db.session.commit()
    return RankingReport(
        len(need_ids), len(volunteer_ids), proposed, float(batch.cost_fraction)
    )
