"""What a proposed version would change, for staff to see before they approve it.

The top five of a few open roles are ranked twice from this process's live index: as it is,
and through a shallow copy given the proposed weights (`MatchIndex.set_weights` swaps the
copy's snapshot only; the live index, its tables and its weights are untouched).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from matching.index import MatchIndex
from matching.signals import DEFAULT_WEIGHTS, SIGNALS

from ..extensions import db
from ..models import Match, Need, RankerWeights, VolunteerProfile
from .learning import current_weights
from .live_index import live_index
from .safeguards import SIGNAL_NAMES, floor_of, share

PREVIEW_NEEDS = 3
TOP = 5


@dataclass(frozen=True)
class WeightRow:
    name: str
    live: float  # share of the total weight
    proposed: float
    floor: float | None


@dataclass(frozen=True)
class NeedPreview:
    title: str
    charity: str
    now: list[str]  # display names, best first
    proposed: list[str]
    joining: list[str]
    leaving: list[str]

    @property
    def summary(self) -> str:
        if self.joining:
            return (
                f"New in the top five: {', '.join(self.joining)}. "
                f"Leaving it: {', '.join(self.leaving) or 'no one'}."
            )
        return "The same five, in a different order." if self.now != self.proposed else (
            "No change."
        )


@dataclass(frozen=True)
class Preview:
    weights: list[WeightRow]
    needs: list[NeedPreview]


def weight_rows(proposed: dict[str, float]) -> list[WeightRow]:
    """Each signal's share under the live weights and under the proposed ones."""
    live = current_weights()
    in_use = live.weights if live else DEFAULT_WEIGHTS
    return [
        WeightRow(SIGNAL_NAMES[s], share(in_use, s), share(proposed, s), floor_of(s))
        for s in SIGNALS
    ]


def busiest_needs(index: MatchIndex, n: int = PREVIEW_NEEDS) -> list[int]:
    """The open roles in the index with the most proposals and decisions so far (the ones staff
    know best), then the oldest others."""
    in_index = [int(i) for i in index.need_ids()]
    counted = db.session.execute(
        select(Match.need_id)
        .where(Match.need_id.in_(in_index))
        .group_by(Match.need_id)
        .order_by(func.count().desc(), Match.need_id)
        .limit(n)
    ).scalars().all()
    rest = [i for i in sorted(in_index) if i not in counted]
    return (list(counted) + rest)[:n]


def preview_version(version: RankerWeights) -> Preview:
    """The weights side by side and how the top five of the busiest open roles would change."""
    index = live_index().get()
    trial = copy.copy(index)
    trial.set_weights(version.weights)
    need_ids = busiest_needs(index)
    tops = {
        need_id: (
            [p.volunteer_id for p in index.top_volunteers(str(need_id), k=TOP)],
            [p.volunteer_id for p in trial.top_volunteers(str(need_id), k=TOP)],
        )
        for need_id in need_ids
    }
    volunteer_ids = {int(v) for now, then in tops.values() for v in now + then}
    names = dict(
        db.session.execute(
            select(VolunteerProfile.user_id, VolunteerProfile.display_name).where(
                VolunteerProfile.user_id.in_(volunteer_ids)
            )
        ).all()
    )
    needs = {
        n.id: n
        for n in db.session.scalars(
            select(Need).where(Need.id.in_(need_ids)).options(selectinload(Need.charity))
        )
    }

    def named(ids: list[str]) -> list[str]:
        return [names.get(int(i), "A volunteer no longer listed") for i in ids]

    return Preview(
        weight_rows(version.weights),
        [
            NeedPreview(
                title=needs[need_id].title,
                charity=needs[need_id].charity.name,
                now=named(now),
                proposed=named(then),
                joining=named([v for v in then if v not in now]),
                leaving=named([v for v in now if v not in then]),
            )
            for need_id, (now, then) in tops.items()
            if need_id in needs
        ],
    )
