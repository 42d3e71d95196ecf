"""MatchIndex: fit once, update one record at a time, rank in both directions."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from sklearn.base import BaseEstimator

from matching import ranker
from matching.encoder import Encoder, Interner
from matching.records import NeedRecord, Proposal, VolunteerRecord
from matching.shortlist import Shortlist, make_proposal
from matching.signals import DEFAULT_WEIGHTS, SIGNALS
from matching.tables import Table, build_table, with_record, without
from matching.text import TextRelevance
from matching.vocabulary import SkillVocabulary


@dataclass(frozen=True)
class _Snapshot:
    volunteers: Table
    needs: Table
    weights: dict[str, float]
    encoder: Encoder


def _check_weights(weights: dict[str, float] | None) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(weights) - set(SIGNALS)
    if unknown:
        raise ValueError(f"unknown signals in weights: {sorted(unknown)}")
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        raise ValueError("weights must be non-negative with at least one positive")
    return weights


def effective_n_jobs(n_jobs: int | None) -> int:
    """Threads for ``n_jobs`` as scikit-learn reads it: None is 1, -1 every core, -2 all but
    one."""
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return int(n_jobs)


class MatchIndex(BaseEstimator):
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
    n_jobs : int, optional
        Threads for one query's sparse products over a large table (20,000 rows or more), and
        needs scored at once by :meth:`propose_batch`. None means 1, -1 every core.
    progress : callable, optional
        Called with a short message at each build step.

    Attributes
    ----------
    snapshot_ : the current immutable snapshot (tables, weights, encoder), set by ``fit``.

    Notes
    -----
    ``__init__`` only stores the parameters, so the index can be cloned
    (``sklearn.base.clone``) and a fitted one pickled. Reads take the current immutable
    snapshot and never block, and never change it: a need whose region, skills or causes the
    index has never seen is scored against it as it is. Writes (``fit``, ``add_*``,
    ``remove_*``, ``set_weights``) build a new snapshot and swap it in under a write lock,
    made on first use. Words first seen after ``fit`` do not count towards text relevance
    until the next ``fit``.
    """

    def __init__(
        self,
        vocabulary: SkillVocabulary | None = None,
        weights: dict[str, float] | None = None,
        text_params: dict | None = None,
        random_state: int = 0,
        n_jobs: int | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.weights = weights
        self.text_params = text_params
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    def __getstate__(self) -> dict:
        # a lock and a thread pool are per process: an unpickled index makes its own
        state = dict(super().__getstate__())
        state.pop("_write_lock", None)
        state.pop("_pool", None)
        return state

    def _lock(self) -> threading.Lock:
        # dict.setdefault is atomic, so two first writers still share one lock
        return self.__dict__.setdefault("_write_lock", threading.Lock())

    def _map(self):
        """``map`` over a thread pool of ``n_jobs`` threads (the builtin ``map`` for one)."""
        n = effective_n_jobs(self.n_jobs)
        if n <= 1:
            return map
        made = self.__dict__.get("_pool")
        if made is None or made[0] != n:  # first use, or n_jobs changed by set_params
            made = (n, ThreadPoolExecutor(max_workers=n, thread_name_prefix="matching"))
            self.__dict__["_pool"] = made
        return made[1].map

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
        with self._lock():  # updates wait for a rebuild; reads never do
            snapshot = self._build(volunteers, needs, weights)
            self.snapshot_ = snapshot
        self._say("done")
        return self

    def _build(self, volunteers, needs, weights) -> _Snapshot:
        text = TextRelevance(**{"random_state": self.random_state, **(self.text_params or {})})
        self._say(f"text model: {len(volunteers)} volunteers, {len(needs)} needs")
        vol_rows, need_rows = text.fit_transform(
            [v.full_text() for v in volunteers], [n.full_text() for n in needs]
        )
        enc = Encoder(
            self.vocabulary or SkillVocabulary.default(), text, Interner(), Interner(), Interner()
        )
        self._say("volunteer table")
        vols = build_table(volunteers, enc, is_need=False, rows=vol_rows)
        self._say("need table")
        need_table = build_table(needs, enc, is_need=True, rows=need_rows)
        return _Snapshot(vols, need_table, weights, enc)

    def _check_fitted(self) -> _Snapshot:
        snap = getattr(self, "snapshot_", None)
        if snap is None:
            raise RuntimeError("MatchIndex is not fitted: call fit(volunteers, needs) first")
        return snap

    def _swap(self, change: Callable[[_Snapshot], _Snapshot]) -> None:
        self._check_fitted()
        with self._lock():
            self.snapshot_ = change(self.snapshot_)

    def add_volunteer(self, record: VolunteerRecord) -> None:
        """Add a volunteer, or replace the one with the same id."""
        if not isinstance(record, VolunteerRecord):
            raise TypeError("expected a VolunteerRecord")
        self._swap(lambda s: replace(s, volunteers=with_record(s.volunteers, record, s.encoder,
                                                              False)))

    update_volunteer = add_volunteer

    def remove_volunteer(self, volunteer_id: str) -> None:
        """Remove a volunteer (unknown ids are ignored)."""
        self._swap(lambda s: replace(s, volunteers=without(s.volunteers, volunteer_id)))

    def add_need(self, record: NeedRecord) -> None:
        """Add a need, or replace the one with the same id."""
        if not isinstance(record, NeedRecord):
            raise TypeError("expected a NeedRecord")
        self._swap(lambda s: replace(s, needs=with_record(s.needs, record, s.encoder, True)))

    update_need = add_need

    def remove_need(self, need_id: str) -> None:
        """Remove a need (unknown ids are ignored)."""
        self._swap(lambda s: replace(s, needs=without(s.needs, need_id)))

    def set_weights(self, weights: dict[str, float]) -> None:
        """Swap in new signal weights (e.g. ``WeightLearner.weights_``)."""
        checked = _check_weights(weights)
        self._swap(lambda s: replace(s, weights=checked))

    @property
    def encoder_(self) -> Encoder:
        """The fitted encoder of the current snapshot (vocabulary, text model, interners)."""
        return self._check_fitted().encoder

    @property
    def n_volunteers(self) -> int:
        """Number of live volunteers."""
        return self._check_fitted().volunteers.n_alive

    @property
    def n_needs(self) -> int:
        """Number of live needs."""
        return self._check_fitted().needs.n_alive

    def _need(self, snap: _Snapshot, need: str | NeedRecord) -> NeedRecord:
        if isinstance(need, NeedRecord):
            return need
        row = snap.needs.row(need)
        if row is None:
            raise KeyError(f"unknown need id: {need!r}")
        return snap.needs.record_at(row)

    def _volunteer(self, snap: _Snapshot, volunteer: str | VolunteerRecord) -> VolunteerRecord:
        if isinstance(volunteer, VolunteerRecord):
            return volunteer
        row = snap.volunteers.row(volunteer)
        if row is None:
            raise KeyError(f"unknown volunteer id: {volunteer!r}")
        return snap.volunteers.record_at(row)

    def score_volunteers(
        self, need: str | NeedRecord, exclude: Iterable[str] = ()
    ) -> tuple[list[str], np.ndarray]:
        """Combined score of every live, non-excluded volunteer for a need (ids, scores)."""
        snap = self._check_fitted()
        scored = self._score_need(snap, self._need(snap, need), exclude)
        rows = np.nonzero(scored.allowed)[0]
        return [snap.volunteers.id_at(r) for r in rows], scored.score[rows]

    def _score_need(self, snap: _Snapshot, need: NeedRecord, exclude: Iterable[str]):
        rows = snap.volunteers.rows(exclude)
        return ranker.score_need(
            need, snap.volunteers, snap.encoder, snap.weights, rows, self._map()
        )

    def shortlist(
        self, need: str | NeedRecord, depth: int = 10, exclude: Iterable[str] = ()
    ) -> Shortlist:
        """The ``depth`` best volunteers for a need, best first, from one snapshot.

        Cheaper than :meth:`top_volunteers` when only some candidates will be kept: reasons
        are written only for the proposals asked of the shortlist.

        Parameters
        ----------
        need : str or NeedRecord
            A need id in the index, or a record (scored without being added).
        depth : int, default=10
        exclude : iterable of str
            Volunteer ids that must not appear.

        Returns
        -------
        Shortlist
        """
        snap = self._check_fitted()
        record = self._need(snap, need)
        scored = self._score_need(snap, record, set(exclude))
        rows = ranker.top_rows(scored, int(depth))
        return Shortlist(
            need=record,
            volunteer_ids=[snap.volunteers.id_at(r) for r in rows],
            scores=scored.score[rows],
            _snap=snap,
            _scored=ranker.subset(scored, rows),
            _rows=rows,
        )

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
        return self.shortlist(need, k, exclude).proposals()

    def top_needs(
        self, volunteer: str | VolunteerRecord, k: int = 10, exclude: Iterable[str] = ()
    ) -> list[Proposal]:
        """The k best needs for a volunteer, best first (``exclude`` holds need ids)."""
        snap = self._check_fitted()
        record = self._volunteer(snap, volunteer)
        rows = snap.needs.rows(set(exclude))
        has = snap.encoder.volunteer_skills(record)
        scored = ranker.score_volunteer(
            record, snap.needs, snap.encoder, snap.weights, rows, self._map()
        )
        return [
            make_proposal(
                snap, snap.needs.record_at(r), record, scored, r, has=has,
                wanted=snap.needs.store.slugs[r],
            )
            for r in ranker.top_rows(scored, int(k))
        ]

    def need_ids(self) -> list[str]:
        """Ids of the live needs, in the order they were added."""
        return self._check_fitted().needs.live_ids()

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

