"""MatchIndex: fit once, update one record at a time, rank in both directions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from matching import ranker
from matching.reasons import explain
from matching.records import NeedRecord, Proposal, VolunteerRecord
from matching.signals import DEFAULT_WEIGHTS, SIGNALS
from matching.tables import Encoder, Interner, Table, build_table, with_record, without
from matching.text import TextRelevance
from matching.vocabulary import SkillVocabulary


@dataclass(frozen=True)
class _Snapshot:
    volunteers: Table
    needs: Table
    weights: dict[str, float]


def _check_weights(weights: dict[str, float] | None) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(SIGNALS)
    if unknown:
        raise ValueError(f"unknown signals in weights: {sorted(unknown)}")
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise ValueError("weights must be non-negative with at least one positive")
    return weights


class MatchIndex:
    """Rank volunteers for needs and needs for volunteers, with reasons.

    Parameters
    ----------
    vocabulary : SkillVocabulary, optional
        The skills taxonomy; the built-in default when None.
    weights : dict of str to float, optional
        Signal weights (see ``matching.signals.SIGNALS``); defaults when None. A fitted
        :class:`~matching.learn.WeightLearner`'s ``weights_`` can be passed here.
    text_params : dict, optional
        Parameters of :class:`~matching.text.TextRelevance`.
    random_state : int, default=0
        Seed for the text model's standardisation sample.
    progress : callable, optional
        Called with a short message at each build step.

    Notes
    -----
    Reads take the current immutable snapshot and never block. Writes (``fit``, ``add_*``,
    ``remove_*``, ``set_weights``) build a new snapshot and swap it in under a lock. Words first
    seen after ``fit`` do not count towards text relevance until the next ``fit``.
    """

    def __init__(
        self,
        vocabulary: SkillVocabulary | None = None,
        weights: dict[str, float] | None = None,
        text_params: dict | None = None,
        random_state: int = 0,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        self.text_params = text_params
        self.random_state = random_state
        self.progress = progress
        self._write_lock = threading.Lock()

    def _say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def fit(
        self, volunteers: Iterable[VolunteerRecord], needs: Iterable[NeedRecord]
    ) -> MatchIndex:
        """Build the index from all volunteers and needs, then swap it in."""
        volunteers, needs = list(volunteers), list(needs)
        for r in volunteers:
            if not isinstance(r, VolunteerRecord):
                raise TypeError(f"expected VolunteerRecord, got {type(r).__name__}")
        for r in needs:
            if not isinstance(r, NeedRecord):
                raise TypeError(f"expected NeedRecord, got {type(r).__name__}")
        weights = _check_weights(self.weights)
        text = TextRelevance(**{"random_state": self.random_state, **(self.text_params or {})})
        self._say(f"text model: {len(volunteers)} volunteers, {len(needs)} needs")
        text.fit([v.full_text() for v in volunteers], [n.full_text() for n in needs])
        enc = Encoder(
            self.vocabulary or SkillVocabulary.default(), text, Interner(), Interner(), Interner()
        )
        self._say("volunteer table")
        vols = build_table(volunteers, enc, is_need=False)
        self._say("need table")
        need_table = build_table(needs, enc, is_need=True)
        with self._write_lock:
            self.encoder_ = enc
            self.snapshot_ = _Snapshot(vols, need_table, weights)
        self._say("done")
        return self

    def _check_fitted(self) -> _Snapshot:
        snap = getattr(self, "snapshot_", None)
        if snap is None:
            raise RuntimeError("MatchIndex is not fitted: call fit(volunteers, needs) first")
        return snap

    def _swap(self, change: Callable[[_Snapshot], _Snapshot]) -> None:
        self._check_fitted()
        with self._write_lock:
            self.snapshot_ = change(self.snapshot_)

    def add_volunteer(self, record: VolunteerRecord) -> None:
        """Add a volunteer, or replace the one with the same id."""
        if not isinstance(record, VolunteerRecord):
            raise TypeError("expected a VolunteerRecord")
        enc = self.encoder_ if hasattr(self, "encoder_") else None
        self._swap(lambda s: _Snapshot(with_record(s.volunteers, record, enc, False), s.needs,
                                       s.weights))

    update_volunteer = add_volunteer

    def remove_volunteer(self, volunteer_id: str) -> None:
        """Remove a volunteer (unknown ids are ignored)."""
        self._swap(lambda s: _Snapshot(without(s.volunteers, volunteer_id), s.needs, s.weights))

    def add_need(self, record: NeedRecord) -> None:
        """Add a need, or replace the one with the same id."""
        if not isinstance(record, NeedRecord):
            raise TypeError("expected a NeedRecord")
        enc = self.encoder_ if hasattr(self, "encoder_") else None
        self._swap(lambda s: _Snapshot(s.volunteers, with_record(s.needs, record, enc, True),
                                       s.weights))

    update_need = add_need

    def remove_need(self, need_id: str) -> None:
        """Remove a need (unknown ids are ignored)."""
        self._swap(lambda s: _Snapshot(s.volunteers, without(s.needs, need_id), s.weights))

    def set_weights(self, weights: dict[str, float]) -> None:
        """Swap in new signal weights (e.g. ``WeightLearner.weights_``)."""
        checked = _check_weights(weights)
        self._swap(lambda s: _Snapshot(s.volunteers, s.needs, checked))

    @property
    def n_volunteers(self) -> int:
        """Number of live volunteers."""
        return len(self._check_fitted().volunteers.pos)

    @property
    def n_needs(self) -> int:
        """Number of live needs."""
        return len(self._check_fitted().needs.pos)

    def _need(self, snap: _Snapshot, need: str | NeedRecord) -> NeedRecord:
        if isinstance(need, NeedRecord):
            return need
        if need not in snap.needs.records:
            raise KeyError(f"unknown need id: {need!r}")
        return snap.needs.records[need]

    def _volunteer(self, snap: _Snapshot, volunteer: str | VolunteerRecord) -> VolunteerRecord:
        if isinstance(volunteer, VolunteerRecord):
            return volunteer
        if volunteer not in snap.volunteers.records:
            raise KeyError(f"unknown volunteer id: {volunteer!r}")
        return snap.volunteers.records[volunteer]

    def score_volunteers(
        self, need: str | NeedRecord, exclude: Iterable[str] = ()
    ) -> tuple[list[str], np.ndarray]:
        """Combined score of every live, non-excluded volunteer for a need (ids, scores)."""
        snap = self._check_fitted()
        scored = self._score_need(snap, self._need(snap, need), exclude)
        rows = np.nonzero(scored.allowed)[0]
        return [snap.volunteers.ids[r] for r in rows], scored.score[rows]

    def _score_need(self, snap: _Snapshot, need: NeedRecord, exclude: Iterable[str]):
        pos = snap.volunteers.pos
        rows = [pos[i] for i in exclude if i in pos]
        return ranker.score_need(need, snap.volunteers, self.encoder_, snap.weights, rows)

    def top_volunteers(
        self, need: str | NeedRecord, k: int = 10, exclude: Iterable[str] = ()
    ) -> list[Proposal]:
        """The k best volunteers for a need, best first.

        Parameters
        ----------
        need : str or NeedRecord
            A need id in the index, or a record (scored without being added).
        k : int, default=10
            How many proposals to return (fewer if fewer volunteers qualify).
        exclude : iterable of str
            Volunteer ids that must not appear: unavailable, already proposed or declined
            for this need, or at their cap of live matches.

        Returns
        -------
        list of Proposal
        """
        snap = self._check_fitted()
        record = self._need(snap, need)
        scored = self._score_need(snap, record, set(exclude))
        return [
            self._proposal(snap, record, snap.volunteers.records[snap.volunteers.ids[r]], scored, r)
            for r in ranker.top_rows(scored, int(k))
        ]

    def top_needs(
        self, volunteer: str | VolunteerRecord, k: int = 10, exclude: Iterable[str] = ()
    ) -> list[Proposal]:
        """The k best needs for a volunteer, best first (``exclude`` holds need ids)."""
        snap = self._check_fitted()
        record = self._volunteer(snap, volunteer)
        pos = snap.needs.pos
        rows = [pos[i] for i in set(exclude) if i in pos]
        scored = ranker.score_volunteer(record, snap.needs, self.encoder_, snap.weights, rows)
        return [
            self._proposal(snap, snap.needs.records[snap.needs.ids[r]], record, scored, r)
            for r in ranker.top_rows(scored, int(k))
        ]

    def _proposal(self, snap, need, volunteer, scored, row) -> Proposal:
        breakdown = {
            name: (round(float(v[row]), 4) if known[row] else None)
            for name, (v, known) in scored.signals.items()
        }
        return Proposal(
            need_id=need.id,
            volunteer_id=volunteer.id,
            score=float(scored.score[row]),
            breakdown=breakdown,
            reasons=explain(need, volunteer, breakdown, self.encoder_),
        )

    def propose_batch(
        self,
        need_ids: Iterable[str] | None = None,
        k: int = 10,
        cap_per_volunteer: int = 3,
        exclude: dict[str, Iterable[str]] | None = None,
    ):
        """Proposals for many needs at once, no volunteer proposed more than the cap.

        See :func:`matching.batch.propose_batch`.
        """
        from matching.batch import propose_batch

        return propose_batch(self, need_ids, k, cap_per_volunteer, exclude)
