"""The life of a match: propose, approve, reject, reply, introduce, withdraw, record the outcome.

These functions are the only code that changes a match's state. Each one writes the move, its
history line and the emails it causes in one transaction, and commits.
"""

from __future__ import annotations

import enum
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    LIVE_STATES,
    OPEN_STATES,
    Match,
    MatchState,
    Need,
    NeedStatus,
    OneTimeToken,
    RejectReason,
    Reply,
    Role,
    User,
)
from ..models.base import utcnow
from ..permissions import is_member_of
from ..services.audit import record_audit
from ..services.errors import InvalidTransition, NotAllowed, ServiceError
from . import emails
from .emails import CHARITY, VOLUNTEER
from .links import OUTCOME_ACTIONS, REPLY_ACTIONS, LinkAction, purpose_for
from .state import move, record_start, state_label

S = MatchState


def side_of(user: User, match: Match) -> str | None:
    """Which side of the match this user is on, if any."""
    if user.id == match.volunteer_id:
        return VOLUNTEER
    if is_member_of(user, match.need.charity):
        return CHARITY
    return None


def propose_match(
    actor: User,
    need: Need,
    volunteer: User,
    *,
    source: str = "staff",
    score: float | None = None,
    reasons: list[str] | None = None,
    volunteer_reasons: list[str] | None = None,
    breakdown: dict | None = None,
) -> Match:
    """Put a volunteer forward for a need (staff, the ranker, or the volunteer's own interest)."""
    if source == "interest" and actor.id != volunteer.id:
        raise NotAllowed("Only volunteers can say they are interested in a role.")
    if source != "interest" and not actor.is_staff:
        raise NotAllowed("Only staff can propose matches.")
    if need.status != NeedStatus.OPEN:
        raise InvalidTransition("This role is not open, so no one can be proposed for it.")
    if volunteer.role != Role.VOLUNTEER or volunteer.volunteer_profile is None:
        raise ServiceError("Only volunteers can be proposed for a role.")
    if not volunteer.active or not volunteer.volunteer_profile.available:
        raise ServiceError("This volunteer is not available for matches at the moment.")
    paused = volunteer.volunteer_profile.paused_until
    if source != "interest" and paused is not None and paused > date.today():
        raise ServiceError(
            f"This volunteer has paused matching until {paused.day} {paused:%B %Y}."
        )
    if db.session.scalar(
        select(Match.id).where(Match.need_id == need.id, Match.volunteer_id == volunteer.id)
    ):
        raise ServiceError("This volunteer has already been put forward for this role.")
    match = Match(
        need=need,
        volunteer=volunteer,
        state=S.PROPOSED,
        source=source,
        score=score,
        reasons=reasons or [],
        volunteer_reasons=volunteer_reasons or [],
        breakdown=breakdown or {},
    )
    db.session.add(match)
    record_start(match, actor)
    if actor.is_staff:
        db.session.flush()
        record_audit(actor, "match_proposed", "match", match.id)
    db.session.commit()
    return match


def live_match_count(volunteer_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Match)
        .where(Match.volunteer_id == volunteer_id, Match.state.in_(LIVE_STATES))
    )


