"""A need's candidates, live: the ranker's best volunteers for one role, with what staff should
know about each before putting them forward, and putting one forward.

Everything here reads the process's live index (never a fit per request) and loads the people
it names in a fixed number of queries, however many are shown.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from matching.records import Proposal

from ..extensions import db
from ..matches.actions import approve_match, propose_match
from ..models import LIVE_STATES, Match, MatchState, Need, Reply, User, VolunteerProfile
from ..models.embedding import EmbeddingKind
from ..models.volunteer import VolunteerSkill
from ..services.errors import ServiceError
from .embeddings import with_stored
from .live_index import live_index
from .records import need_record

PAGE_SIZES = (20, 50, 100)


@dataclass(frozen=True)
class CandidateFilters:
    """What staff narrowed the list to; empty means everyone the ranker may put forward."""

    region: str | None = None
    remote_ok: bool = False
    skill_id: int | None = None
    min_hours: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.region or self.remote_ok or self.skill_id or self.min_hours)


@dataclass(frozen=True)
class Candidate:
    """One volunteer the ranker puts forward for the need, and the flags staff look at."""

    volunteer_id: int
    display_name: str
    headline: str
    region: str | None
    score: float
    reasons: list[str]
    feasible: bool
    blockers: list[str]
    live_matches: int
    at_cap: bool
    declined_before: int
    email_bounced: bool
    match_id: int | None = None  # their match with this need, in any state
    match_state: MatchState | None = None

    @property
    def has_flags(self) -> bool:
        return bool(
            self.match_state or self.live_matches or self.declined_before or self.email_bounced
        )


@dataclass(frozen=True)
class CandidateList:
    need: Need
    k: int
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def feasible(self) -> list[Candidate]:
        return [c for c in self.candidates if c.feasible]

    @property
    def infeasible(self) -> list[Candidate]:
        return [c for c in self.candidates if not c.feasible]

    @property
    def next_k(self) -> int | None:
        """How many to ask for next ("show more"), when the list may go on."""
        bigger = [n for n in PAGE_SIZES if n > self.k]
        return bigger[0] if bigger and len(self.candidates) >= self.k else None


def candidates_for(need: Need, filters: CandidateFilters, k: int = PAGE_SIZES[0]) -> CandidateList:
    """The live top `k` candidates for a need who pass the filters: those who can meet what the
    role asks first, in the ranker's order, then those who can't, each with why."""
    proposals = _ranked(need, filters, k)
    if not proposals:
        return CandidateList(need=need, k=k)
    ids = [int(p.volunteer_id) for p in proposals]
    people = _people(ids)
    counts = _match_counts(ids)
    with_need = _matches_with(need.id, ids)
    cap = current_app.config["MAX_LIVE_MATCHES"]
    candidates = []
    for proposal in proposals:
        vid = int(proposal.volunteer_id)
        if vid not in people:
            continue  # left since the index last synced
        profile, bounced = people[vid]
        live, declined = counts.get(vid, (0, 0))
        feasible, blockers = _feasibility(proposal)
        match_id, state = with_need.get(vid, (None, None))
        candidates.append(
            Candidate(
                volunteer_id=vid,
                display_name=profile.display_name,
                headline=profile.headline,
                region=profile.region,
                score=float(proposal.score),
                # The library opens the reasons with the blockers; they are shown apart.
                reasons=[r for r in proposal.reasons if r not in blockers],
                feasible=feasible,
                blockers=blockers,
                live_matches=live,
                at_cap=live >= cap,
                declined_before=declined,
                email_bounced=bounced,
                match_id=match_id,
                match_state=state,
            )
        )
    # A stable sort: the ranker's order within each group.
    candidates.sort(key=lambda c: not c.feasible)
    return CandidateList(need=need, k=k, candidates=candidates[:k])


class ProposedNotApproved(ServiceError):
    """The proposal was made, but approving it was refused; `str()` says why."""

    def __init__(self, match: Match, reason: ServiceError) -> None:
        super().__init__(str(reason))
        self.match = match


def propose_candidate(actor: User, need: Need, volunteer: User, *, approve: bool = False) -> Match:
    """Put a candidate forward with the ranker's score and reasons for the pair; with `approve`,
    approve it at once (both sides are emailed). A proposal whose approval is refused (the
    volunteer is at their cap) stays proposed, and `ProposedNotApproved` says why.
    """
    proposal = _ranked_one(need, volunteer.id)
    try:
        match = propose_match(
            actor,
            need,
            volunteer,
            score=round(float(proposal.score), 4) if proposal else None,
            reasons=list(proposal.reasons) if proposal else [],
            volunteer_reasons=list(proposal.reasons_for_volunteer) if proposal else [],
            breakdown=(
                {k: v for k, v in proposal.breakdown.items() if v is not None} if proposal else {}
            ),
        )
    except IntegrityError:
        # Two clicks at once: the other one made the match.
        db.session.rollback()
        raise ServiceError("This volunteer has already been put forward for this role.") from None
    if approve:
        try:
            approve_match(actor, match)
        except ServiceError as refused:
            raise ProposedNotApproved(match, refused) from refused
    return match


# Ranking --------------------------------------------------------------------------------------


def _ranked(need: Need, filters: CandidateFilters, k: int) -> list[Proposal]:
    index = live_index().get()
    exclude: set[str] = set()
    if filters.any:
        passing = {str(i) for i in db.session.scalars(_passing_filters(filters))}
        exclude = set(index.volunteer_ids()) - passing
    try:
        return index.top_volunteers(str(need.id), k=k, exclude=exclude)
    except KeyError:
        # Not open (or its charity is not verified), or published since the last sync:
        # score the need as it stands, without adding it.
        record = with_stored(need_record(need), EmbeddingKind.NEED)
        return index.top_volunteers(record, k=k, exclude=exclude)


def _ranked_one(need: Need, volunteer_id: int) -> Proposal | None:
    """The ranker's view of one pair (None when the volunteer is not in the index)."""
    index = live_index().get()
    others = set(index.volunteer_ids()) - {str(volunteer_id)}
    try:
        found = index.top_volunteers(str(need.id), k=1, exclude=others)
    except KeyError:
        record = with_stored(need_record(need), EmbeddingKind.NEED)
        found = index.top_volunteers(record, k=1, exclude=others)
    return found[0] if found else None


