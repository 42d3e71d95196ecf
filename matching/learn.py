"""Learn signal weights from staff and user decisions on proposed pairs."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from matching.signals import DEFAULT_WEIGHTS, SIGNALS

FORMAT = "trusteematch-weights"
FORMAT_VERSION = 1
POSITIVE = {"approved", "accepted", "appointed"}
NEGATIVE = {"rejected", "declined", "not_proceeding", "not proceeding"}


def label_from_decision(decision: str) -> int | None:
    """1 for approved / accepted / appointed, 0 for rejected / declined, None otherwise."""
    d = decision.strip().lower()
    return 1 if d in POSITIVE else 0 if d in NEGATIVE else None


def weighted_scores(breakdowns: Sequence[dict], weights: dict[str, float]) -> np.ndarray:
    """The index's combined score for stored breakdowns (unknown signals left out)."""
    values, known = _matrix(breakdowns)
    w = np.array([weights.get(s, 0.0) for s in SIGNALS])
    den = known @ w
    return np.where(den > 0, (values * known) @ w / np.where(den > 0, den, 1), 0.0)


def _matrix(breakdowns: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    values = np.zeros((len(breakdowns), len(SIGNALS)))
    known = np.zeros_like(values)
    for i, b in enumerate(breakdowns):
        for j, s in enumerate(SIGNALS):
            v = b.get(s)
            if v is not None:
                values[i, j], known[i, j] = float(v), 1.0
    return values, known


def _fit_weights(values, known, y, alpha) -> np.ndarray:
    """Non-negative logistic regression on the weighted-mean score (L2 on the weights)."""
    def loss(params):
        w, scale, bias = np.exp(params[:-2]), np.exp(params[-2]), params[-1]
        den = known @ w
        s = np.where(den > 0, (values * known) @ w / np.where(den > 0, den, 1), 0.0)
        z = scale * s + bias
        return np.mean(np.logaddexp(0, z) - y * z) + alpha * np.sum((w / w.sum() - 1 / len(w)) ** 2)

    start = np.concatenate([np.zeros(values.shape[1]), [np.log(5.0)], [-2.5]])
    # Only the weights' ratios matter, so nothing holds their logs in place: unbounded, the
    # line search stepped far enough for exp() to overflow and the loss to turn NaN. e^±10
    # spans any ratio worth having; e^5 is a steeper logistic than scores in [0, 1] need.
    bounds = [(-10.0, 10.0)] * values.shape[1] + [(-5.0, 5.0), (-20.0, 20.0)]
    res = minimize(loss, start, method="L-BFGS-B", bounds=bounds)
    w = np.exp(res.x[:-2])
    return w / w.sum()


class WeightLearner:
    """Re-weight the signals from labelled pairs; fall back to defaults when labels are few.

    Parameters
    ----------
    min_labels : int, default=40
        Fewer labelled pairs (or fewer than two needs, or one class only) keep the defaults.
    alpha : float, default=0.01
        Pull towards equal weights.
    n_splits : int, default=5
        Grouped cross-validation folds (grouped by need).
    version : str, default="1"
        Stored with the weights.
    random_state : int, default=0
        Kept for scikit-learn compatibility; the fit itself is deterministic.
    """

    def __init__(self, min_labels=40, alpha=0.01, n_splits=5, version="1", random_state=0):
        self.min_labels = min_labels
        self.alpha = alpha
        self.n_splits = n_splits
        self.version = version
        self.random_state = random_state

    def fit(self, breakdowns: Sequence[dict], labels: Sequence[int], groups: Sequence[str]):
        """Fit on proposal breakdowns, 0/1 labels and the need id of each pair."""
        if not (len(breakdowns) == len(labels) == len(groups)):
            raise ValueError("breakdowns, labels and groups must have the same length")
        y = np.asarray(labels, dtype=float)
        values, known = _matrix(breakdowns)
        n_groups = len(set(groups))
        self.n_labels_ = len(y)
        self.fallback_ = bool(
            len(y) < self.min_labels or n_groups < 2 or len(np.unique(y)) < 2
        )
        self.cv_auc_ = self.default_cv_auc_ = None
        if self.fallback_:
            self.weights_ = dict(DEFAULT_WEIGHTS)
            return self
        folds = GroupKFold(n_splits=min(self.n_splits, n_groups))
        learned, default = [], []
        for train, test in folds.split(values, y, groups):
            if len(np.unique(y[test])) < 2 or len(np.unique(y[train])) < 2:
                continue
            w = dict(zip(SIGNALS, _fit_weights(values[train], known[train], y[train],
                                               self.alpha), strict=True))
            b = [breakdowns[i] for i in test]
            learned.append(roc_auc_score(y[test], weighted_scores(b, w)))
            default.append(roc_auc_score(y[test], weighted_scores(b, DEFAULT_WEIGHTS)))
        if learned:
            self.cv_auc_, self.default_cv_auc_ = float(np.mean(learned)), float(np.mean(default))
        w = _fit_weights(values, known, y, self.alpha)
        self.weights_ = {s: float(v) for s, v in zip(SIGNALS, w, strict=True)}
        return self

    def save(self, path: str) -> None:
        """Write the weights and their version as JSON."""
        payload = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "version": self.version,
            "weights": self.weights_,
            "fallback": self.fallback_,
            "n_labels": self.n_labels_,
            "cv_auc": self.cv_auc_,
            "default_cv_auc": self.default_cv_auc_,
        }
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)

    @classmethod
    def load(cls, path: str) -> WeightLearner:
        """Read weights written by :meth:`save`; unknown formats raise ValueError."""
        with open(path, encoding="utf-8") as fh:
            payload = json.load(fh)
        if payload.get("format") != FORMAT or payload.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path}: not a {FORMAT} v{FORMAT_VERSION} file")
        learner = cls(version=payload["version"])
        learner.weights_ = {s: float(payload["weights"].get(s, 0.0)) for s in SIGNALS}
        learner.fallback_ = bool(payload["fallback"])
        learner.n_labels_ = int(payload["n_labels"])
        learner.cv_auc_ = payload.get("cv_auc")
        learner.default_cv_auc_ = payload.get("default_cv_auc")
        return learner