def approve_match(actor: User, match: Match) -> None:
    """Staff approve: both sides are emailed accept / decline links, replies due in N days."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can approve matches.")
    # Lock the volunteer's row so two approvals at once can't both squeeze under the cap.
    db.session.execute(select(User.id).where(User.id == match.volunteer_id).with_for_update())
    cap = current_app.config["MAX_LIVE_MATCHES"]
    if match.state == S.PROPOSED and live_match_count(match.volunteer_id) >= cap:
        db.session.rollback()
        raise ServiceError(
            f"This volunteer already has {cap} introductions in progress, the most we allow "
            "at once. Approve this one when one of those finishes."
        )
    if match.need.status != NeedStatus.OPEN:
        db.session.rollback()
        raise InvalidTransition("The role is no longer open.")
    move(match, S.APPROVED, actor)
    due = utcnow() + timedelta(days=current_app.config["MATCH_REPLY_DAYS"])
    move(match, S.AWAITING_REPLIES, actor, replies_due_at=due)
    emails.send_proposal(match)
    record_audit(actor, "match_approved", "match", match.id)
    db.session.commit()


def reject_match(actor: User, match: Match, reason: RejectReason, note: str = "") -> None:
    """Staff turn a proposal down; the reason is kept as a label for the ranker."""
    if not actor.is_staff:
        raise NotAllowed("Only staff can reject matches.")
    move(match, S.REJECTED, actor, note=note.strip() or None, reject_reason=reason)
    record_audit(actor, "match_rejected", "match", match.id, reason=reason.value)
    db.session.commit()


def withdraw_match(actor: User, match: Match, note: str = "") -> None:
    """Staff, or either side, withdraw an open match. Whoever already knew of it is told."""
    side = side_of(actor, match)
    if not actor.is_staff and side is None:
        raise NotAllowed("Only staff or the people in this match can withdraw it.")
    if not match.can_be_withdrawn:
        raise InvalidTransition(f"This match is already {state_label(match.state)}.")
    _withdraw(actor, match, side, note)
    db.session.commit()


def withdraw_open_matches_of_volunteer(actor: User, volunteer: User, note: str) -> int:
    """A volunteer leaving withdraws their open matches; the charities are told (the caller
    commits). Returns how many."""
    matches = db.session.scalars(
        select(Match)
        .where(Match.volunteer_id == volunteer.id, Match.state.in_(OPEN_STATES))
        .order_by(Match.id)
    ).all()
    for match in matches:
        _withdraw(actor, match, VOLUNTEER, note)  # the leaving volunteer is not emailed
    return len(matches)


def _withdraw(actor: User, match: Match, side: str | None, note: str) -> None:
    """Withdraw one match and tell whoever already knew of it, except the side acting."""
    told_sides = {VOLUNTEER, CHARITY} - {side} if match.state != S.PROPOSED else set()
    move(match, S.WITHDRAWN, actor, note=note.strip() or None)
    _retire_links(match)
    emails.send_withdrawn(match, told_sides)
    if actor.is_staff:
        record_audit(actor, "match_withdrawn", "match", match.id)


def withdraw_open_matches_of(actor: User | None, need: Need) -> None:
    """A need closing withdraws its open matches (the caller commits). No actor: the clock
    closed it (its closing date passed)."""
    for match in db.session.scalars(
        select(Match).where(Match.need_id == need.id, Match.state.in_(OPEN_STATES))
    ):
        told = set() if match.state == S.PROPOSED else {VOLUNTEER}
        move(match, S.WITHDRAWN, actor, note="The role was closed.")
        _retire_links(match)
        emails.send_withdrawn(match, told)


class ReplyOutcome(enum.StrEnum):
    RECORDED = "recorded"  # the reply is in; waiting for the other side
    INTRODUCED = "introduced"  # this reply completed the pair
    DECLINED = "declined"
    ALREADY = "already"  # the same answer was given before: nothing changed


def record_reply(actor: User, match: Match, reply: Reply) -> ReplyOutcome:
    """One side accepts or declines. Both accepting makes the introduction."""
    side = side_of(actor, match)
    if side is None:
        raise NotAllowed("Only the people in this match can answer for it.")
    reply_col = Match.volunteer_reply if side == VOLUNTEER else Match.charity_reply
    current = match.reply_of(side)
    if current == reply:
        return ReplyOutcome.ALREADY
    if current is not None:
        raise InvalidTransition(f"You have already {current.value} this introduction.")
    if not match.awaiting_replies:
        raise InvalidTransition(
            f"This match is {state_label(match.state)}, so it can't be answered."
        )

    values = {reply_col.key: reply}
    values[f"{side}_replied_at"] = utcnow()
    if side == CHARITY:
        values["charity_replied_by_id"] = actor.id
    if reply == Reply.DECLINED:
        move(
            match,
            S.DECLINED,
            actor,
            note=f"Declined by the {side}",
            where=(reply_col.is_(None),),
            **values,
        )
        _retire_links(match)
        emails.send_declined(match, declined_by=side)
        db.session.commit()
        return ReplyOutcome.DECLINED

    result = db.session.execute(
        Match.__table__.update()
        .where(Match.id == match.id, Match.state == S.AWAITING_REPLIES, reply_col.is_(None))
        .values(**values, updated_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(match)
        if match.reply_of(side) == reply:
            return ReplyOutcome.ALREADY
        raise InvalidTransition(f"This match is now {state_label(match.state)}.")
    _retire_links(match, users=[actor] if side == VOLUNTEER else _member_users(match))
    db.session.refresh(match)
    if match.volunteer_reply == Reply.ACCEPTED and match.charity_reply == Reply.ACCEPTED:
        # Conditional on both replies in the database, so exactly one of two simultaneous
        # accepts makes the introduction.
        move(
            match,
            S.INTRODUCED,
            None,
            note="Both sides accepted",
            where=(
                Match.volunteer_reply == Reply.ACCEPTED,
                Match.charity_reply == Reply.ACCEPTED,
            ),
            introduced_at=utcnow(),
        )
        emails.send_introduction(match)
        db.session.commit()
        return ReplyOutcome.INTRODUCED
    db.session.commit()
    return ReplyOutcome.RECORDED


def record_outcome(actor: User, match: Match, outcome: LinkAction) -> ReplyOutcome:
    """Either side (or staff) reports how it went: appointed, not going ahead, still talking."""
    if side_of(actor, match) is None and not actor.is_staff:
        raise NotAllowed("Only the people in this match can report how it went.")
    target = {LinkAction.APPOINTED: S.APPOINTED, LinkAction.NOT_PROCEEDING: S.NOT_PROCEEDING}
    if outcome == LinkAction.STILL_TALKING:
        if not match.can_report_outcome:
            raise InvalidTransition(
                f"This match is {state_label(match.state)}, so there is no outcome to report."
            )
        record_audit(actor, "match_still_talking", "match", match.id)
        db.session.commit()
        return ReplyOutcome.RECORDED
    if match.state == target[outcome]:
        return ReplyOutcome.ALREADY
    move(match, target[outcome], actor, note=f"Reported by {actor.role.value}")
    record_audit(actor, f"match_{target[outcome].value}", "match", match.id)
    if outcome == LinkAction.APPOINTED and match.need.status == NeedStatus.OPEN:
        # The role is filled; the charity can reopen it if they want more than one trustee.
        match.need.status = NeedStatus.FILLED
    db.session.commit()
    return ReplyOutcome.RECORDED


def _member_users(match: Match) -> list[User]:
    return [m.user for m in match.need.charity.members]


def _retire_links(match: Match, users: list[User] | None = None) -> None:
    """Used-up or moot links stop working: the answer is in, or the match has ended."""
    purposes = [purpose_for(a) for a in (*REPLY_ACTIONS, *OUTCOME_ACTIONS)]
    if users is not None:
        purposes = [purpose_for(a) for a in REPLY_ACTIONS]
    query = (
        OneTimeToken.__table__.update()
        .where(
            OneTimeToken.subject_id == match.id,
            OneTimeToken.purpose.in_(purposes),
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    if users is not None:
        query = query.where(OneTimeToken.user_id.in_([u.id for u in users]))
    db.session.execute(query)
