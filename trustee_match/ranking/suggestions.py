"""The roles that suit a volunteer best, for their dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import Match, Need, User
from ..models.embedding import EmbeddingKind
from .embeddings import with_stored
from .live_index import live_index
from .records import open_needs, volunteer_record


@dataclass(frozen=True)
class Suggestion:
    need: Need
    score: float
    reasons: list[str]


def suggest_needs_for(volunteer: User, k: int = 5) -> list[Suggestion]:
    """The open needs that suit this volunteer best, with reasons, leaving out ones they are
    already connected with and ones they could not take on (a hard need they fail: the role
    meets in person elsewhere, asks for more hours, or for a skill they have none of). Reads
    this process's live index: no fitting on a page view."""
    profile = volunteer.volunteer_profile
    if profile is None or not profile.is_complete:
        return []
    taken = {
        str(need_id)
        for need_id in db.session.scalars(
            select(Match.need_id).where(Match.volunteer_id == volunteer.id)
        )
    }
    # The profile as it is now, not as the index last saw it: a volunteer who has just saved
    # sees roles for what they saved.
    record = with_stored(volunteer_record(profile), EmbeddingKind.VOLUNTEER)
    proposals = live_index().get().top_needs(record, k=k, exclude=taken)
    by_id = {str(n.id): n for n in open_needs([int(p.need_id) for p in proposals])}
    return [
        Suggestion(by_id[p.need_id], float(p.score), list(p.reasons_for_volunteer))
        for p in proposals
        if p.feasible and p.need_id in by_id  # by_id: not closed since the last sync
    ]
