"""Fair exposure: propose for many needs at once with a cap per volunteer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from matching.index import effective_n_jobs
from matching.records import Proposal
from matching.shortlist import Shortlist


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
    fill_with_infeasible: bool = True,
) -> BatchResult:
    """Greedy assignment by descending score with capacities on both sides.

    Each need gets at most ``k`` volunteers and each volunteer at most ``cap_per_volunteer``
    needs. Candidates are each need's best ``depth`` volunteers (default ``k + 4 * cap``
    and at least 50), so a need whose favourites are taken falls back to its next best.
    Every feasible pair is placed before any infeasible one, so a volunteer who cannot meet a
    hard need is proposed only for a need left with fewer than ``k`` feasible candidates
    (marked ``feasible=False``, with ``why_not``), and never if ``fill_with_infeasible`` is
    False.

    Only public methods of the index are used: each need's :meth:`MatchIndex.shortlist` (on
    ``index.n_jobs`` threads), then the proposals of the pairs kept.

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
    fill_with_infeasible : bool, default=True

    Returns
    -------
    BatchResult
    """
    if cap_per_volunteer < 1:
        raise ValueError("cap_per_volunteer must be at least 1")
    need_ids = index.need_ids() if need_ids is None else list(need_ids)
    depth = depth or max(50, k + 4 * cap_per_volunteer)
    exclude = exclude or {}

    def shortlist(need_id: str) -> Shortlist:
        return index.shortlist(need_id, depth, exclude.get(need_id, ()))

    # several needs in flight: one's Python work overlaps another's sparse products
    with ThreadPoolExecutor(
        max_workers=effective_n_jobs(index.n_jobs), thread_name_prefix="matching-batch"
    ) as pool:
        shortlists = list(pool.map(shortlist, need_ids))
    uncapped = float(sum(s.scores[:k].sum() for s in shortlists))
    chosen: list[list[int]] = [[] for _ in need_ids]
    load: Counter[str] = Counter()
    candidates = [
        (-score, j, i)
        for j, s in enumerate(shortlists)
        for i, (score, ok) in enumerate(zip(s.scores.tolist(), s.feasible.tolist(), strict=True))
        if ok or fill_with_infeasible
    ]
    # best pairs first (so every feasible pair before any infeasible one: see
    # ``feasibility.fold``); ties by need, then by each need's own order
    for _, j, i in sorted(candidates):
        volunteer = shortlists[j].volunteer_ids[i]
        if len(chosen[j]) < k and load[volunteer] < cap_per_volunteer:
            chosen[j].append(i)
            load[volunteer] += 1
    proposals, total = {}, 0.0
    for need_id, s, picked in zip(need_ids, shortlists, chosen, strict=True):
        proposals[need_id] = [s.proposal(i) for i in picked]
        total += float(np.sum(s.scores[picked])) if picked else 0.0
    cost = max(0.0, uncapped - total)
    return BatchResult(
        proposals=proposals,
        total_score=total,
        uncapped_total_score=uncapped,
        cost=cost,
        cost_fraction=cost / uncapped if uncapped > 0 else 0.0,
        max_per_volunteer=max(load.values(), default=0),
    )
