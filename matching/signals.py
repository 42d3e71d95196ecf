"""Structured signals, vectorised: each returns (values in [0, 1], known mask) per candidate.

One side's values may be scalars (the query's) and broadcast against the other side's columns.

A signal that is unknown for a pair (a missing field on either side) is left out of the
weighted average instead of counting as zero.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

SIGNALS = (
    "text",
    "skills_required",
    "skills_desired",
    "causes",
    "place",
    "availability",
    "board_experience",
    "semantic",
)

DEFAULT_WEIGHTS: dict[str, float] = {
    "text": 0.35,
    "skills_required": 0.25,
    "skills_desired": 0.08,
    "causes": 0.12,
    "place": 0.10,
    "availability": 0.06,
    "board_experience": 0.04,
    # Full weight only for short queries (see ``semantic.weight_scale``); chosen on the dev
    # splits of esco-titles and rjdb.
    "semantic": 0.3,
}

# How much a volunteer's skill counts towards covering a need's: a level ticked on the profile,
# or the skill only named in their text (tuned on the dev split of the trustee cases).
LEVEL_WEIGHTS = {"expert": 1.0, "practitioner": 0.8, None: 0.8, "learning": 0.35}
MENTION_WEIGHT = 0.5
RELATED_WEIGHT = 0.3  # a skill close to a ticked one (``SkillVocabulary.related``)

Signal = tuple[np.ndarray, np.ndarray]


def skill_weight(level: str | None) -> float:
    """The coverage weight of a ticked skill at ``level`` (None: no level given)."""
    return LEVEL_WEIGHTS[level]


def overlap(matrix: sp.spmatrix, ids: list[int], weights=None) -> np.ndarray:
    """How much of ``ids`` each row of a matrix holds: the sum of its values in those columns.

    For a binary matrix that is a count. ``weights`` (one per id) scales each column. With a
    CSC matrix this reads only the posting lists of ``ids`` (ids beyond the matrix's columns
    are held by no row).
    """
    n = matrix.shape[0]
    keep = [j for j, i in enumerate(ids) if 0 <= i < matrix.shape[1]]
    if not keep or n == 0:
        return np.zeros(n, dtype=np.float32)
    m = matrix if sp.isspmatrix_csc(matrix) or isinstance(matrix, sp.csc_array) else matrix.tocsc()
    spans = [(m.indptr[ids[j]], m.indptr[ids[j] + 1]) for j in keep]
    rows = np.concatenate([m.indices[a:b] for a, b in spans])
    values = np.concatenate([m.data[a:b] for a, b in spans])
    if weights is not None:
        values = values * np.repeat([weights[j] for j in keep], [b - a for a, b in spans])
    return np.bincount(rows, weights=values, minlength=n).astype(np.float32)


def coverage(have: np.ndarray, wanted: np.ndarray) -> Signal:
    """Share of wanted skills held; unknown where nothing is wanted."""
    known = wanted > 0
    return np.where(known, have / np.maximum(wanted, 1), 0.0).astype(np.float32), known


def cause_overlap(shared: np.ndarray, n_a: np.ndarray, n_b: np.ndarray) -> Signal:
    """Shared causes over the smaller cause list; unknown when either list is empty."""
    known = (n_a > 0) & (n_b > 0)
    ratio = np.minimum(1.0, shared / np.maximum(np.minimum(n_a, n_b), 1))
    return np.where(known, ratio, 0).astype(np.float32), known


def place(
    region_a: np.ndarray, remote_a: np.ndarray, region_b: np.ndarray, remote_b: np.ndarray
) -> Signal:
    """1 for the same region or remote possible on both sides; 0 when in person is impossible.

    Regions are integer codes (-1 unknown); remote flags are 1, 0 or -1 (unknown).
    """
    same = (region_a >= 0) & (region_a == region_b)
    remote = (remote_a == 1) & (remote_b == 1)
    apart = (region_a >= 0) & (region_b >= 0) & (region_a != region_b)
    blocked = apart & ((remote_a == 0) | (remote_b == 0))
    known = same | remote | blocked
    return (same | remote).astype(np.float32), known


def availability(volunteer_hours: np.ndarray, need_hours: np.ndarray) -> Signal:
    """Share of the need's hours the volunteer offers, capped at 1; NaN means unknown."""
    known = ~np.isnan(volunteer_hours) & ~np.isnan(need_hours)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(need_hours > 0, volunteer_hours / need_hours, 1.0)
    return np.where(known, np.clip(ratio, 0.0, 1.0), 0.0).astype(np.float32), known


def board_experience(flags: np.ndarray) -> Signal:
    """1 for board experience, 0 for none, unknown for -1."""
    return (flags == 1).astype(np.float32), flags >= 0


def combine(signals: dict[str, Signal], weights: dict[str, float]) -> np.ndarray:
    """Weighted mean of the known signals per candidate, in [0, 1] (0 if none is known)."""
    n = len(next(iter(signals.values()))[0]) if signals else 0
    num = np.zeros(n, dtype=np.float32)
    den = np.zeros(n, dtype=np.float32)
    for name, (values, known) in signals.items():
        w = float(weights.get(name, 0.0))
        if w <= 0 or not known.any():  # adds nothing to either sum
            continue
        kw = np.where(known, np.float32(w), np.float32(0.0))
        den += kw
        kw *= values
        num += kw
    out = np.divide(num, den, out=np.zeros_like(num), where=den > 0)
    return np.clip(out, 0.0, 1.0, out=out)
