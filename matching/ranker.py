"""Score one query record against every row of the other side's table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

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
    """Every row's combined score and signal values for one query."""

    score: np.ndarray
    signals: dict[str, tuple[np.ndarray, np.ndarray]]
    allowed: np.ndarray


def _overlap(table: Table, name: str, ids: list[int]) -> np.ndarray:
    parts = [sig.overlap(m, ids) for m in table.sparse_rows(name)]
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def score_need(
    need, volunteers: Table, enc: Encoder, weights, exclude_rows, pmap: Map = map
) -> Scored:
    """Score every volunteer row for one need record (reads the encoder, never adds to it)."""
    allowed = volunteers.alive.copy()
    allowed[list(exclude_rows)] = False
    required, desired = enc.need_skills(need)
    req_ids, des_ids = enc.skills.ids(required, False), enc.skills.ids(desired, False)
    n = volunteers.n_rows
    full = lambda v: np.full(n, v, dtype=np.float32)  # noqa: E731
    s: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    counts = enc.text.counts([need.full_text()])
    z = text_scores(volunteers, enc, counts, allowed & volunteers.has_text, pmap)
    s["text"] = (text_value(z), volunteers.has_text & (counts.nnz > 0))
    s["skills_required"] = sig.coverage(
        _overlap(volunteers, "skills", req_ids), full(len(required))
    )
    s["skills_desired"] = sig.coverage(_overlap(volunteers, "skills", des_ids), full(len(desired)))
    need_causes = enc.causes.ids(enc.causes_of(need), False)
    s["causes"] = sig.cause_overlap(
        _overlap(volunteers, "causes", need_causes),
        full(len(enc.causes_of(need))),
        volunteers.n_causes,
    )
    s["place"] = sig.place(
        np.full(n, enc.region_code(need.region, create=False), dtype=np.int32),
        full(-1 if need.remote_ok is None else int(need.remote_ok)),
        volunteers.region,
        volunteers.remote,
    )
    need_hours = np.nan if need.hours_per_month is None else float(need.hours_per_month)
    s["availability"] = sig.availability(volunteers.hours, full(need_hours))
    s["board_experience"] = sig.board_experience(volunteers.board)
    return Scored(sig.combine(s, weights), s, allowed)


def score_volunteer(
    volunteer, needs: Table, enc: Encoder, weights, exclude_rows, pmap: Map = map
) -> Scored:
    """Score every need row for one volunteer record (reads the encoder, never adds to it)."""
    allowed = needs.alive.copy()
    allowed[list(exclude_rows)] = False
    n = needs.n_rows
    full = lambda v: np.full(n, v, dtype=np.float32)  # noqa: E731
    has = enc.skills.ids(enc.volunteer_skills(volunteer), False)
    s: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    counts = enc.text.counts([volunteer.full_text()])
    z = text_scores(needs, enc, counts, allowed & needs.has_text, pmap)
    s["text"] = (text_value(z), needs.has_text & (counts.nnz > 0))
    s["skills_required"] = sig.coverage(
        _overlap(needs, "skills", has), needs.n_skills
    )
    s["skills_desired"] = sig.coverage(
        _overlap(needs, "desired", has), needs.n_desired
    )
    causes = enc.causes_of(volunteer)
    s["causes"] = sig.cause_overlap(
        _overlap(needs, "causes", enc.causes.ids(causes, False)),
        full(len(causes)),
        needs.n_causes,
    )
    s["place"] = sig.place(
        np.full(n, enc.region_code(volunteer.region, create=False), dtype=np.int32),
        full(-1 if volunteer.remote_ok is None else int(volunteer.remote_ok)),
        needs.region,
        needs.remote,
    )
    hours = np.nan if volunteer.hours_per_month is None else float(volunteer.hours_per_month)
    s["availability"] = sig.availability(full(hours), needs.hours)
    flag = -1 if volunteer.board_experience is None else int(volunteer.board_experience)
    s["board_experience"] = sig.board_experience(full(flag).astype(np.int8))
    return Scored(sig.combine(s, weights), s, allowed)


def subset(scored: Scored, rows: np.ndarray) -> Scored:
    """The same scores restricted to ``rows`` (position i holds row ``rows[i]``)."""
    return Scored(
        scored.score[rows],
        {name: (v[rows], known[rows]) for name, (v, known) in scored.signals.items()},
        scored.allowed[rows],
    )


def top_rows(scored: Scored, k: int) -> np.ndarray:
    """Row numbers of the k best allowed rows, best first (ties broken by row order)."""
    rows = np.nonzero(scored.allowed)[0]
    if k <= 0 or len(rows) == 0:
        return np.zeros(0, dtype=np.int64)
    vals = scored.score[rows]
    if len(rows) > k:
        cut = np.argpartition(-vals, k - 1)[:k]
        rows, vals = rows[cut], vals[cut]
    order = np.lexsort((rows, -vals))
    return rows[order]
