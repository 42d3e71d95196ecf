"""Ranking metrics over one need's full score vector."""

from __future__ import annotations

import numpy as np


def ndcg_at_k(scores: np.ndarray, grades: np.ndarray, k: int = 10) -> float | None:
    """NDCG@k with gain 2^grade - 1; None when the need has no relevant document."""
    ideal = np.sort(grades)[::-1][:k]
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    idcg = float(((2.0**ideal - 1) * disc[: len(ideal)]).sum())
    if idcg <= 0:
        return None
    top = np.argsort(-scores, kind="stable")[:k]
    return float(((2.0 ** grades[top] - 1) * disc[: len(top)]).sum()) / idcg


def mrr(scores: np.ndarray, grades: np.ndarray) -> float | None:
    """Reciprocal rank of the first relevant document."""
    if not (grades > 0).any():
        return None
    order = np.argsort(-scores, kind="stable")
    return 1.0 / (1 + int(np.nonzero(grades[order] > 0)[0][0]))


def recall_at_k(scores: np.ndarray, grades: np.ndarray, k: int = 50) -> float | None:
    """Share of relevant documents in the top k."""
    relevant = grades > 0
    if not relevant.any():
        return None
    top = np.argsort(-scores, kind="stable")[:k]
    return float(relevant[top].sum() / relevant.sum())


def mean_or_none(values) -> float | None:
    """Mean of the non-None values, None if there are none."""
    kept = [v for v in values if v is not None]
    return float(np.mean(kept)) if kept else None
