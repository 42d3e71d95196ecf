"""Escalation to staff: the daily digest of what is overdue or stalled, a note when a match
expires, and each staff member's choice to stop both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db_locks import wait_for_turn
from ..email import queue_email
from ..email.links import external_url
from ..extensions import db
from ..models import Match, MatchState, Need, OutboxMessage, Role, User
from ..models.base import utcnow
from .audit import record_audit
from .errors import NotAllowed
from .staff_overview import TodaysWork, todays_work

DIGEST = "staff_digest"
EXPIRED_NOTE = "staff_match_expired"
LISTED = 10  # matches named in each part of the digest; the overview has the rest


@dataclass(frozen=True)
class MatchLine:
    """One match named in the digest, in words."""

    volunteer: str
    role: str
    charity: str
    link: str


@dataclass
class Digest:
    work: TodaysWork
    overdue: list[MatchLine]
    reminded: list[MatchLine]  # reminders sent in the last day
    expired: list[MatchLine]  # expired in the last day

    @property
    def worth_sending(self) -> bool:
        return self.work.anything or bool(self.reminded or self.expired)


def digest_recipients() -> list[User]:
    """Active staff who have not opted out."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.STAFF,
                User.active.is_(True),
                User.staff_digest_opt_out.is_(False),
            )
            .order_by(User.id)
        )
    )


def _lines(where, order, limit: int = LISTED) -> list[MatchLine]:
    matches = db.session.scalars(
        select(Match)
        .where(where)
        .options(
            selectinload(Match.need).selectinload(Need.charity),
            selectinload(Match.volunteer).selectinload(User.volunteer_profile),
        )
        .order_by(order)
        .limit(limit)
    ).all()
    return [_line(m) for m in matches]


def _line(match: Match) -> MatchLine:
    profile = match.volunteer.volunteer_profile
    return MatchLine(
        volunteer=profile.display_name if profile else "A volunteer",
        role=match.need.title,
        charity=match.need.charity.name,
        link=external_url("staff.match", match_id=match.id),
    )


def build_digest(now: datetime | None = None) -> Digest:
    """What the digest would say now (the digest page previews it)."""
    now = now or utcnow()
    day_ago = now - timedelta(days=1)
    waiting = Match.state == MatchState.AWAITING_REPLIES
    return Digest(
        work=todays_work(now),
        overdue=_lines(waiting & (Match.replies_due_at <= now), Match.replies_due_at),
        reminded=_lines(waiting & (Match.reminded_at >= day_ago), Match.reminded_at.desc()),
        expired=_lines(
            (Match.state == MatchState.EXPIRED) & (Match.updated_at >= day_ago),
            Match.updated_at.desc(),
        ),
    )


def _start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date(), time.min, tzinfo=UTC)


def digest_sent_today(now: datetime | None = None) -> bool:
    """Whether today's (UTC) digest is already queued."""
    now = now or utcnow()
    return (
        db.session.scalar(
            select(OutboxMessage.id)
            .where(OutboxMessage.kind == DIGEST, OutboxMessage.created_at >= _start_of_day(now))
            .limit(1)
        )
        is not None
    )


def send_daily_digest(now: datetime | None = None) -> int:
    """Queue today's digest to each staff member who takes it, once a day; commits. Returns
    how many were queued: 0 if today's went already, or there is nothing to tell."""
    now = now or utcnow()
    # A tick and `flask staff digest` at the same moment would both find today's unsent.
    wait_for_turn("staff-digest")
    if digest_sent_today(now):
        db.session.commit()  # ends the transaction, and so the wait of anyone behind us
        return 0
    digest = build_digest(now)
    recipients = digest_recipients()
    if not digest.worth_sending or not recipients:
        db.session.commit()
        return 0
    for staff in recipients:
        queue_email(
            DIGEST,
            staff,
            subject=f"Today's work on TrusteeMatch: {now:%d %B %Y}",
            digest=digest,
            work=digest.work,
            overview=external_url("staff.dashboard"),
            settings=external_url("staff.digest"),
        )
    db.session.commit()
    return len(recipients)


def tell_staff_of_expiry(match: Match) -> None:
    """A match lapsed with no reply from both sides: tell the staff who take the digest
    (queued in the caller's transaction, which commits)."""
    line = _line(match)
    for staff in digest_recipients():
        queue_email(
            EXPIRED_NOTE,
            staff,
            subject=f"Lapsed: {line.volunteer} for {line.role}",
            match_id=match.id,
            line=line,
            match=match,
            settings=external_url("staff.digest"),
        )


def set_digest_opt_out(actor: User, opt_out: bool) -> None:
    """A staff member stops (or starts again) the daily digest and the expiry notes."""
    if not actor.is_staff:
        raise NotAllowed("Only staff get the staff digest.")
    actor.staff_digest_opt_out = opt_out
    record_audit(actor, "digest_opted_out" if opt_out else "digest_opted_in", "user", actor.id)
    db.session.commit()
