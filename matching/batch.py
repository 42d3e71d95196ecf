"""Fair exposure: propose for many needs at once with a cap per volunteer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from matching import ranker
from matching.records import Proposal


@dataclass(frozen=True)
class BatchResult:
    """Capped proposals per need, and what the cap cost against the uncapped ranking.

    Attributes
    ----------
    proposals : dict of need id to list of Proposal
    total_score : float
        Sum of the scores of the capped proposals.
    uncapped_total_score : float
        Sum of each need's own top-k scores with no cap.
    cost : float
        ``uncapped_total_score - total_score`` (never negative).
    cost_fraction : float
        ``cost / uncapped_total_score`` (0 when nothing was proposed).
    max_per_volunteer : int
        The most needs any one volunteer was proposed for.
    """

    proposals: dict[str, list[Proposal]] = field(default_factory=dict)
    total_score: float = 0.0
    uncapped_total_score: float = 0.0
    cost: float = 0.0
    cost_fraction: float = 0.0
    max_per_volunteer: int = 0


def propose_batch(
    index,
    need_ids: Iterable[str] | None = None,
    k: int = 10,
    cap_per_volunteer: int = 3,
    exclude: dict[str, Iterable[str]] | None = None,
    depth: int | None = None,
) -> BatchResult:
    """Greedy assignment by descending score with capacities on both sides.

    Each need gets at most ``k`` volunteers and each volunteer at most ``cap_per_volunteer``
    needs. Candidates are each need's best ``depth`` volunteers (default ``k + 4 * cap``
    and at least 50), so a need whose favourites are taken falls back to its next best.

    Parameters
    ----------
    index : MatchIndex
    need_ids : iterable of str, optional
        The open needs; all live needs when None.
    k : int, default=10
    cap_per_volunteer : int, default=3
    exclude : dict of need id to volunteer ids, optional
        Per-need hard filters, as for ``top_volunteers``.
    depth : int, optional

    Returns
    -------
    BatchResult
    """
    if cap_per_volunteer < 1:
        raise ValueError("cap_per_volunteer must be at least 1")
    snap = index._check_fitted()
    need_ids = list(snap.needs.pos) if need_ids is None else list(need_ids)
    depth = depth or max(50, k + 4 * cap_per_volunteer)
    exclude = exclude or {}
    candidates = []  # (score, need_index, row)
    scored_by_need = {}
    uncapped = 0.0
    for j, need_id in enumerate(need_ids):
        need = index._need(snap, need_id)
        scored = index._score_need(snap, need, set(exclude.get(need_id, ())))
        rows = ranker.top_rows(scored, depth)
        scored_by_need[need_id] = (need, scored)
        uncapped += float(scored.score[rows[:k]].sum())
        candidates.extend((float(scored.score[r]), j, int(r)) for r in rows)
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    load: Counter[int] = Counter()
    chosen: dict[str, list[int]] = {n: [] for n in need_ids}
    for _score, j, row in candidates:
        need_id = need_ids[j]
        if len(chosen[need_id]) < k and load[row] < cap_per_volunteer:
            chosen[need_id].append(row)
            load[row] += 1
    proposals, total = {}, 0.0
    vols = snap.volunteers
    for need_id, rows in chosen.items():
        need, scored = scored_by_need[need_id]
        proposals[need_id] = [
            index._proposal(snap, need, vols.records[vols.ids[r]], scored, r) for r in rows
        ]
        total += float(np.sum([scored.score[r] for r in rows]))
    cost = max(0.0, uncapped - total)
    return BatchResult(
        proposals=proposals,
        total_score=total,
        uncapped_total_score=uncapped,
        cost=cost,
        cost_fraction=cost / uncapped if uncapped > 0 else 0.0,
        max_per_volunteer=max(load.values(), default=0),
    )
