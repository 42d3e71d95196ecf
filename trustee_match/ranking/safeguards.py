"""What a learned version must pass before staff may approve it, in one place.

1. Enough decisions: at least `MIN_DECISIONS` labelled decisions (the learner's own threshold),
   with approvals and rejections among them, on at least `MIN_ROLES` roles.
2. It beats the live weights (or the defaults) on held-out decisions. A quarter of the roles
   with decisions are held back (`StratifiedGroupKFold`, grouped by role so that no role is in
   both parts, balanced so both parts hold approvals and rejections); the version learns from
   the rest, and both it and the live weights score the held-back decisions. The weights
   approved are the ones measured.
3. It keeps a floor on what the charity states: required skills, place and hours each keep at
   least `FLOOR_SHARE` of their default share of the weight.

Why half: decisions may rebalance what the charity states by up to a factor of two (enough to
correct a weight staff keep overruling), but a run of rejections all for one reason cannot
switch the others off; at its floor, required skills (12.5%) still count for more than desired
skills do by default (8%).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from matching.learn import weighted_scores
from matching.signals import DEFAULT_WEIGHTS

MIN_DECISIONS = 40
MIN_ROLES = 4
HOLD_OUT_FOLDS = 4  # one fold of four: a quarter of the roles
FLOOR_SHARE = 0.5

SIGNAL_NAMES = {
    "text": "Profile and role text",
    "skills_required": "Required skills",
    "skills_desired": "Desired skills",
    "causes": "Causes",
    "place": "Place (region, remote)",
    "availability": "Hours a month",
    "board_experience": "Board experience",
    "semantic": "Meaning of the words (not only their spelling)",
}
STATED_BY_CHARITY = ("skills_required", "place", "availability")


def share(weights: dict[str, float], signal: str) -> float:
    """The signal's share of the total weight."""
    total = sum(weights.values())
    return weights.get(signal, 0.0) / total if total > 0 else 0.0


def floor_of(signal: str) -> float | None:
    """The least share a learned version may give a signal the charity states (None: no floor)."""
    if signal not in STATED_BY_CHARITY:
        return None
    return FLOOR_SHARE * share(DEFAULT_WEIGHTS, signal)


def too_little_to_learn(
    labels: Sequence[int], groups: Sequence[str], min_decisions: int = MIN_DECISIONS
) -> str | None:
    """Why these decisions are not enough to learn from, in plain words; None if they are."""
    n = len(labels)
    if n < min_decisions:
        return (
            f"It has {n} decisions; it needs at least {min_decisions} before it learns "
            f"({min_decisions - n} more)."
        )
    if len(set(labels)) < 2:
        kind = "approvals" if labels[0] == 1 else "rejections"
        return f"All {n} decisions are {kind}; it needs approvals and rejections to learn from."
    roles = len(set(groups))
    if roles < MIN_ROLES:
        return (
            f"The decisions are about {roles} roles; it needs decisions on at least {MIN_ROLES} "
            "roles, so that it can be tested on roles it did not learn from."
        )
    return None


def hold_out(labels: Sequence[int], groups: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Positions to learn from and positions held back, split by role."""
    splitter = StratifiedGroupKFold(n_splits=HOLD_OUT_FOLDS, shuffle=True, random_state=0)
    train, test = next(splitter.split(np.zeros(len(labels)), labels, groups))
    return train, test


@dataclass(frozen=True)
class Figures:
    auc: float | None  # approvals scored above rejections, over all held-back decisions
    accuracy: float | None  # share of same-role (approved, rejected) pairs put in that order


def held_out_figures(
    breakdowns: Sequence[dict], labels: Sequence[int], groups: Sequence[str], weights: dict
) -> Figures:
    """How well these weights order the held-back decisions."""
    y = np.asarray(labels)
    scores = weighted_scores(breakdowns, weights)
    auc = float(roc_auc_score(y, scores)) if len(set(labels)) == 2 else None
    right = pairs = 0.0
    roles = np.asarray(groups)
    for role in set(groups):
        mine = roles == role
        approved, rejected = scores[mine & (y == 1)], scores[mine & (y == 0)]
        diff = approved[:, None] - rejected[None, :]
        right += float((diff > 0).sum() + 0.5 * (diff == 0).sum())
        pairs += diff.size
    return Figures(auc, right / pairs if pairs else None)


def verdict(
    weights: dict[str, float], mine: Figures, baseline: Figures, baseline_name: str
) -> str | None:
    """Why this version may not go live, in plain words; None if it may."""
    problems = []
    if mine.auc is None or baseline.auc is None:
        problems.append(
            "The held-back decisions are all approvals or all rejections, so there is nothing "
            "to test it on; it needs more decisions."
        )
    elif mine.auc <= baseline.auc:
        problems.append(
            f"It does not beat {baseline_name} on decisions it did not learn from "
            f"(AUC {mine.auc:.3f} against {baseline.auc:.3f})."
        )
    short = [
        f"{SIGNAL_NAMES[s].lower()} {share(weights, s):.0%} (at least {floor_of(s):.1%})"
        for s in STATED_BY_CHARITY
        if share(weights, s) < (floor_of(s) or 0.0)
    ]
    if short:
        problems.append(
            f"It gives too little weight to what the charity states: {', '.join(short)}. "
            f"Each must keep at least {FLOOR_SHARE:.0%} of its default share."
        )
    return " ".join(problems) or None
