"""What needs doing today, for the staff Overview and the daily digest: counts from aggregate
queries (a fixed number of them, however many rows), and the oldest charities waiting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select

from ..extensions import db
from ..models import (
    Charity,
    CharityStatus,
    Match,
    MatchState,
    Need,
    NeedStatus,
    OutboxMessage,
    OutboxStatus,
)
from ..models.base import utcnow

QUIET_NEED_DAYS = 14  # an open role this long with no introduction needs a push
BOUNCE_EVENTS = ("bounce", "dropped", "spamreport")
OLDEST_SHOWN = 5


@dataclass(frozen=True)
class Waiting:
    """A charity waiting for verification, and for how long."""

    id: int
    name: str
    days: int


@dataclass
class TodaysWork:
    charities_to_verify: int = 0
    oldest_charities: list[Waiting] = field(default_factory=list)
    proposals_to_review: int = 0
    quiet_needs: int = 0
    replies_overdue: int = 0
    reminded_waiting: int = 0
    expired_this_week: int = 0
    bounced_emails: int = 0
    failed_emails: int = 0
    outcomes_missing: int = 0

    @property
    def anything(self) -> bool:
        """Whether any item has something to do."""
        return any(
            (
                self.charities_to_verify,
                self.proposals_to_review,
                self.quiet_needs,
                self.replies_overdue,
                self.reminded_waiting,
                self.expired_this_week,
                self.bounced_emails,
                self.failed_emails,
                self.outcomes_missing,
            )
        )


def quiet_needs_filter(now: datetime):
    """Open roles published QUIET_NEED_DAYS or more ago that nobody has been introduced to."""
    introduced = exists().where(Match.need_id == Need.id, Match.introduced_at.is_not(None))
    return (
        (Need.status == NeedStatus.OPEN)
        & (Need.published_at <= now - timedelta(days=QUIET_NEED_DAYS))
        & ~introduced
    )


def outcome_missing_filter():
    """Introduced matches whose sides were asked for the outcome and have not said."""
    return (Match.state == MatchState.INTRODUCED) & Match.outcome_asked_at.is_not(None)


def todays_work(now: datetime | None = None) -> TodaysWork:
    """Every count on the Overview: four queries, whatever the size of the data."""
    now = now or utcnow()
    waiting = Match.state == MatchState.AWAITING_REPLIES
    m = db.session.execute(
        select(
            func.count().filter(Match.state == MatchState.PROPOSED),
            func.count().filter(waiting & (Match.replies_due_at <= now)),
            func.count().filter(
                waiting & (Match.replies_due_at > now) & Match.reminded_at.is_not(None)
            ),
            func.count().filter(
                (Match.state == MatchState.EXPIRED) & (Match.updated_at >= now - timedelta(days=7))
            ),
            func.count().filter(outcome_missing_filter()),
        ).select_from(Match)
    ).one()
    e = db.session.execute(
        select(
            func.count().filter(OutboxMessage.status == OutboxStatus.FAILED),
            func.count().filter(OutboxMessage.delivery_status.in_(BOUNCE_EVENTS)),
        ).select_from(OutboxMessage)
    ).one()
    quiet = db.session.scalar(select(func.count(Need.id)).where(quiet_needs_filter(now)))
    pending = db.session.execute(
        select(Charity.id, Charity.name, Charity.created_at, func.count().over())
        .where(Charity.status == CharityStatus.PENDING)
        .order_by(Charity.created_at, Charity.id)
        .limit(OLDEST_SHOWN)
    ).all()
    return TodaysWork(
        charities_to_verify=pending[0][3] if pending else 0,
        oldest_charities=[Waiting(i, name, days_since(at, now)) for i, name, at, _ in pending],
        proposals_to_review=m[0],
        replies_overdue=m[1],
        reminded_waiting=m[2],
        expired_this_week=m[3],
        outcomes_missing=m[4],
        failed_emails=e[0],
        bounced_emails=e[1],
        quiet_needs=quiet or 0,
    )


def days_since(moment: datetime | None, now: datetime | None = None) -> int:
    """Whole days from `moment` to now (0 on the day itself)."""
    if moment is None:
        return 0
    return max(0, ((now or utcnow()) - moment).days)
