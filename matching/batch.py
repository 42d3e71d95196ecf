"""Fair exposure: propose for many needs at once with a cap per volunteer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
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
    need_ids = snap.needs.live_ids() if need_ids is None else list(need_ids)
    depth = depth or max(50, k + 4 * cap_per_volunteer)
    exclude = exclude or {}
    def candidates(need_id: str):
        need = index._need(snap, need_id)
        scored = index._score_need(snap, need, set(exclude.get(need_id, ())))
        rows = ranker.top_rows(scored, depth)
        # keep only the candidates' values (row -> position), not 100,000-long arrays per need
        at = {int(r): i for i, r in enumerate(rows)}
        return need, ranker.subset(scored, rows), at, rows, float(scored.score[rows[:k]].sum())

    scores, needs_of, rows_of = [], [], []
    scored_by_need = {}
    uncapped = 0.0
    # two needs in flight: one's Python work overlaps the other's sparse products
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="matching-batch") as pool:
        for j, (need, sub, at, rows, top_k) in enumerate(pool.map(candidates, need_ids)):
            scored_by_need[need_ids[j]] = (need, sub, at)
            uncapped += top_k
            scores.append(sub.score)
            rows_of.append(rows)
            needs_of.append(np.full(len(rows), j, dtype=np.int64))
    chosen: dict[str, list[int]] = {n: [] for n in need_ids}
    load: Counter[int] = Counter()
    if scores:
        score, need_j, row = (np.concatenate(x) for x in (scores, needs_of, rows_of))
        order = np.lexsort((row, need_j, -score))
        taken = [0] * len(need_ids)
        for j, r in zip(need_j[order].tolist(), row[order].tolist(), strict=True):
            if taken[j] < k and load[r] < cap_per_volunteer:
                chosen[need_ids[j]].append(r)
                taken[j] += 1
                load[r] += 1
    proposals, total = {}, 0.0
    vols = snap.volunteers
    for need_id, rows in chosen.items():
        need, scored, at = scored_by_need[need_id]
        proposals[need_id] = [
            index._proposal(snap, need, vols.record_at(r), scored, at[r], has=vols.store.slugs[r])
            for r in rows
        ]
        total += float(np.sum([scored.score[at[r]] for r in rows]))
    cost = max(0.0, uncapped - total)
    return BatchResult(
        proposals=proposals,
        total_score=total,
        uncapped_total_score=uncapped,
        cost=cost,
        cost_fraction=cost / uncapped if uncapped > 0 else 0.0,
        max_per_volunteer=max(load.values(), default=0),
    )
