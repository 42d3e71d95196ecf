"""The ranker fed from the database: proposals for every open need, for staff to review.

`matching/` knows nothing of the app; this module turns rows into its plain records, asks it
for a capped batch (so one star profile is not sent to thirty charities), and stores what it
proposes as `proposed` matches with their score, breakdown and reasons.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matching.index import MatchIndex
from matching.records import NeedRecord, VolunteerRecord
from matching.vocabulary import SkillVocabulary

from ..extensions import db
from ..matches.state import record_start
from ..models import (
    LIVE_STATES,
    BoardExperience,
    Charity,
    CharityStatus,
    Match,
    MatchState,
    Need,
    NeedSkill,
    NeedStatus,
    Skill,
    User,
    VolunteerProfile,
    VolunteerSkill,
)
from .audit import record_audit
from .errors import NotAllowed
from .ranker_learning import current_weights


@dataclass(frozen=True)
class RankingReport:
    needs: int
    volunteers: int
    proposed: int
    cost_fraction: float  # share of total score given up to respect the per-volunteer cap


def _specific(alias: str) -> bool:
    """Whether an alias is specific enough to detect in free text.

    Single lower-case words ("people", "change", "risk", "inclusion") appear in every bio in
    other senses: "people with mental health problems" is not HR experience. Phrases,
    product names and acronyms ("employment law", "Salesforce", "SOC", "a11y") are kept.
    """
    return " " in alias or not alias.isalpha() or alias != alias.lower()


def skill_vocabulary() -> SkillVocabulary:
    """The app's taxonomy, in the ranker's terms (skills on profiles and needs are passed as
    slugs; the aliases serve to find skills named in free text)."""
    skills = db.session.scalars(select(Skill).order_by(Skill.position))
    return SkillVocabulary(
        [(s.slug, s.name, tuple(a for a in s.aliases or () if _specific(a))) for s in skills]
    )


def volunteer_record(profile: VolunteerProfile) -> VolunteerRecord:
    return VolunteerRecord(
        id=str(profile.user_id),
        headline=profile.headline,
        bio=profile.bio,
        skills=tuple(entry.skill.slug for entry in profile.skills),
        causes=tuple(cause.name for cause in profile.causes),
        region=profile.region,
        remote_ok=profile.remote_ok,
        hours_per_month=profile.hours_per_month,
        board_experience=profile.board_experience != BoardExperience.NONE,
    )


def need_record(need: Need) -> NeedRecord:
    return NeedRecord(
        id=str(need.id),
        title=need.title,
        description=need.description,
        skills_required=tuple(s.slug for s in need.required_skills),
        skills_desired=tuple(s.slug for s in need.desired_skills),
        causes=tuple(cause.name for cause in need.causes),
        region=need.region,
        remote_ok=need.remote_ok,
        hours_per_month=need.hours_per_month,
    )


def _candidates() -> list[VolunteerProfile]:
    return list(
        db.session.scalars(
            select(VolunteerProfile)
            .join(VolunteerProfile.user)
            .where(
                VolunteerProfile.available.is_(True),
                User.active.is_(True),
                User.email_verified_at.is_not(None),
            )
            .options(
                selectinload(VolunteerProfile.skills).joinedload(VolunteerSkill.skill),
                selectinload(VolunteerProfile.causes),
            )
        )
    )


def _open_needs() -> list[Need]:
    return list(
        db.session.scalars(
            select(Need)
            .join(Need.charity)
            .where(Need.status == NeedStatus.OPEN, Charity.status == CharityStatus.VERIFIED)
            .options(
                selectinload(Need.skill_links).joinedload(NeedSkill.skill),
                selectinload(Need.causes),
            )
        )
    )


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
    profiles, needs = _candidates(), _open_needs()
    if not profiles or not needs:
        return RankingReport(len(needs), len(profiles), 0, 0.0)
    learned = current_weights()
    index = MatchIndex(
        vocabulary=skill_vocabulary(), weights=learned.weights if learned else None
    ).fit([volunteer_record(p) for p in profiles], [need_record(n) for n in needs])
    exclude = _exclusions([n.id for n in needs], [p.user_id for p in profiles])
    batch = index.propose_batch(
        [str(n.id) for n in needs], k=k, cap_per_volunteer=cap, exclude=exclude
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
    record_audit(actor, "ranker_proposals", "match", None, proposed=proposed, needs=len(needs))
    db.session.commit()
    return RankingReport(len(needs), len(profiles), proposed, float(batch.cost_fraction))


@dataclass(frozen=True)
class Suggestion:
    need: Need
    score: float
    reasons: list[str]


def suggest_needs_for(volunteer: User, k: int = 5) -> list[Suggestion]:
    """The open needs that suit this volunteer best, with reasons, leaving out ones they are
    already connected with. Indexes only the open needs and this one profile, so it is cheap
    enough to run on a page view."""
    profile = volunteer.volunteer_profile
    if profile is None or not profile.is_complete:
        return []
    needs = _open_needs()
    taken = set(db.session.scalars(select(Match.need_id).where(Match.volunteer_id == volunteer.id)))
    needs = [n for n in needs if n.id not in taken]
    if not needs:
        return []
    learned = current_weights()
    index = MatchIndex(
        vocabulary=skill_vocabulary(), weights=learned.weights if learned else None
    ).fit([volunteer_record(profile)], [need_record(n) for n in needs])
    by_id = {str(n.id): n for n in needs}
    return [
        Suggestion(by_id[p.need_id], float(p.score), list(p.reasons))
        for p in index.top_needs(str(volunteer.id), k=k)
    ]
