"""The roles that suit a volunteer best, for their dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from matching.index import MatchIndex

from ..extensions import db
from ..models import Match, Need, User
from .learning import current_weights
from .records import need_record, open_needs, skill_vocabulary, volunteer_record


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
    needs = open_needs()
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
