"""Ask the ranker: refresh the proposals for open needs, for staff to review.

A run asks the live index for a capped batch and brings the stored proposals in line with it,
rather than adding to them:

- each open need has at most `k` unreviewed ranker proposals: those still in its top `k` are
  kept with their fresh score and reasons, the others are withdrawn with a note, and the
  newcomers are added;
- ranker proposals for needs that are no longer open (paused, closed, filled, or the charity
  no longer verified) are withdrawn;
- no volunteer has more than `cap` unreviewed proposals across all needs, counting the ones
  made by staff by hand and by the volunteer's own "I'm interested";
- proposals made by staff or by a volunteer are never touched, and a pair with any other
  history (rejected, declined, withdrawn...) is never proposed again: a pair has one match.

Each need is refreshed in its own transaction, so a run stopped halfway leaves whole needs
done, and asking again finishes the rest. proposal_plan.py works out what each need should
hold; this module writes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from matching.index import MatchIndex
from matching.records import Proposal

from ..extensions import db
from ..matches.state import record_start, try_move
from ..models import Charity, CharityStatus, Match, MatchState, Need, NeedStatus, User
from ..models.base import utcnow
from ..services.audit import record_audit
from ..services.errors import NotAllowed
from . import proposal_plan as plan
from .learning import current_weights
from .live_index import live_index

S = MatchState
REPLACED_NOTE = "Replaced by a better-suited candidate when the ranker was asked again"
NOT_OPEN_NOTE = "Withdrawn when the ranker was asked again: the role is no longer open"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class RankingReport:
    """What one run changed; a run stores it as its figures."""

    needs: int
    volunteers: int
    new: int = 0
    kept: int = 0
    replaced: int = 0
    withdrawn: int = 0  # ranker proposals for roles no longer open
    skipped: int = 0  # needs someone changed at the same moment; asking again refreshes them
    cost_fraction: float = 0.0  # share of total score given up to respect the per-volunteer cap

    @property
    def proposed(self) -> int:
        """The run's needs' unreviewed ranker proposals once it is done."""
        return self.new + self.kept

    def summary(self) -> str:
        """What changed, in a line: "12 new, 30 kept, 8 replaced, 2 withdrawn for roles..."."""
        line = (
            f"{self.new} new, {self.kept} kept, {self.replaced} replaced, "
            f"{self.withdrawn} withdrawn for roles no longer open"
        )
        if self.skipped:
            line += (
                f"; {self.skipped} roles skipped because someone changed their matches at the "
                "same moment (ask again to refresh them)"
            )
        return line

    def figures(self) -> dict:
        return asdict(self)

    @classmethod
    def from_figures(cls, figures: dict) -> RankingReport:
        return cls(**figures)


def propose_with_ranker(
    actor: User | None,
    k: int = 5,
    cap: int | None = None,
    need_ids: Collection[int] | None = None,
    progress: Progress | None = None,
) -> RankingReport:
    """Refresh the ranker's proposals for every open need (or only `need_ids`); commits.

    `actor` is the staff member who asked, or None for the schedule. `cap` defaults to
    MAX_OPEN_PROPOSALS_PER_VOLUNTEER. `progress` is called inside the transaction that is about
    to commit, so a worker can record it there, or raise to abandon the run.
    """
    if actor is not None and not actor.is_staff:
        raise NotAllowed("Only staff can ask the ranker for proposals.")
    cap = cap or current_app.config["MAX_OPEN_PROPOSALS_PER_VOLUNTEER"]
    say = progress or (lambda message: None)
    say("Loading the ranker's index")
    db.session.commit()
    index = live_index().get()
    withdrawn = _withdraw_where_not_open(actor)
    open_now = _open_need_ids()
    asked = None if need_ids is None else set(need_ids)
    scope = [
        n for n in map(int, index.need_ids()) if n in open_now and (asked is None or n in asked)
    ]
    report = RankingReport(len(scope), index.n_volunteers, withdrawn=withdrawn)
    if scope and index.n_volunteers:
        report = _refresh(index, scope, k, cap, actor, say, report)
    record_audit(actor, "ranker_proposals", "match", None, **report.figures())
    db.session.commit()
    return report


def _refresh(
    index: MatchIndex,
    scope: list[int],
    k: int,
    cap: int,
    actor: User | None,
    say: Progress,
    report: RankingReport,
) -> RankingReport:
    held, history = plan.matches_of(scope)
    at_live_cap = {str(v) for v in plan.at_live_cap()}
    exclude = {n: {str(v) for v in history[n]} | at_live_cap for n in scope}
    say(f"Ranking {len(scope):,} open roles against {report.volunteers:,} volunteers")
    db.session.commit()  # no transaction stays open while the batch runs
    chosen, cost = plan.choose(index, scope, k, cap, exclude, plan.room(cap, held))
    live = current_weights()
    version = live.id if live is not None else 0  # 0: the default weights
    totals: Counter[str] = Counter()
    step = max(1, len(scope) // 20)
    for done, need_id in enumerate(scope, start=1):
        counts: Counter[str] = Counter()
        if chosen[need_id] or held[need_id]:
            try:
                counts = _refresh_need(
                    need_id, chosen[need_id], held[need_id], actor, weights_version=version
                )
                db.session.flush()
            except IntegrityError:  # someone proposed one of these pairs a moment ago
                db.session.rollback()
                counts = Counter(skipped=1)
        if done % step == 0 or done == len(scope):
            say(f"Saving proposals: {done:,} of {len(scope):,} roles")
        db.session.commit()
        totals.update(counts)
    return RankingReport(
        needs=report.needs,
        volunteers=report.volunteers,
        withdrawn=report.withdrawn,
        cost_fraction=round(float(cost), 4),
        **totals,
    )


def _open_need_ids() -> set[int]:
    return set(
        db.session.scalars(
            select(Need.id)
            .join(Charity, Need.charity_id == Charity.id)
            .where(Need.status == NeedStatus.OPEN, Charity.status == CharityStatus.VERIFIED)
        )
    )


def _withdraw_where_not_open(actor: User | None) -> int:
    """Withdraw the ranker's unreviewed proposals for needs that are not open; commits."""
    stale = db.session.scalars(
        select(Match.id)
        .join(Need, Match.need_id == Need.id)
        .join(Charity, Need.charity_id == Charity.id)
        .where(
            Match.source == "ranker",
            Match.state == S.PROPOSED,
            or_(Need.status != NeedStatus.OPEN, Charity.status != CharityStatus.VERIFIED),
        )
    ).all()
    withdrawn = sum(try_move(i, S.PROPOSED, S.WITHDRAWN, actor, NOT_OPEN_NOTE) for i in stale)
    db.session.commit()
    return withdrawn