def _passing_filters(filters: CandidateFilters):
    query = select(VolunteerProfile.user_id)
    if filters.region:
        query = query.where(VolunteerProfile.region == filters.region)
    if filters.remote_ok:
        query = query.where(VolunteerProfile.remote_ok.is_(True))
    if filters.min_hours:
        query = query.where(VolunteerProfile.hours_per_month >= filters.min_hours)
    if filters.skill_id:
        query = query.where(
            VolunteerProfile.skills.any(VolunteerSkill.skill_id == filters.skill_id)
        )
    return query


# Loading the people named, a query each -------------------------------------------------------


def _people(ids: Collection[int]) -> dict[int, tuple[VolunteerProfile, bool]]:
    rows = db.session.execute(
        select(VolunteerProfile, User.email_bounced_at.is_not(None))
        .join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.user_id.in_(list(ids)))
    )
    return {profile.user_id: (profile, bool(bounced)) for profile, bounced in rows}


def _match_counts(ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """Per volunteer: matches waiting for replies now, and introductions they declined."""
    live = func.sum(case((Match.state.in_(LIVE_STATES), 1), else_=0))
    declined = func.sum(case((Match.volunteer_reply == Reply.DECLINED, 1), else_=0))
    rows = db.session.execute(
        select(Match.volunteer_id, live, declined)
        .where(Match.volunteer_id.in_(list(ids)))
        .group_by(Match.volunteer_id)
    )
    return {vid: (int(n_live or 0), int(n_declined or 0)) for vid, n_live, n_declined in rows}


def _matches_with(need_id: int, ids: Collection[int]) -> dict[int, tuple[int, MatchState]]:
    rows = db.session.execute(
        select(Match.volunteer_id, Match.id, Match.state).where(
            Match.need_id == need_id, Match.volunteer_id.in_(list(ids))
        )
    )
    return {vid: (match_id, state) for vid, match_id, state in rows}


# Hard needs -----------------------------------------------------------------------------------


def _feasibility(proposal: Proposal) -> tuple[bool, list[str]]:
    """Whether the candidate can meet what the role asks, and if not, why in plain words: the
    ranker's own judgement."""
    return proposal.feasible, [] if proposal.feasible else list(proposal.why_not)
