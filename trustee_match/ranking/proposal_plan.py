"""What a refresh of the ranker's proposals should hold: who is left out of each need, how many
more proposals each volunteer may get, and the capped choice itself (see proposals.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from matching.index import MatchIndex
from matching.records import Proposal

from ..extensions import db
from ..models import LIVE_STATES, Match, MatchState

S = MatchState


@dataclass(frozen=True)
class Held:
    """An unreviewed ranker proposal as stored."""

    match_id: int
    scored: dict


def matches_of(scope: list[int]) -> tuple[dict[int, dict[int, Held]], dict[int, set[int]]]:
    """For each need: its unreviewed ranker proposals (by volunteer id), and the volunteers it
    has any other history with (never proposed again)."""
    held: dict[int, dict[int, Held]] = defaultdict(dict)
    history: dict[int, set[int]] = defaultdict(set)
    rows = db.session.execute(
        select(
            Match.id,
            Match.need_id,
            Match.volunteer_id,
            Match.state,
            Match.source,
            Match.score,
            Match.reasons,
            Match.volunteer_reasons,
            Match.breakdown,
        ).where(Match.need_id.in_(scope))
    )
    for row in rows:
        if row.state == S.PROPOSED and row.source == "ranker":
            scored = {
                "score": row.score,
                "reasons": row.reasons,
                "volunteer_reasons": row.volunteer_reasons,
                "breakdown": row.breakdown,
            }
            held[row.need_id][row.volunteer_id] = Held(row.id, scored)
        else:
            history[row.need_id].add(row.volunteer_id)
    return held, history


def at_live_cap() -> set[int]:
    """Volunteers with as many introductions in progress as MAX_LIVE_MATCHES allows."""
    cap = current_app.config["MAX_LIVE_MATCHES"]
    rows = db.session.execute(
        select(Match.volunteer_id, func.count())
        .where(Match.state.in_(LIVE_STATES))
        .group_by(Match.volunteer_id)
    )
    return {volunteer_id for volunteer_id, live in rows if live >= cap}


def room(cap: int, held: dict[int, dict[int, Held]]) -> dict[int, int]:
    """How many proposals each volunteer may get from this run: the cap, less the unreviewed
    proposals this run leaves alone (by hand, "I'm interested", the ranker's for other needs).
    Volunteers not listed have the whole cap."""
    refreshed = Counter(v for by_volunteer in held.values() for v in by_volunteer)
    waiting = db.session.execute(
        select(Match.volunteer_id, func.count())
        .where(Match.state == S.PROPOSED)
        .group_by(Match.volunteer_id)
    )
    return {v: cap - (n - refreshed[v]) for v, n in waiting}


def choose(
    index: MatchIndex,
    scope: list[int],
    k: int,
    cap: int,
    exclude: dict[int, set[str]],
    room: dict[int, int],
) -> tuple[dict[int, list[Proposal]], float]:
    """Each need's proposals, best first, nobody given more than their room.

    The library's batch caps everyone at `cap`; a volunteer with less room keeps their
    best-scored needs, and the needs that lose a candidate to that ask once more among the
    volunteers with room left (one need each, so nobody can pass their room).
    """
    full = {str(v) for v, left in room.items() if left <= 0}
    batch = index.propose_batch(
        [str(n) for n in scope],
        k=k,
        cap_per_volunteer=cap,
        exclude={str(n): exclude[n] | full for n in scope},
    )
    chosen: dict[int, list[Proposal]] = {n: [] for n in scope}
    used: Counter[int] = Counter()

    def take(proposals: Iterable[Proposal]) -> None:
        for proposal in sorted(proposals, key=lambda p: -p.score):
            volunteer_id = int(proposal.volunteer_id)
            if used[volunteer_id] < room.get(volunteer_id, cap):
                chosen[int(proposal.need_id)].append(proposal)
                used[volunteer_id] += 1

    take(p for proposals in batch.proposals.values() for p in proposals)
    short = {
        n: k - len(chosen[n])
        for n in scope
        if len(chosen[n]) < len(batch.proposals.get(str(n), ()))
    }
    if short:
        full |= {str(v) for v, n in used.items() if n >= room.get(v, cap)}
        refill = index.propose_batch(
            [str(n) for n in short],
            k=max(short.values()),
            cap_per_volunteer=1,
            exclude={
                str(n): exclude[n] | full | {p.volunteer_id for p in chosen[n]} for n in short
            },
        )
        take(p for n, proposals in refill.proposals.items() for p in proposals[: short[int(n)]])
    for proposals in chosen.values():
        proposals.sort(key=lambda p: -p.score)
    return chosen, batch.cost_fraction
