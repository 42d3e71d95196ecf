"""The match state machine: making a move safely, and the states in words.

Which moves are legal is the model's own table (`MOVES` in models/match.py), so pages can ask a
match what it can do. `move()` is the only code that changes a match's state.

Every move is a conditional UPDATE on the state the caller saw, so two people acting at once
cannot both win: the loser gets a clear error and nothing of theirs is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, update

from ..extensions import db
from ..models import Match, MatchState, MatchTransition, User
from ..models.base import utcnow
from ..services.errors import InvalidTransition

S = MatchState

STATE_LABELS = {
    S.PROPOSED: "proposed",
    S.REJECTED: "rejected by our team",
    S.APPROVED: "approved",
    S.AWAITING_REPLIES: "waiting for replies",
    S.INTRODUCED: "introduced",
    S.APPOINTED: "appointed",
    S.NOT_PROCEEDING: "not going ahead",
    S.DECLINED: "declined",
    S.EXPIRED: "expired",
    S.WITHDRAWN: "withdrawn",
}


# What else to tell someone whose emailed link came after the match ended this way.
CLOSED_NOTES = {
    S.WITHDRAWN: "It was withdrawn, so no reply is needed.",
    S.EXPIRED: "The time to reply has passed.",
}


def state_label(state: MatchState) -> str:
    """The state in words a person would use."""
    return STATE_LABELS[state]


def closed_note(state: MatchState) -> str:
    """A sentence on why a match in this state needs no answer now, or ""."""
    return CLOSED_NOTES.get(state, "")


def record_start(match: Match, actor: User | None, note: str | None = None) -> None:
    """The first line of a new match's history."""
    db.session.add(
        MatchTransition(
            match=match,
            from_state=None,
            to_state=match.state,
            actor_id=actor.id if actor else None,
            note=note,
        )
    )


def move(
    match: Match,
    to: MatchState,
    actor: User | None,
    *,
    note: str | None = None,
    where: tuple[ColumnElement[bool], ...] = (),
    **values: Any,
) -> None:
    """Move `match` to `to`, or raise InvalidTransition having written nothing.

    `where` adds conditions that must also hold in the database at the moment of the UPDATE.
    """
    from_state = match.state
    if not match.can_move_to(to):
        db.session.rollback()
        raise InvalidTransition(
            f"This match is {state_label(from_state)}, so it can't be {state_label(to)} now."
        )
    result = db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.state == from_state, *where)
        .values(state=to, updated_at=utcnow(), **values)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(match)
        raise InvalidTransition(
            f"Someone else acted on this match first: it is now {state_label(match.state)}."
        )
    db.session.add(
        MatchTransition(
            match_id=match.id,
            from_state=from_state,
            to_state=to,
            actor_id=actor.id if actor else None,
            note=note,
        )
    )
