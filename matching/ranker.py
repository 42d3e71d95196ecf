"""Score one query record against every row of the other side's table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from matching import feasibility, semantic
from matching import signals as sig
from matching.encoder import Encoder
from matching.tables import Segment, Table
from matching.text import text_value
from matching.text_rows import TextRows

RERANK_DEPTH = 200
THREADED_ROWS = 20_000  # below this, handing segments to threads costs more than it saves

Map = Callable[[Callable, Iterable], Iterator]


def _block_scores(table: Table, enc: Encoder, query, head: bool = False, pmap: Map = map):
    """Raw channel scores over all segments (word, char, and head when asked for).

    ``pmap`` maps over the segments: the index passes its thread pool's ``map`` when it has
    ``n_jobs > 1`` and the table is large.
    """
    def one(seg: Segment):
        w, c = enc.text.channel_scores(seg.text, query)
        return w, c, (enc.text.head_scores(seg.text, query) if head else None)

    parts = list((pmap if table.n_rows >= THREADED_ROWS else map)(one, table.segments))
    if not parts:
        empty = np.zeros(0, np.float32)
        return empty, empty, empty
    w = np.concatenate([p[0] for p in parts])
    c = np.concatenate([p[1] for p in parts])
    return w, c, (np.concatenate([p[2] for p in parts]) if head else None)


def text_scores(
    table: Table, enc: Encoder, counts, allowed: np.ndarray, pmap: Map = map
) -> np.ndarray:
    """Standardised text relevance with pseudo-relevance feedback on the best rows.

    ``counts`` is the query's row from ``enc.text.counts``. A short query also scores the
    head (first line or sentence) of every row; see ``TextRelevance.head_weight``.
    """
    text = enc.text
    a = text.head_weight_for(counts) if counts.nnz else 0.0
    w, c, h = _block_scores(table, enc, text.query_vectors(counts), head=a > 0, pmap=pmap)
    z = text.combine(w, c)
    if a > 0:
        h = np.float32(a) * text.head_z(h)
        z += h
    m = text.feedback_docs
    pool = np.nonzero(allowed)[0]
    if m <= 0 or text.feedback_weight <= 0 or len(pool) <= m or counts.nnz == 0:
        return z
    depth = min(RERANK_DEPTH, len(pool))
    best = pool[np.argpartition(-z[pool], depth - 1)[:depth]]
    best = best[np.argsort(-z[best], kind="stable")]
    rows = TextRows(
        table.counts(best), table.word_norm[best], table.char_norm[best], exponent=text.pivot
    )
    expanded = text.query_vectors(counts, feedback=rows.counts[:m])
    z[best] = text.combine(*text.channel_scores(rows, expanded), text.feedback_scale_)
    if a > 0:
        z[best] += h[best]
    skills = table.skills_rows(best) if text.skills_feedback_weight > 0 else None
    if skills is not None:
        z[best] += text.skills_feedback(skills, int(np.argmax(z[best])))
    return z


@dataclass(frozen=True)
class Scored:
    """Every row's score, signal values and failed hard needs for one query.

    ``score`` is the weighted mean of the known signals folded with feasibility: in [0.5, 1]
    for a pair that can work, below 0.49 for one that cannot.
    """

    score: np.ndarray
    signals: dict[str, tuple[np.ndarray, np.ndarray]]
    allowed: np.ndarray
    blockers: np.ndarray  # uint8 bits of ``feasibility``; 0 where the pair can work

    @property
    def feasible(self) -> np.ndarray:
        return self.blockers == 0


def _overlap(table: Table, name: str, ids: list[int], weights=None) -> np.ndarray:
    parts = [sig.overlap(m, ids, weights) for m in table.sparse_rows(name)]
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def _flag(value: bool | None) -> int:
    return -1 if value is None else int(value)


def _hours(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _full(signals: dict, n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every signal as two length-n arrays; one side's scalars broadcast as views, not copies."""
    return {k: tuple(np.broadcast_to(np.asarray(x), (n,)) for x in v) for k, v in signals.items()}


def _semantic(
    record, table: Table, enc: Encoder, counts, weights, s: dict, feasible: np.ndarray,
    pmap: Map = map,
) -> dict:
    """Add the semantic signal to ``s`` when both the index and the table have embeddings
    (for a short query, with feedback from the closest row: ``semantic.with_feedback``);
    return the weights with the semantic one scaled for this query's length.

    Only the ``feasible`` rows (allowed, no hard need failed) get the signal: every infeasible
    pair ranks below every feasible one whatever its words mean, so reading its vector would
    change nothing that is proposed, and a role for one region reads a fraction of the vectors.
    """
    if enc.semantic is None or not table.has_embeddings or weights.get("semantic", 0) <= 0:
        return weights
    query = semantic.stored(record, enc.semantic.dim)
    if query is None:
        text = record.semantic_text()
        if not text.strip() or not enc.embed_missing:
            return weights
        query = enc.semantic.encode([text])[0]
    scale = semantic.weight_scale(enc.text.query_words(counts))
    threaded = pmap if table.n_rows >= THREADED_ROWS else map
    def cosines(vector):
        return table.cosines(vector, threaded, feasible)

    if scale >= semantic.FEEDBACK_MIN_SCALE:
        cos, known = semantic.with_feedback(query, cosines, table.embedding_at, feasible)
    else:
        cos, known = cosines(query)
    s["semantic"] = (semantic.value(cos), known)
    scaled = dict(weights)
    scaled["semantic"] = weights["semantic"] * scale
    return scaled


