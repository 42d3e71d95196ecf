"""Fresh listings: a role past its closing date closes itself, and a role open 60 days asks the
charity "still recruiting?" with one-click keep-open / close links.

Both run in the scheduled tick and are safe to repeat: each role is claimed with a conditional
UPDATE before anyone is emailed, so two ticks at once tell the sides once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update

from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..matches.actions import withdraw_open_matches_of
from ..matches.emails import match_email_members
from ..models import Charity, Need, NeedStatus, User
from ..models.base import utcnow
from ..models.ranker_change import ChangeKind
from ..permissions import can_edit_need
from ..ranking.changes import record_change
from .audit import record_audit
from .tokens import TokenProblem, check_token, consume_token, issue_token, revoke_tokens

STILL_RECRUITING_AFTER = timedelta(days=60)
LINK_DAYS = 21
CLOSABLE = (NeedStatus.OPEN, NeedStatus.PAUSED)


class RecruitingAnswer(enum.StrEnum):
    KEEP_OPEN = "keep-open"
    CLOSE = "close"


def _purpose(answer: RecruitingAnswer) -> str:
    return f"role-{answer.value}"


def _members(charity: Charity) -> list[tuple[User, str]]:
    return [(m.user, m.contact_name) for m in match_email_members(charity)]


def close_past_closing_date(today: date | None = None) -> int:
    """Close every open or paused role whose closing date has passed; commits per role.

    Its open matches are withdrawn (volunteers who knew of them are told), and the charity's
    members are told once that the role closed."""
    today = today or date.today()
    due = select(Need.id).where(Need.status.in_(CLOSABLE), Need.closing_date < today)
    closed = 0
    for need_id in db.session.scalars(due).all():
        claimed = db.session.execute(
            update(Need)
            .where(Need.id == need_id, Need.status.in_(CLOSABLE))
            .values(status=NeedStatus.CLOSED, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            db.session.rollback()
            continue
        need = db.session.get(Need, need_id)
        db.session.refresh(need)
        withdraw_open_matches_of(None, need)
        for user, name in _members(need.charity):
            queue_email(
                "role_closed",
                user,
                subject=f"Your role has closed: {need.title}",
                to_name=name,
                name=name,
                need=need,
                dashboard=external_url("charity.need", need_id=need.id),
            )
        record_change(ChangeKind.NEED, need.id)
        record_audit(None, "need_closed_by_date", "need", need.id)
        db.session.commit()
        closed += 1
    return closed


def ask_still_recruiting(now: datetime | None = None) -> int:
    """Ask about each role open 60 days (or 60 days since we last asked); commits per role."""
    now = now or utcnow()
    before = now - STILL_RECRUITING_AFTER
    due = select(Need.id, Need.recruiting_asked_at).where(
        Need.status == NeedStatus.OPEN,
        Need.published_at <= before,
        or_(Need.recruiting_asked_at.is_(None), Need.recruiting_asked_at <= before),
    )
    asked = 0
    for need_id, last_asked in db.session.execute(due).all():
        seen = Need.recruiting_asked_at.is_(None) if last_asked is None else (
            Need.recruiting_asked_at == last_asked
        )
        claimed = db.session.execute(
            update(Need)
            .where(Need.id == need_id, seen)
            .values(recruiting_asked_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            db.session.rollback()
            continue
        need = db.session.get(Need, need_id)
        for user, name in _members(need.charity):
            links = {
                answer.value: external_url(
                    "links.recruiting",
                    need_id=need.id,
                    answer=answer.value,
                    token=issue_token(
                        user, _purpose(answer), timedelta(days=LINK_DAYS), subject_id=need.id
                    ),
                )
                for answer in RecruitingAnswer
            }
            queue_email(
                "role_still_recruiting",
                user,
                subject=f"Are you still recruiting? {need.title}",
                to_name=name,
                name=name,
                need=need,
                links=links,
                dashboard=external_url("charity.need", need_id=need.id),
            )
        db.session.commit()
        asked += 1
    return asked


class RecruitingLink(enum.StrEnum):
    READY = "ready"
    DONE = "done"
    ENDED = "ended"  # the role is no longer open
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class RecruitingView:
    status: RecruitingLink
    answer: RecruitingAnswer | None = None
    need: Need | None = None
    by: User | None = None  # the member the link was sent to


_PROBLEMS = {TokenProblem.EXPIRED: RecruitingLink.EXPIRED, TokenProblem.USED: RecruitingLink.USED}


def _look(need_id: int, answer: str, token: str, use: bool) -> RecruitingView:
    try:
        wanted = RecruitingAnswer(answer)
    except ValueError:
        return RecruitingView(RecruitingLink.INVALID)
    check = (consume_token if use else check_token)(token, _purpose(wanted))
    if check.problem is not None:
        return RecruitingView(_PROBLEMS.get(check.problem, RecruitingLink.INVALID), wanted)
    assert check.token is not None
    need = db.session.get(Need, need_id)
    member = need is not None and can_edit_need(check.token.user, need)
    if need is None or check.token.subject_id != need.id or not member:
        db.session.rollback()
        return RecruitingView(RecruitingLink.INVALID, wanted)
    if need.status != NeedStatus.OPEN:
        db.session.rollback()
        return RecruitingView(RecruitingLink.ENDED, wanted, need)
    return RecruitingView(RecruitingLink.READY, wanted, need, check.token.user)


def inspect_recruiting_link(need_id: int, answer: str, token: str) -> RecruitingView:
    """What a GET of the link may do: look, change nothing."""
    return _look(need_id, answer, token, use=False)


def use_recruiting_link(need_id: int, answer: str, token: str) -> RecruitingView:
    """The confirmation button: keep the role open, or close it (withdrawing its matches)."""
    view = _look(need_id, answer, token, use=True)
    if view.status != RecruitingLink.READY:
        return view
    assert view.need is not None and view.answer is not None
    need, actor = view.need, view.by
    other = next(a for a in RecruitingAnswer if a != view.answer)
    for user, _ in _members(need.charity):
        revoke_tokens(user, _purpose(other), subject_id=need.id)
        revoke_tokens(user, _purpose(view.answer), subject_id=need.id)
    if view.answer == RecruitingAnswer.CLOSE:
        withdraw_open_matches_of(actor, need)
        need.status = NeedStatus.CLOSED
        record_change(ChangeKind.NEED, need.id)
    record_audit(actor, f"need_recruiting_{view.answer.value}", "need", need.id)
    db.session.commit()
    return RecruitingView(RecruitingLink.DONE, view.answer, need)

