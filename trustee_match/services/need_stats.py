"""The figures on a charity's dashboard: per role, how many candidates reached it and where
they stand, how long it has been open; and how quickly the charity itself replies."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Charity, Match, MatchState, MatchTransition, Need
from ..permissions import HIDDEN_FROM_SIDES

S = MatchState
INTRODUCED_STATES = (S.INTRODUCED, S.APPOINTED, S.NOT_PROCEEDING)


@dataclass(frozen=True)
class NeedRow:
    need: Need
    proposed: int  # candidates our team put to the charity
    awaiting: int  # of those, waiting for replies now
    introduced: int  # introduced (and after: appointed, or not going ahead)
    days_open: int | None  # None: never published

    @property
    def days_open_text(self) -> str:
        if self.days_open is None:
            return "Not published yet"
        return "Published today" if self.days_open == 0 else f"{self.days_open} days"


@dataclass(frozen=True)
class ReplyRecord:
    asked: int  # suggestions the charity was asked to answer (and could still, or did)
    replied: int
    median_days: float | None

    @property
    def summary(self) -> str:
        if not self.asked:
            return "You haven't been asked about a candidate yet."
        text = f"You have replied to {self.replied} of the {self.asked} candidates we suggested"
        if self.median_days is None:
            return text + "."
        if self.median_days < 1:
            return text + ", usually within a day."
        days = round(self.median_days)
        return text + f", usually within {days} day{'s' if days != 1 else ''}."


def need_rows(
    charity: Charity, needs: list[Need] | None = None, today: date | None = None
) -> list[NeedRow]:
    """One row per role (of `needs`, one page of them, when given), newest first, counted in
    one query."""
    today = today or date.today()
    needs = list(charity.needs) if needs is None else needs
    counts = {
        need_id: (proposed, awaiting, introduced)
        for need_id, proposed, awaiting, introduced in db.session.execute(
            select(
                Match.need_id,
                func.count(),
                func.sum(case((Match.state == S.AWAITING_REPLIES, 1), else_=0)),
                func.sum(case((Match.state.in_(INTRODUCED_STATES), 1), else_=0)),
            )
            .join(Need, Need.id == Match.need_id)
            .where(
                Need.charity_id == charity.id,
                Match.need_id.in_([n.id for n in needs]),
                Match.state.notin_(HIDDEN_FROM_SIDES),
            )
            .group_by(Match.need_id)
        ).tuples()
    }
    rows = []
    for need in sorted(needs, key=lambda n: n.created_at, reverse=True):
        proposed, awaiting, introduced = counts.get(need.id, (0, 0, 0))
        opened = need.published_at.date() if need.published_at else None
        rows.append(
            NeedRow(
                need=need,
                proposed=proposed,
                awaiting=int(awaiting or 0),
                introduced=int(introduced or 0),
                days_open=(today - opened).days if opened else None,
            )
        )
    return rows


def reply_record(charity: Charity) -> ReplyRecord:
    """How often, and how fast, the charity answers the candidates put to it."""
    asked_at = (
        select(MatchTransition.match_id, func.min(MatchTransition.created_at).label("at"))
        .where(MatchTransition.to_state == S.AWAITING_REPLIES)
        .group_by(MatchTransition.match_id)
        .subquery()
    )
    rows = db.session.execute(
        select(asked_at.c.at, Match.charity_replied_at)
        .join(Match, Match.id == asked_at.c.match_id)
        .join(Need, Need.id == Match.need_id)
        .where(Need.charity_id == charity.id)
    ).all()
    waits = [
        (replied - asked) / timedelta(days=1) for asked, replied in rows if replied is not None
    ]
    return ReplyRecord(
        asked=len(rows),
        replied=len(waits),
        median_days=statistics.median(waits) if waits else None,
    )
