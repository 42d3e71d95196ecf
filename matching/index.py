"""MatchIndex: fit once, update one record at a time, rank in both directions."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
from sklearn.base import BaseEstimator

from matching import ranker
from matching.encoder import Encoder
from matching.records import NeedRecord, Proposal, VolunteerRecord
from matching.semantic import default_embedder
from matching.shortlist import Shortlist, make_proposal
from matching.snapshot import Snapshot, build_snapshot, check_weights, effective_n_jobs
from matching.tables import with_record, without
from matching.vocabulary import SkillVocabulary

__all__ = ["MatchIndex", "effective_n_jobs"]


class MatchIndex(BaseEstimator):
    """Rank volunteers for needs and needs for volunteers, with reasons.

    Parameters
    ----------
    vocabulary : SkillVocabulary, optional
        The skills taxonomy; the built-in default when None.
    cause_vocabulary : SkillVocabulary, optional
        The causes taxonomy ("young people" and "children" are one cause); the built-in
        default when None.
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
    semantic : embedder or "default", optional
        Sentence embedder for the semantic signal (see ``matching.semantic``): anything with
        ``dim`` and ``encode(texts)``; ``"default"`` is the packaged MiniLM when installed.
        None (the default) leaves the signal out.
    embed_missing : bool, default=True
        Whether records and queries that carry no stored ``embedding`` are embedded here (in
        ``fit``, updates and queries). An application that stores embeddings and computes
        the missing ones in a worker passes False: such a record's semantic signal is unknown
        until it comes back with one, and no web request waits for the model.

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
        cause_vocabulary: SkillVocabulary | None = None,
        semantic=None,
        embed_missing: bool = True,
    ) -> None:
        self.vocabulary = vocabulary
        self.cause_vocabulary = cause_vocabulary
        self.weights = weights
        self.text_params = text_params
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress
        self.semantic = semantic
        self.embed_missing = embed_missing

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
        weights = check_weights(self.weights)
        with self._lock():  # updates wait for a rebuild; reads never do
            self.snapshot_ = build_snapshot(
                volunteers, needs, weights, vocabulary=self.vocabulary,
                cause_vocabulary=self.cause_vocabulary, text_params=self.text_params,
                random_state=self.random_state, say=self._say,
                semantic=default_embedder() if self.semantic == "default" else self.semantic,
                embed_missing=self.embed_missing,
            )
        self._say("done")
        return self

    def _check_fitted(self) -> Snapshot:
        snap = getattr(self, "snapshot_", None)
        if snap is None:
            raise RuntimeError("MatchIndex is not fitted: call fit(volunteers, needs) first")
        return snap

    def _swap(self, change: Callable[[Snapshot], Snapshot]) -> None:
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
        checked = check_weights(weights)
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

    def score_volunteers(
        self, need: str | NeedRecord, exclude: Iterable[str] = (), return_feasible: bool = False
    ) -> tuple[list[str], np.ndarray] | tuple[list[str], np.ndarray, np.ndarray]:
        """Score of every live, non-excluded volunteer for a need.

        Returns ``(ids, scores)``, or ``(ids, scores, feasible)`` with ``return_feasible``.
        Every feasible volunteer scores above every infeasible one (see
        :mod:`matching.feasibility`), so sorting by score ranks as :meth:`top_volunteers`.
        """
        snap = self._check_fitted()
        scored = self._score_need(snap, snap.need(need), exclude)
        rows = np.nonzero(scored.allowed)[0]
        ids = [snap.volunteers.id_at(r) for r in rows]
        if return_feasible:
            return ids, scored.score[rows], scored.feasible[rows]
        return ids, scored.score[rows]

    def _score_need(self, snap: Snapshot, need: NeedRecord, exclude: Iterable[str]):
        rows = snap.volunteers.rows(exclude)
        return ranker.score_need(
            need, snap.volunteers, snap.encoder, snap.weights, rows, self._map()
        )

    def shortlist(
        self, need: str | NeedRecord, depth: int = 10, exclude: Iterable[str] = ()
    ) -> Shortlist:
        """The ``depth`` best volunteers for a need, best first, from one snapshot.

        As :meth:`top_volunteers`, but reasons are written only for the proposals asked of
        the :class:`~matching.shortlist.Shortlist`, so looking at many candidates and keeping
        a few pays for the reasons of the few.
        """
        snap = self._check_fitted()
        record = snap.need(need)
        scored = self._score_need(snap, record, set(exclude))
        rows = ranker.top_rows(scored, int(depth))
        return Shortlist(
            need=record,
            volunteer_ids=[snap.volunteers.id_at(r) for r in rows],
            scores=scored.score[rows],
            feasible=scored.feasible[rows],
            _snap=snap,
            _scored=ranker.subset(scored, rows),
            _rows=rows,
            _wanted=snap.encoder.need_skills(record),
            _causes=snap.encoder.causes_of(record),
        )

    def top_volunteers(
        self, need: str | NeedRecord, k: int = 10, exclude: Iterable[str] = ()
    ) -> list[Proposal]:
        """The k best volunteers for a need, best first.

        A volunteer who cannot meet a hard need of the role (``Proposal.feasible`` False,
        ``Proposal.why_not`` saying why) never ranks above one who can: they come last, for
        staff who look further.

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
        """The k best needs for a volunteer, best first (``exclude`` holds need ids).

        Needs the volunteer cannot meet come after every need they can (see
        :meth:`top_volunteers`); ``Proposal.reasons_for_volunteer`` speaks to them.
        """
        snap = self._check_fitted()
        record = snap.volunteer(volunteer)
        rows = snap.needs.rows(set(exclude))
        enc = snap.encoder
        has, own_causes = enc.volunteer_evidence(record), enc.causes_of(record)
        scored = ranker.score_volunteer(record, snap.needs, enc, snap.weights, rows, self._map())
        out = []
        for r in ranker.top_rows(scored, int(k)):
            need = snap.needs.record_at(r)
            causes = (enc.causes_of(need), own_causes)
            out.append(make_proposal(
                snap, need, record, scored, r, has, snap.needs.store.slugs[r], causes
            ))
        return out

    def need_ids(self) -> list[str]:
        """Ids of the live needs, in the order they were added."""
        return self._check_fitted().needs.live_ids()

    def volunteer_ids(self) -> list[str]:
        """Ids of the live volunteers, in the order they were added."""
        return self._check_fitted().volunteers.live_ids()

    def propose_batch(
        self,
        need_ids: Iterable[str] | None = None,
        k: int = 10,
        cap_per_volunteer: int = 3,
        exclude: dict[str, Iterable[str]] | None = None,
        fill_with_infeasible: bool = True,
    ):
        """Proposals for many needs at once, no volunteer proposed more than the cap.

        See :func:`matching.batch.propose_batch`.
        """
        from matching.batch import propose_batch

        return propose_batch(
            self, need_ids, k, cap_per_volunteer, exclude,
            fill_with_infeasible=fill_with_infeasible,
        )