def score_need(
    need, volunteers: Table, enc: Encoder, weights, exclude_rows, pmap: Map = map
) -> Scored:
    """Score every volunteer row for one need record (reads the encoder, never adds to it).

    The need's own values stay scalars and broadcast against the volunteers' columns.
    """
    allowed = volunteers.alive.copy()
    allowed[list(exclude_rows)] = False
    required, desired = enc.need_skills(need)
    req_ids, des_ids = enc.skills.ids(required, False), enc.skills.ids(desired, False)
    n = volunteers.n_rows
    s: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    counts = enc.text.counts([need.full_text()])
    z = text_scores(volunteers, enc, counts, allowed & volunteers.has_text, pmap)
    s["text"] = (text_value(z), volunteers.has_text & (counts.nnz > 0))
    have = _overlap(volunteers, "skills", req_ids)
    s["skills_required"] = sig.coverage(have, len(required))
    s["skills_desired"] = sig.coverage(_overlap(volunteers, "skills", des_ids), len(desired))
    need_causes = enc.causes_of(need)
    s["causes"] = sig.cause_overlap(
        _overlap(volunteers, "causes", enc.causes.ids(need_causes, False)),
        len(need_causes),
        volunteers.n_causes,
    )
    region = enc.region_code(need.region, create=False)
    s["place"] = sig.place(region, _flag(need.remote_ok), volunteers.region, volunteers.remote)
    need_hours = _hours(need.hours_per_month)
    s["availability"] = sig.availability(volunteers.hours, need_hours)
    s["board_experience"] = sig.board_experience(volunteers.board)
    blocked = feasibility.blockers(
        region, _flag(need.remote_ok), volunteers.region, volunteers.remote, volunteers.hours,
        need_hours, have > 0, len(required), volunteers.n_skills > 0,
        allowed,
    )
    feasible = allowed & (blocked == 0)
    weights = _semantic(need, volunteers, enc, counts, weights, s, feasible, pmap)
    s = _full(s, n)
    return Scored(feasibility.fold(sig.combine(s, weights), blocked), s, allowed, blocked)


def score_volunteer(
    volunteer, needs: Table, enc: Encoder, weights, exclude_rows, pmap: Map = map
) -> Scored:
    """Score every need row for one volunteer record (reads the encoder, never adds to it)."""
    allowed = needs.alive.copy()
    allowed[list(exclude_rows)] = False
    n = needs.n_rows
    evidence = enc.volunteer_evidence(volunteer)
    held = {enc.skills.id_of(slug, create=False): w for slug, w in evidence.weights().items()}
    held.pop(None, None)
    has, values = list(held), list(held.values())
    s: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    counts = enc.text.counts([volunteer.full_text()])
    z = text_scores(needs, enc, counts, allowed & needs.has_text, pmap)
    s["text"] = (text_value(z), needs.has_text & (counts.nnz > 0))
    have = _overlap(needs, "skills", has, values)
    s["skills_required"] = sig.coverage(have, needs.n_skills)
    s["skills_desired"] = sig.coverage(_overlap(needs, "desired", has, values), needs.n_desired)
    causes = enc.causes_of(volunteer)
    s["causes"] = sig.cause_overlap(
        _overlap(needs, "causes", enc.causes.ids(causes, False)), len(causes), needs.n_causes
    )
    region = enc.region_code(volunteer.region, create=False)
    s["place"] = sig.place(region, _flag(volunteer.remote_ok), needs.region, needs.remote)
    hours = _hours(volunteer.hours_per_month)
    s["availability"] = sig.availability(hours, needs.hours)
    s["board_experience"] = sig.board_experience(np.int8(_flag(volunteer.board_experience)))
    blocked = feasibility.blockers(
        needs.region, needs.remote, region, _flag(volunteer.remote_ok), hours, needs.hours,
        have > 0, needs.n_skills, bool(evidence.levels), allowed,
    )
    feasible = allowed & (blocked == 0)
    weights = _semantic(volunteer, needs, enc, counts, weights, s, feasible, pmap)
    s = _full(s, n)
    return Scored(feasibility.fold(sig.combine(s, weights), blocked), s, allowed, blocked)


def subset(scored: Scored, rows: np.ndarray) -> Scored:
    """The same scores restricted to ``rows`` (position i holds row ``rows[i]``)."""
    return Scored(
        scored.score[rows],
        {name: (v[rows], known[rows]) for name, (v, known) in scored.signals.items()},
        scored.allowed[rows],
        scored.blockers[rows],
    )


def top_rows(scored: Scored, k: int) -> np.ndarray:
    """Row numbers of the k best allowed rows, best first (ties broken by row order).

    The score puts every feasible pair above every infeasible one (``feasibility.fold``).
    """
    rows = np.nonzero(scored.allowed)[0]
    if k <= 0 or len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    vals = scored.score[rows]
    if len(rows) > k:
        cut = np.argpartition(-vals, k - 1)[:k]
        rows, vals = rows[cut], vals[cut]
    order = np.lexsort((rows, -vals))
    return rows[order]
