"""Answering a match from an emailed link: look first (GET), act only on the POST."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ..extensions import db
from ..models import Match, MatchState, Reply, User
from ..services.errors import ServiceError
from ..services.tokens import TokenProblem, check_token, consume_token
from .actions import ReplyOutcome, record_outcome, record_reply, side_of
from .links import REPLY_ACTIONS, LinkAction, purpose_for

_REPLY_FOR = {LinkAction.ACCEPT: Reply.ACCEPTED, LinkAction.DECLINE: Reply.DECLINED}
_STATE_FOR = {
    LinkAction.APPOINTED: MatchState.APPOINTED,
    LinkAction.NOT_PROCEEDING: MatchState.NOT_PROCEEDING,
}


class LinkStatus(enum.StrEnum):
    READY = "ready"  # a valid link: show the confirmation button
    DONE = "done"  # the POST did what the link says
    ALREADY = "already"  # this answer was given before; nothing changed
    INVALID = "invalid"  # tampered, unknown, for another match or person
    EXPIRED = "expired"
    USED = "used"
    CLOSED = "closed"  # the match has moved on (withdrawn, expired, declined, ...)


@dataclass(frozen=True)
class LinkView:
    status: LinkStatus
    action: LinkAction | None = None
    match: Match | None = None
    user: User | None = None
    side: str | None = None
    outcome: ReplyOutcome | None = None


def _already(match: Match, side: str, action: LinkAction) -> bool:
    if action in _REPLY_FOR:
        return match.reply_of(side) == _REPLY_FOR[action]
    return action in _STATE_FOR and match.state == _STATE_FOR[action]


def _open_for(match: Match, action: LinkAction) -> bool:
    if action in REPLY_ACTIONS:
        return match.awaiting_replies
    return match.can_report_outcome


def inspect_link(match_id: int, action_name: str, signed: str) -> LinkView:
    """What a link would do, without doing it."""
    try:
        action = LinkAction(action_name)
    except ValueError:
        return LinkView(LinkStatus.INVALID)
    check = check_token(signed, purpose_for(action))
    token = check.token
    if token is None or token.subject_id != match_id:
        return LinkView(LinkStatus.INVALID, action)
    match = db.session.get(Match, match_id)
    user = token.user
    side = side_of(user, match) if match is not None else None
    if match is None or side is None:
        return LinkView(LinkStatus.INVALID, action)
    view = dict(action=action, match=match, user=user, side=side)
    if _already(match, side, action):
        return LinkView(LinkStatus.ALREADY, **view)
    if not _open_for(match, action):
        return LinkView(LinkStatus.CLOSED, **view)
    if check.problem == TokenProblem.USED:
        return LinkView(LinkStatus.USED, **view)
    if check.problem == TokenProblem.EXPIRED:
        return LinkView(LinkStatus.EXPIRED, **view)
    return LinkView(LinkStatus.READY, **view)


def use_link(match_id: int, action_name: str, signed: str) -> LinkView:
    """Do what a valid link says, once. Anything else changes nothing."""
    view = inspect_link(match_id, action_name, signed)
    if view.status != LinkStatus.READY:
        return view
    assert view.action is not None and view.match is not None and view.user is not None
    if not consume_token(signed, purpose_for(view.action)).ok:
        db.session.rollback()
        return inspect_link(match_id, action_name, signed)
    try:
        if view.action in _REPLY_FOR:
            outcome = record_reply(view.user, view.match, _REPLY_FOR[view.action])
        else:
            outcome = record_outcome(view.user, view.match, view.action)
    except ServiceError:
        db.session.rollback()
        return inspect_link(match_id, action_name, signed)
    if outcome == ReplyOutcome.ALREADY:
        db.session.commit()  # keep the link used
        return LinkView(LinkStatus.ALREADY, view.action, view.match, view.user, view.side)
    return LinkView(LinkStatus.DONE, view.action, view.match, view.user, view.side, outcome)