def _scored(proposal: Proposal) -> dict:
    return {
        "score": round(float(proposal.score), 4),
        "reasons": list(proposal.reasons),
        "volunteer_reasons": list(proposal.reasons_for_volunteer),
        "breakdown": {name: v for name, v in proposal.breakdown.items() if v is not None},
    }


def _refresh_need(
    need_id: int,
    wanted: list[Proposal],
    held: dict[int, plan.Held],
    actor: User | None,
    weights_version: int | None = None,
) -> Counter[str]:
    """Bring one need's unreviewed ranker proposals in line with `wanted` (the caller commits).
    A proposal staff acted on meanwhile is left as it is."""
    counts: Counter[str] = Counter()
    # Where each stands in the role's list, for the reports' acceptance by rank position.
    ranked = sorted(wanted, key=lambda p: -float(p.score))
    place = {int(p.volunteer_id): n for n, p in enumerate(ranked, start=1)}
    fresh = {int(p.volunteer_id): p for p in wanted}
    for volunteer_id, stored in held.items():
        proposal = fresh.pop(volunteer_id, None)
        if proposal is None:
            counts["replaced"] += try_move(
                stored.match_id, S.PROPOSED, S.WITHDRAWN, actor, REPLACED_NOTE
            )
            continue
        scored = _scored(proposal)
        if scored == stored.scored:
            counts["kept"] += 1  # nothing new to say: no write
            continue
        counts["kept"] += db.session.execute(
            update(Match)
            .where(Match.id == stored.match_id, Match.state == S.PROPOSED)
            .values(
                **scored,
                rank_position=place[volunteer_id],
                weights_version=weights_version,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    for proposal in fresh.values():
        match = Match(
            need_id=need_id,
            volunteer_id=int(proposal.volunteer_id),
            state=S.PROPOSED,
            source="ranker",
            rank_position=place[int(proposal.volunteer_id)],
            weights_version=weights_version,
            **_scored(proposal),
        )
        db.session.add(match)
        record_start(match, actor, note="Proposed by the ranker")
        counts["new"] += 1
    return counts
